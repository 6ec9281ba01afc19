/**
 * The headers every response carries, pages and assets alike. The Content-Security-Policy lets
 * the page run only this site's own code:
 *
 * - scripts: files from this origin, and inline scripts carrying the request's nonce. Next.js
 *   renders its inline bootstrap scripts with the nonce it reads from the request's own
 *   `Content-Security-Policy` header, which the request handler sets (every page is rendered per
 *   request; a prerendered one would have no nonce). Development adds 'unsafe-eval' for React's
 *   refresh runtime.
 * - styles: 'unsafe-inline', because Monaco sets style attributes and inserts <style> elements at
 *   run time (no nonce reaches them) and Next inlines some styles.
 * - workers: this origin only (Monaco's editor worker is a chunk of the Next build).
 * - connections: this origin, whose WebSocket form browsers match to 'self' too.
 * - no frames of this site anywhere (`frame-ancestors 'none'`, and X-Frame-Options for old
 *   browsers), no plugins, no <base> rewriting, forms only to this site.
 */
import { randomBytes } from 'node:crypto';

/** The headers for one response, with a fresh nonce in its policy. */
export function securityHeaders(dev: boolean): Record<string, string> {
  const nonce = randomBytes(16).toString('base64');
  const policy = [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}'${dev ? " 'unsafe-eval'" : ''}`,
    "style-src 'self' 'unsafe-inline'",
    "worker-src 'self'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
  return {
    'Content-Security-Policy': policy,
    'X-Frame-Options': 'DENY',
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'same-origin',
    'Cross-Origin-Opener-Policy': 'same-origin',
  };
}
