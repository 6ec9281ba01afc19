/**
 * Loads Monaco's AMD build from this server (MONACO_VS_URL) through @monaco-editor/react's
 * loader. The build registers its own MonacoEnvironment, whose workers are blob URLs that import
 * the worker chunks from the same folder, so workers stay local too.
 */
import { loader } from '@monaco-editor/react';
import type * as MonacoApi from 'monaco-editor';
import { MONACO_VS_URL } from './vs-url';

export type Monaco = typeof MonacoApi;

loader.config({ paths: { vs: MONACO_VS_URL } });

/** Resolves once per page; every editor shares the one instance. */
export function loadMonaco(): Promise<Monaco> {
  return loader.init() as Promise<unknown> as Promise<Monaco>;
}
