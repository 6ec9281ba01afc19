/**
 * Monaco for the page, loaded on first use: its chunks (editor-api.ts) are fetched only by a
 * page that shows a lab editor, and never evaluated during server rendering.
 */
import type * as MonacoApi from 'monaco-editor/editor/editor.api';

export type Monaco = typeof MonacoApi;

let loading: Promise<Monaco> | undefined;

/** Resolves once per page; every editor shares the one instance. */
export function loadMonaco(): Promise<Monaco> {
  loading ??= import('./editor-api').then(({ monaco }) => {
    // The AMD build defined this global; the e2e fixtures read the editor's models through it,
    // as a person may from the devtools console.
    (globalThis as { monaco?: Monaco }).monaco = monaco;
    return monaco;
  });
  // A failed load (a chunk that did not arrive) may be retried by the next editor.
  loading.catch(() => {
    loading = undefined;
  });
  return loading;
}
