import { existsSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';

vi.mock('server-only', () => ({}));
const { MONACO_VS_DIR, resolveVsAsset, serveVsAsset } = await import('./vs-assets');

describe('resolveVsAsset', () => {
  it('serves the loader, the editor and its hashed chunks with the right caching', () => {
    expect(resolveVsAsset(['loader.js'])).toMatchObject({
      contentType: 'text/javascript; charset=utf-8',
      cacheControl: 'public, max-age=0, must-revalidate',
    });
    expect(resolveVsAsset(['editor', 'editor.main.css'])?.contentType).toBe('text/css; charset=utf-8');
    expect(resolveVsAsset(['assets', 'editor.worker-_vAIFJDs.js'])?.cacheControl).toContain('immutable');
  });

  it('refuses paths that leave the build folder or are not assets', () => {
    expect(resolveVsAsset(['..', 'package.json'])).toBeNull();
    expect(resolveVsAsset(['editor', '..', '..', 'package.json'])).toBeNull();
    expect(resolveVsAsset(['..', '..', 'package.json'])).toBeNull();
    expect(resolveVsAsset(['a/../../x.js'])).toBeNull();
    expect(resolveVsAsset([])).toBeNull();
    expect(resolveVsAsset(['nls', 'lang'])).toBeNull();
    expect(resolveVsAsset(['basic-languages', 'monaco.contribution.d.ts'])).toBeNull();
  });
});

describe('serveVsAsset', () => {
  it('finds the installed monaco-editor build', () => {
    expect(existsSync(`${MONACO_VS_DIR}/loader.js`)).toBe(true);
  });

  it('answers 200 with an ETag, then 304 for the same ETag, and 404 for a missing file', async () => {
    const first = await serveVsAsset(['loader.js'], new Request('http://localhost/monaco/vs/loader.js'));
    expect(first.status).toBe(200);
    expect((await first.text()).length).toBeGreaterThan(1000);
    const etag = first.headers.get('etag') ?? '';
    const again = await serveVsAsset(
      ['loader.js'],
      new Request('http://localhost/monaco/vs/loader.js', { headers: { 'If-None-Match': etag } }),
    );
    expect(again.status).toBe(304);
    const missing = await serveVsAsset(['nope.js'], new Request('http://localhost/monaco/vs/nope.js'));
    expect(missing.status).toBe(404);
  });
});
