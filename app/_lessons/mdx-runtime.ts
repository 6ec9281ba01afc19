/**
 * Turns mdx-bundler output into a React component. mdx-bundler/client does the same, but it is a
 * server-external package here, so it would load a second copy of React outside Next's bundle;
 * this uses the React that renders the page.
 */
import type { MDXContent } from 'mdx/types';
import * as React from 'react';
import * as jsxRuntime from 'react/jsx-runtime';

/** `code` is trusted: it was compiled on this server from content/, never sent by a client. */
export function lessonComponent(code: string): MDXContent {
  // The bundle is an IIFE body expecting these globals; see mdx-bundler's jsxConfig defaults.
  const evaluate = new Function('React', '_jsx_runtime', code) as (
    react: typeof React,
    runtime: typeof jsxRuntime,
  ) => { default: MDXContent };
  return evaluate(React, jsxRuntime).default;
}
