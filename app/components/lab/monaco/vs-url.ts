/**
 * Where the page loads Monaco from: this server, never a CDN. The files are monaco-editor's
 * `min/vs` build, served by app/monaco/vs/[...path]/route.ts straight from node_modules.
 */
export const MONACO_VS_URL = '/monaco/vs';
