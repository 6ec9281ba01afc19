/**
 * Syntax highlighting for lesson code blocks: shiki with a fixed set of grammars and themes that
 * ship inside node_modules, so highlighting never touches the network. A code block in any other
 * language is a content error (see remark-lesson-checks.ts) rather than silently plain text.
 */
import rehypeShikiFromHighlighter, { type RehypeShikiCoreOptions } from '@shikijs/rehype/core';
import { createHighlighter, type Highlighter } from 'shiki';

/** The languages lessons may put after a code fence (shiki resolves the aliases among them). */
export const CODE_LANGUAGES = [
  'c',
  'bash',
  'sh',
  'console',
  'yaml',
  'python',
  'json',
  'makefile',
  'diff',
  'text',
] as const;
export type CodeLanguage = (typeof CODE_LANGUAGES)[number];

/** The grammars behind those names; `text` needs none. */
const GRAMMARS = ['c', 'shellscript', 'shellsession', 'yaml', 'python', 'json', 'make', 'diff'];

export function isCodeLanguage(lang: string): lang is CodeLanguage {
  return (CODE_LANGUAGES as readonly string[]).includes(lang);
}

// The "default" GitHub themes: every token colour keeps 4.5:1 on its background (WCAG AA), where
// github-light's variables (#e36209) and github-dark's comments (#6a737d) fall short.
const THEMES = { light: 'github-light-default', dark: 'github-dark-default' } as const;

let highlighter: Promise<Highlighter> | null = null;

/** One highlighter per process: loading grammars costs far more than highlighting with them. */
function sharedHighlighter(): Promise<Highlighter> {
  highlighter ??= createHighlighter({
    themes: Object.values(THEMES),
    langs: GRAMMARS,
  });
  return highlighter;
}

/** The rehype plugin tuple for the MDX pipeline, with the highlighter already loaded. */
export async function rehypeHighlight(): Promise<
  [typeof rehypeShikiFromHighlighter, Highlighter, RehypeShikiCoreOptions]
> {
  const loaded = await sharedHighlighter();
  const options: RehypeShikiCoreOptions = {
    themes: THEMES,
    // Both themes become CSS variables; globals.css picks one by prefers-color-scheme.
    defaultColor: false,
    defaultLanguage: 'text',
  };
  return [rehypeShikiFromHighlighter, loaded, options];
}
