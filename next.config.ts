import type { NextConfig } from 'next';

const config: NextConfig = {
  reactStrictMode: true,
  // Lessons are compiled with mdx-bundler (esbuild) at request time on the server; keep those
  // packages out of Next's server bundle so esbuild finds its native binary.
  serverExternalPackages: ['mdx-bundler', 'esbuild', 'shiki', '@shikijs/rehype'],
  poweredByHeader: false,
  // `make test-types` type-checks app/ with tsc (and biome lints it) before any build; `next build`
  // doing it again costs a minute on two cores and says nothing new.
  typescript: { ignoreBuildErrors: true },
  eslint: { ignoreDuringBuilds: true },
  webpack(
    webpackConfig: {
      resolve: {
        extensionAlias?: Record<string, string[]>;
        alias?: Record<string, string | false | string[]>;
      };
    },
    { isServer }: { isServer: boolean },
  ) {
    // Modules shared with server/ and scripts/ (TypeScript NodeNext) import `./x.js` for `./x.ts`.
    webpackConfig.resolve.extensionAlias = {
      ...webpackConfig.resolve.extensionAlias,
      '.js': ['.ts', '.tsx', '.js'],
    };
    // Monaco runs in the browser only (app/components/lab/monaco/load-monaco.ts imports it on
    // first use, never while rendering): the server bundles stand-ins instead of compiling it.
    if (isServer) webpackConfig.resolve.alias = { ...webpackConfig.resolve.alias, 'monaco-editor': false };
    return webpackConfig;
  },
};

export default config;
