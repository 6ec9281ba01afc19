/**
 * Who may open a socket. A browser sends cookies with a WebSocket handshake whatever page opened
 * it, so a cookie alone would let any site drive a learner's terminal (cross-site WebSocket
 * hijacking). The handshake must therefore carry the session cookie AND come from our own origin.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { SessionCookie } from '../identity/session-cookie.js';
import type { Admission } from '../identity/sole-learner.js';
import type { HandshakeRefusal } from '../protocol/index.js';

export type HandshakeResult =
  | { ok: true; learnerId: string }
  | { ok: false; code: HandshakeRefusal; message: string };

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * The origins a page of this site can have: the configured one and, when that is a loopback
 * address, its other loopback spellings on the same scheme and port (people type `localhost` when
 * the server says `127.0.0.1`; no other site can be served from our own port).
 */
export function allowedOrigins(origin: string): Set<string> {
  const url = new URL(origin);
  const allowed = new Set([url.origin]);
  if (LOOPBACK_HOSTS.has(url.hostname)) {
    for (const host of LOOPBACK_HOSTS)
      allowed.add(`${url.protocol}//${host}${url.port ? `:${url.port}` : ''}`);
  }
  return allowed;
}

export function authorizeHandshake(
  headers: IncomingHttpHeaders,
  origins: ReadonlySet<string>,
  cookie: SessionCookie,
  admission: Admission,
): HandshakeResult {
  const origin = headers.origin;
  if (!origin || !origins.has(origin)) {
    return {
      ok: false,
      code: 'bad-origin',
      message: `Origin ${origin ? `"${origin}"` : '(none)'} is not this site (${[...origins][0]}); open bpflab at that address`,
    };
  }
  const learnerId = cookie.learnerFrom(headers);
  if (!learnerId) {
    return { ok: false, code: 'no-session', message: 'No valid session cookie; reload the page to get one' };
  }
  if (!admission.admits(learnerId)) return { ok: false, code: 'one-learner', message: admission.refusal };
  return { ok: true, learnerId };
}
