import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { COOKIE_NAME, readCookie, SessionCookie } from './session-cookie.js';

const key = randomBytes(32);

function cookieHeader(setCookie: string): string {
  return setCookie.split(';')[0]!;
}

describe('SessionCookie', () => {
  it('issues an httpOnly, SameSite=Lax, Path=/ cookie that verifies back to its learner', () => {
    const cookie = new SessionCookie(key, false);
    const { learnerId, setCookie } = cookie.issue();
    expect(setCookie).toMatch(new RegExp(`^${COOKIE_NAME}=`));
    expect(setCookie).toContain('HttpOnly');
    expect(setCookie).toContain('SameSite=Lax');
    expect(setCookie).toContain('Path=/');
    expect(setCookie).not.toContain('Secure');
    expect(cookie.learnerFrom({ cookie: `theme=dark; ${cookieHeader(setCookie)}` })).toBe(learnerId);
  });

  it('marks the cookie Secure on an https site', () => {
    expect(new SessionCookie(key, true).issue().setCookie).toMatch(/; Secure$/);
  });

  it('gives every visitor a different learner id', () => {
    const cookie = new SessionCookie(key, false);
    expect(cookie.issue().learnerId).not.toBe(cookie.issue().learnerId);
  });

  it('refuses a tampered id, a forged signature and a cookie signed with another key', () => {
    const cookie = new SessionCookie(key, false);
    const { learnerId } = cookie.issue();
    const signed = cookie.sign(learnerId);
    const mac = signed.slice(learnerId.length + 1);
    const otherId = cookie.issue().learnerId;
    expect(cookie.verify(`${otherId}.${mac}`)).toBeNull();
    expect(cookie.verify(`${learnerId}.${mac.slice(0, -2)}AA`)).toBeNull();
    expect(cookie.verify(`${learnerId}.`)).toBeNull();
    expect(cookie.verify(learnerId)).toBeNull();
    expect(new SessionCookie(randomBytes(32), false).verify(signed)).toBeNull();
    expect(cookie.verify(signed)).toBe(learnerId);
  });

  it('refuses ids that are not of the issued shape even when signed', () => {
    const cookie = new SessionCookie(key, false);
    expect(cookie.verify(cookie.sign('../../etc/passwd'))).toBeNull();
  });

  it('treats a request without the cookie as anonymous', () => {
    expect(new SessionCookie(key, false).learnerFrom({ cookie: 'other=1' })).toBeNull();
    expect(new SessionCookie(key, false).learnerFrom({})).toBeNull();
  });
});

describe('readCookie', () => {
  it('finds a cookie among others, unquoted and URL-decoded', () => {
    expect(readCookie('a=1; b="x%20y"; c=3', 'b')).toBe('x y');
    expect(readCookie('ab=1', 'a')).toBeNull();
    expect(readCookie('a=%E0%A4%A', 'a')).toBeNull();
  });
});
