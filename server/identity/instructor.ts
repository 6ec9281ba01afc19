/**
 * The instructor role: whoever enters BPFLAB_INSTRUCTOR_SECRET at /class gets the
 * `bpflab_instructor` cookie, an expiry signed with the server's cookie key and bound to the
 * instructor secret (changing the secret signs every instructor out). It is a cookie of its own,
 * HttpOnly and SameSite=Strict (the class view is never reached from another site's link with
 * authority), and no learner cookie can pass for it: the MAC covers a text no learner id can be.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { readCookie } from './session-cookie.js';

export const INSTRUCTOR_COOKIE = 'bpflab_instructor';
/** A working day: an instructor on a shared machine is signed out by the next morning. */
const MAX_AGE_SECONDS = 12 * 60 * 60;

export class InstructorSession {
  private readonly secretDigest: Buffer | null;

  constructor(
    /** The server's cookie key (identity/secret.ts). */
    private readonly key: Buffer,
    /** BPFLAB_INSTRUCTOR_SECRET; undefined turns the class view off. */
    instructorSecret: string | undefined,
    private readonly secure: boolean,
  ) {
    this.secretDigest = instructorSecret ? sha256(instructorSecret) : null;
  }

  /** The operator set an instructor secret. */
  get enabled(): boolean {
    return this.secretDigest !== null;
  }

  /** Whether `given` is the instructor secret, compared in constant time (digests are equal length). */
  secretMatches(given: string): boolean {
    return this.secretDigest !== null && timingSafeEqual(sha256(given), this.secretDigest);
  }

  /** The Set-Cookie value that signs an instructor in until MAX_AGE_SECONDS from `now`. */
  issue(now = Date.now()): string {
    const expiresAt = Math.floor(now / 1000) + MAX_AGE_SECONDS;
    return this.cookie(`${expiresAt}.${this.mac(expiresAt)}`, MAX_AGE_SECONDS);
  }

  /** The Set-Cookie value that signs the instructor out. */
  clear(): string {
    return this.cookie('', 0);
  }

  /** Whether the request carries a valid, unexpired instructor cookie. */
  isInstructor(headers: IncomingHttpHeaders, now = Date.now()): boolean {
    if (this.secretDigest === null) return false;
    const value = readCookie(headers.cookie, INSTRUCTOR_COOKIE);
    const match = value?.match(/^(\d{1,12})\.([A-Za-z0-9_-]+)$/);
    if (!match) return false;
    const expiresAt = Number(match[1]);
    if (expiresAt * 1000 <= now) return false;
    const given = Buffer.from(match[2]!, 'base64url');
    const expected = Buffer.from(this.mac(expiresAt), 'base64url');
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  private mac(expiresAt: number): string {
    return createHmac('sha256', this.key)
      .update(`instructor:${expiresAt}:${this.secretDigest?.toString('hex')}`)
      .digest('base64url');
  }

  private cookie(value: string, maxAge: number): string {
    const attributes = ['Path=/', 'HttpOnly', 'SameSite=Strict', `Max-Age=${maxAge}`];
    if (this.secure) attributes.push('Secure');
    return [`${INSTRUCTOR_COOKIE}=${value}`, ...attributes].join('; ');
  }
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
