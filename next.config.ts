import type { NextConfig } from 'next';

const config: NextConfig = {
  reactStrictMode: true,
  // Lessons are compiled with mdx-bundler (esbuild) at request time on the server; keep those
  // packages out of Next's server bundle so esbuild finds its native binary.
  serverExternalPackages: ['mdx-bundler', 'esbuild', 'shiki', '@shikijs/rehype'],
  poweredByHeader: false,
};

export default config;
