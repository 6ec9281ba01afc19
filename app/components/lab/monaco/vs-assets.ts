/**
 * Serves monaco-editor's AMD build (`node_modules/monaco-editor/min/vs`) to the browser, so the
 * editor, its language grammars and its web workers all load from this server with no CDN and
 * no build step to forget. Only regular files under that folder are served.
 */
import 'server-only';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';

/** The server runs from the repository root (npm scripts, the Makefile and the e2e fixture do). */
export const MONACO_VS_DIR = path.join(process.cwd(), 'node_modules', 'monaco-editor', 'min', 'vs');

const CONTENT_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

/** Chunk names carry a content hash (`editor-BdtEMBbM.js`); those never change under their name. */
const HASHED = /-[A-Za-z0-9_]{8}\.(js|css)$/;

export interface VsAsset {
  file: string;
  contentType: string;
  cacheControl: string;
}

/** The file a request path names, or null when it is not a servable file of the build. */
export function resolveVsAsset(segments: readonly string[], root: string = MONACO_VS_DIR): VsAsset | null {
  if (
    segments.length === 0 ||
    segments.some((s) => s === '' || s === '.' || s === '..' || /[\\/\0]/.test(s))
  ) {
    return null;
  }
  const file = path.join(root, ...segments);
  if (!file.startsWith(root + path.sep)) return null;
  const contentType = CONTENT_TYPES[path.extname(file)];
  if (contentType === undefined) return null;
  const name = segments[segments.length - 1] ?? '';
  return {
    file,
    contentType,
    cacheControl: HASHED.test(name)
      ? 'public, max-age=31536000, immutable'
      : 'public, max-age=0, must-revalidate',
  };
}

export async function serveVsAsset(segments: readonly string[], request: Request): Promise<Response> {
  const asset = resolveVsAsset(segments);
  const info = asset ? await stat(asset.file).catch(() => null) : null;
  if (!asset || !info?.isFile()) return new Response('Not found', { status: 404 });
  const etag = `"${info.size.toString(36)}-${Math.trunc(info.mtimeMs).toString(36)}"`;
  const headers = { 'Content-Type': asset.contentType, 'Cache-Control': asset.cacheControl, ETag: etag };
  if (request.headers.get('if-none-match') === etag) return new Response(null, { status: 304, headers });
  return new Response(new Uint8Array(await readFile(asset.file)), { status: 200, headers });
}
