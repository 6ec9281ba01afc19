/**
 * The answer to a learner the server does not admit (a second learner of a local-driver server):
 * 403, as a page for a browser and as JSON for the API, with the reason and what the operator can
 * do about it. Plain HTML without scripts or styles, so any Content-Security-Policy allows it.
 */
import type { ServerResponse } from 'node:http';

export function refuseLearner(res: ServerResponse, api: boolean, reason: string): void {
  if (api) {
    res
      .writeHead(403, { 'Content-Type': 'application/json; charset=utf-8' })
      .end(JSON.stringify({ error: reason }));
    return;
  }
  res
    .writeHead(403, { 'Content-Type': 'text/html; charset=utf-8' })
    .end(
      [
        '<!doctype html>',
        '<html lang="en"><head><meta charset="utf-8"><title>bpflab serves one learner</title></head>',
        '<body><main><h1>This bpflab server serves one learner</h1>',
        `<p>${escapeHtml(reason)}</p></main></body></html>`,
        '',
      ].join('\n'),
    );
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
