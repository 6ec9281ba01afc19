/**
 * Learner identity: the `bpflab_sid` cookie holds a random learner id and its HMAC-SHA256, so the
 * server needs no session table to know who is asking, and nobody can mint an id of their own.
 *
 * SameSite=Lax, not Strict: a learner who follows a link to a lesson from elsewhere (a top-level
 * GET) must arrive with their cookie, or the first page would look anonymous and issue them a new
 * identity, losing their progress. Lax still withholds the cookie from cross-site subrequests and
 * POSTs; the socket handshake additionally requires a same-site Origin (see realtime/handshake.ts).
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

export const COOKIE_NAME = 'bpflab_sid';
/** Learners come back to a course over months. */
const MAX_AGE_SECONDS = 400 * 24 * 60 * 60;
const ID_PATTERN = /^[A-Za-z0-9_-]{22}$/;

export class SessionCookie {
  constructor(
    private readonly key: Buffer,
    /** Set the Secure flag (the site is served over https). */
    private readonly secure: boolean,
  ) {}

  /** A fresh learner id and the Set-Cookie header value that carries it. */
  issue(): { learnerId: string; setCookie: string } {
    const learnerId = randomBytes(16).toString('base64url');
    const attributes = ['Path=/', 'HttpOnly', 'SameSite=Lax', `Max-Age=${MAX_AGE_SECONDS}`];
    if (this.secure) attributes.push('Secure');
    return { learnerId, setCookie: [`${COOKIE_NAME}=${this.sign(learnerId)}`, ...attributes].join('; ') };
  }

  /** The learner id in a request's cookie, or null when there is none or its signature is wrong. */
  learnerFrom(headers: IncomingHttpHeaders): string | null {
    const value = readCookie(headers.cookie, COOKIE_NAME);
    return value === null ? null : this.verify(value);
  }

  sign(learnerId: string): string {
    return `${learnerId}.${this.mac(learnerId)}`;
  }

  verify(value: string): string | null {
    const dot = value.indexOf('.');
    if (dot < 0) return null;
    const learnerId = value.slice(0, dot);
    if (!ID_PATTERN.test(learnerId)) return null;
    const given = Buffer.from(value.slice(dot + 1), 'base64url');
    const expected = Buffer.from(this.mac(learnerId), 'base64url');
    // timingSafeEqual throws on unequal lengths; the length of a MAC is no secret.
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
    return learnerId;
  }

  private mac(learnerId: string): string {
    return createHmac('sha256', this.key).update(learnerId).digest('base64url');
  }
}

/** One cookie's value from a Cookie header; the first wins, as browsers send the most specific first. */
export function readCookie(header: string | undefined, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0 || part.slice(0, eq).trim() !== name) continue;
    const raw = part.slice(eq + 1).trim();
    try {
      return decodeURIComponent(raw.startsWith('"') && raw.endsWith('"') ? raw.slice(1, -1) : raw);
    } catch {
      return null;
    }
  }
  return null;
}
