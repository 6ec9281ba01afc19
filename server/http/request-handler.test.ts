import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InstructorSession } from '../identity/instructor.js';
import { SessionCookie } from '../identity/session-cookie.js';
import { EVERY_LEARNER } from '../identity/sole-learner.js';
import { unavailableLabsFor } from '../labs/availability.js';
import { LabCatalog } from '../labs/catalog.js';
import { repoLabPaths } from '../labs/loader.js';
import { KERNEL_FEATURES, type KernelFeatures } from '../protocol/kernel-features.js';
import { SqliteStore } from '../store/sqlite-store.js';
import { createRequestHandler } from './request-handler.js';

const repoRoot = path.resolve(import.meta.dirname, '../..');
const cookie = new SessionCookie(randomBytes(32), false);
const store = new SqliteStore(':memory:');
const noKprobes: KernelFeatures = {
  kernelRelease: '6.18.0',
  kernelBuild: '6.18.0 #1',
  arch: 'x86_64',
  clang: '19.1.7',
  bpftool: '7.5.0',
  available: Object.fromEntries(
    KERNEL_FEATURES.map((f) => [f, f !== 'kprobe']),
  ) as KernelFeatures['available'],
  reasons: { kprobe: 'the kernel needs CONFIG_KPROBE_EVENTS=y' },
};
/** Learners whose sandbox was probed and lacks kprobes; for others nothing is known yet. */
const withoutKprobes = new Set<string>();
const unavailableLabs = unavailableLabsFor({
  catalog: new LabCatalog(repoLabPaths(repoRoot)),
  labsDir: repoLabPaths(repoRoot).labsDir,
  sessions: {
    knownFeatures: (learnerId) => (withoutKprobes.has(learnerId) ? noKprobes : null),
  },
});
const pagesServed: string[] = [];
const policiesSeen: string[] = [];
let server: Server;
let url: string;

beforeAll(async () => {
  server = createServer(
    createRequestHandler({
      cookie,
      admission: EVERY_LEARNER,
      api: { store, unavailableLabs },
      classApi: { instructor: new InstructorSession(randomBytes(32), undefined, false), store },
      next: async (req, res) => {
        pagesServed.push(req.url ?? '');
        policiesSeen.push(String(req.headers['content-security-policy']));
        res.end('page');
      },
      dev: false,
    }),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.close();
  await store.close();
});

const cookiePair = (response: Response) => response.headers.get('set-cookie')?.split(';')[0] ?? null;

describe('the request handler in front of Next', () => {
  it('gives a first visitor a session cookie and then serves the page', async () => {
    const first = await fetch(`${url}/lessons/hello`);
    expect(await first.text()).toBe('page');
    expect(pagesServed).toContain('/lessons/hello');
    const pair = cookiePair(first);
    expect(pair).toMatch(/^bpflab_sid=/);

    const again = await fetch(`${url}/`, { headers: { cookie: pair! } });
    expect(again.headers.get('set-cookie')).toBeNull();
  });

  it('replaces a forged cookie, and leaves build assets alone', async () => {
    const forged = await fetch(`${url}/`, {
      headers: { cookie: 'bpflab_sid=AAAAAAAAAAAAAAAAAAAAAA.forged' },
    });
    expect(cookiePair(forged)).toMatch(/^bpflab_sid=/);
    const asset = await fetch(`${url}/_next/static/chunks/main.js`);
    expect(asset.headers.get('set-cookie')).toBeNull();
  });

  it("answers GET /api/progress with the cookie's learner's progress only, uncached", async () => {
    const pair = cookiePair(await fetch(`${url}/`))!;
    const learnerId = pair.split('=')[1]!.split('.')[0]!;
    await store.recordAttempt(learnerId, 'hello-execve', {
      score: 7,
      maxScore: 10,
      passed: false,
      checksPassed: ['compile'],
      files: {},
    });
    await store.recordAttempt('someone-else', 'verifier-null-check', {
      score: 5,
      maxScore: 5,
      passed: true,
      checksPassed: [],
      files: {},
    });

    const response = await fetch(`${url}/api/progress`, { headers: { cookie: pair } });
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('private, no-store');
    expect(await response.json()).toEqual({
      labs: {
        'hello-execve': {
          attempts: 1,
          bestScore: 7,
          maxScore: 10,
          passed: false,
          solutionShown: false,
          passedOnOwn: false,
        },
      },
      unavailable: {},
      last: null,
    });
    expect(pagesServed).not.toContain('/api/progress');
  });

  it('gives a new visitor empty progress and a cookie', async () => {
    const response = await fetch(`${url}/api/progress`);
    expect(cookiePair(response)).toMatch(/^bpflab_sid=/);
    expect(await response.json()).toEqual({ labs: {}, unavailable: {}, last: null });
  });

  it("names the labs the learner's probed sandbox cannot run, with the features it lacks", async () => {
    const pair = cookiePair(await fetch(`${url}/`))!;
    withoutKprobes.add(pair.split('=')[1]!.split('.')[0]!);
    const response = await fetch(`${url}/api/progress`, { headers: { cookie: pair } });
    const { unavailable } = (await response.json()) as { unavailable: Record<string, string[]> };
    expect(unavailable['udp-send-kprobe']).toEqual(['kprobe']);
    expect(unavailable['bcc-hello']).toEqual(['kprobe']);
    expect(unavailable).not.toHaveProperty('hello-execve');
  });

  it('refuses other methods on the API', async () => {
    const response = await fetch(`${url}/api/progress`, { method: 'POST' });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, HEAD');
  });
});

describe('security headers', () => {
  it('puts a CSP with a fresh script nonce, no framing, nosniff and a referrer policy on every response', async () => {
    const responses = await Promise.all(
      ['/', '/_next/static/chunk.js', '/api/progress'].map((p) => fetch(`${url}${p}`)),
    );
    const nonces = new Set<string>();
    for (const response of responses) {
      const csp = response.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("worker-src 'self';");
      expect(csp).not.toContain('unsafe-eval');
      const nonce = /script-src 'self' 'nonce-([A-Za-z0-9+/=]+)'/.exec(csp)?.[1];
      expect(nonce).toBeDefined();
      nonces.add(nonce!);
      expect(response.headers.get('x-frame-options')).toBe('DENY');
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('referrer-policy')).toBe('same-origin');
    }
    expect(nonces.size).toBe(responses.length);
    // Next reads the nonce for its inline scripts from the policy on the request.
    const served = responses[0]!.headers.get('content-security-policy');
    expect(policiesSeen).toContain(served);
  });
});
