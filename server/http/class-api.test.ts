/**
 * The instructor's API through the real request handler and an in-memory store: the secret is
 * the only way in (a learner cookie, a forged or expired instructor cookie get nothing), learners
 * appear by pseudonym and chosen name, never by id, and the gradebook is CSV a spreadsheet reads.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INSTRUCTOR_COOKIE, InstructorSession } from '../identity/instructor.js';
import { SessionCookie } from '../identity/session-cookie.js';
import { EVERY_LEARNER } from '../identity/sole-learner.js';
import type { ClassView, LearnerSubmission } from '../protocol/class.js';
import { SqliteStore } from '../store/sqlite-store.js';
import { csvField, pseudonymOf } from './class-api.js';
import { createRequestHandler } from './request-handler.js';

const SECRET = 'teach-ebpf-well-2026';
const key = randomBytes(32);
const cookie = new SessionCookie(key, false);
const instructor = new InstructorSession(key, SECRET, false);
const store = new SqliteStore(':memory:');
let servers: Server[] = [];
let url: string;
let urlWithoutSecret: string;

async function listen(classInstructor: InstructorSession): Promise<string> {
  const server = createServer(
    createRequestHandler({
      cookie,
      admission: EVERY_LEARNER,
      api: { store, unavailableLabs: async () => ({}) },
      classApi: { instructor: classInstructor, store },
      next: async (_req, res) => void res.end('page'),
      dev: false,
    }),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  url = await listen(instructor);
  urlWithoutSecret = await listen(new InstructorSession(key, undefined, false));
});
afterAll(async () => {
  for (const server of servers) server.close();
  servers = [];
  await store.close();
});

const errorOf = async (response: Response) => ((await response.json()) as { error: string }).error;

const json = (body: unknown) => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

/** A learner's cookie pair and id, as the site issues them. */
async function newLearner(): Promise<{ pair: string; learnerId: string }> {
  const pair = (await fetch(`${url}/`)).headers.get('set-cookie')!.split(';')[0]!;
  return { pair, learnerId: pair.split('=')[1]!.split('.')[0]! };
}

async function signIn(): Promise<string> {
  const response = await fetch(`${url}/api/class/session`, json({ secret: SECRET }));
  expect(response.status).toBe(204);
  const setCookie = response.headers.get('set-cookie')!;
  expect(setCookie).toMatch(new RegExp(`^${INSTRUCTOR_COOKIE}=`));
  expect(setCookie).toContain('HttpOnly');
  expect(setCookie).toContain('SameSite=Strict');
  return setCookie.split(';')[0]!;
}

describe('the class view API', () => {
  it('says how the operator turns it on when no instructor secret is set', async () => {
    for (const path of ['/api/class', '/api/class.csv', '/api/class/session']) {
      const response = await fetch(`${urlWithoutSecret}${path}`);
      expect(response.status).toBe(404);
      expect(await errorOf(response)).toContain('BPFLAB_INSTRUCTOR_SECRET');
    }
  });

  it('refuses a wrong secret by name, and a learner cookie or a forged instructor cookie', async () => {
    const wrong = await fetch(`${url}/api/class/session`, json({ secret: 'guess' }));
    expect(wrong.status).toBe(401);
    expect(await errorOf(wrong)).toBe('secret: that is not the instructor secret');
    expect(wrong.headers.get('set-cookie')).toBeNull();

    const missing = await fetch(`${url}/api/class/session`, json({}));
    expect(missing.status).toBe(400);
    expect(await errorOf(missing)).toMatch(/^secret/);

    const { pair } = await newLearner();
    // The learner's own signed value, offered as an instructor cookie too.
    const value = pair.split('=')[1];
    for (const headers of [
      {} as Record<string, string>,
      { cookie: pair },
      { cookie: `${INSTRUCTOR_COOKIE}=${value}` },
      { cookie: `${INSTRUCTOR_COOKIE}=99999999999.${'A'.repeat(43)}` },
    ]) {
      for (const path of ['/api/class', '/api/class.csv']) {
        const response = await fetch(`${url}${path}`, { headers });
        expect(response.status).toBe(401);
        expect(await errorOf(response)).toContain('sign in as the instructor');
      }
    }
  });

  it('refuses an expired instructor cookie and one signed under another instructor secret', async () => {
    const expired = instructor.issue(Date.now() - 13 * 60 * 60 * 1000).split(';')[0]!;
    const otherSecret = new InstructorSession(key, 'a-different-secret', false).issue().split(';')[0]!;
    for (const pair of [expired, otherSecret]) {
      expect((await fetch(`${url}/api/class`, { headers: { cookie: pair } })).status).toBe(401);
    }
  });

  it("lists each learner's progress per lab by pseudonym and chosen name, and opens their last Check", async () => {
    const ada = await newLearner();
    const anon = await newLearner();
    const named = await fetch(`${url}/api/profile`, {
      ...json({ displayName: '  Ada L.  ' }),
      headers: { 'content-type': 'application/json', cookie: ada.pair },
    });
    expect(await named.json()).toEqual({ displayName: 'Ada L.' });
    await store.recordAttempt(ada.learnerId, 'hello-execve', {
      score: 4,
      maxScore: 10,
      passed: false,
      checksPassed: ['compile'],
      files: { 'hello.bpf.c': 'int first;' },
    });
    await store.recordAttempt(ada.learnerId, 'hello-execve', {
      score: 10,
      maxScore: 10,
      passed: true,
      checksPassed: ['compile', 'load'],
      files: { 'hello.bpf.c': 'int second;' },
    });
    await store.recordSolutionShown(anon.learnerId, 'verifier-null-check');

    const pair = await signIn();
    const response = await fetch(`${url}/api/class`, { headers: { cookie: pair } });
    expect(response.headers.get('cache-control')).toBe('private, no-store');
    const text = await response.text();
    for (const id of [ada.learnerId, anon.learnerId]) expect(text).not.toContain(id);
    const view = JSON.parse(text) as ClassView;
    expect(view.labIds).toEqual(expect.arrayContaining(['hello-execve', 'verifier-null-check']));
    const adaRow = view.learners.find((l) => l.displayName === 'Ada L.')!;
    expect(adaRow.pseudonym).toBe(pseudonymOf(ada.learnerId));
    expect(adaRow.labs['hello-execve']).toMatchObject({
      attempts: 2,
      bestScore: 10,
      maxScore: 10,
      passed: true,
      passedOnOwn: true,
      solutionShown: false,
    });
    const anonRow = view.learners.find((l) => l.pseudonym === pseudonymOf(anon.learnerId))!;
    expect(anonRow.displayName).toBeNull();
    expect(anonRow.labs['verifier-null-check']).toMatchObject({ attempts: 0, solutionShown: true });

    const submission = (await (
      await fetch(`${url}/api/class/learner/${adaRow.pseudonym}/lab/hello-execve`, {
        headers: { cookie: pair },
      })
    ).json()) as LearnerSubmission;
    expect(submission.lastCheck).toMatchObject({
      score: 10,
      passed: true,
      checksPassed: ['compile', 'load'],
      files: { 'hello.bpf.c': 'int second;' },
    });
    const nobody = await fetch(`${url}/api/class/learner/l-0000000000/lab/hello-execve`, {
      headers: { cookie: pair },
    });
    expect(nobody.status).toBe(404);
  });

  it('exports the gradebook as a CSV attachment, one row per learner, quoted where needed', async () => {
    const learner = await newLearner();
    await fetch(`${url}/api/profile`, {
      ...json({ displayName: 'Smith, "Jo"' }),
      headers: { 'content-type': 'application/json', cookie: learner.pair },
    });
    await store.recordAttempt(learner.learnerId, 'hello-execve', {
      score: 7,
      maxScore: 10,
      passed: false,
      checksPassed: [],
      files: {},
    });
    const response = await fetch(`${url}/api/class.csv`, { headers: { cookie: await signIn() } });
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toMatch(
      /^attachment; filename="bpflab-gradebook-\d{4}-\d{2}-\d{2}\.csv"$/,
    );
    const lines = (await response.text()).split('\r\n');
    expect(lines.at(-1)).toBe('');
    const header = lines[0]!.split(',');
    expect(header.slice(0, 3)).toEqual(['learner', 'display name', 'last activity']);
    const lab = header.indexOf('hello-execve best');
    expect(header.slice(lab, lab + 4)).toEqual([
      'hello-execve best',
      'hello-execve max',
      'hello-execve passed',
      'hello-execve solution shown',
    ]);
    const row = lines.find((l) => l.startsWith(`${pseudonymOf(learner.learnerId)},`))!;
    expect(row).toContain(',"Smith, ""Jo""",');
    // After the quoted name no field holds a comma, so the rest splits plainly.
    const rest = row.split('"Smith, ""Jo""",')[1]!.split(',');
    expect(rest[0]).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(rest.slice(lab - 2, lab + 2)).toEqual(['7', '10', 'no', 'no']);
  });

  it('keeps a display name from running as a spreadsheet formula', () => {
    expect(csvField('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvField('@sum')).toBe("'@sum");
    expect(csvField('plain')).toBe('plain');
  });
});

describe('a learner display name', () => {
  it('is refused with the field named when too long or holding control characters', async () => {
    const { pair } = await newLearner();
    const post = (body: unknown, type = 'application/json') =>
      fetch(`${url}/api/profile`, {
        method: 'POST',
        headers: { 'content-type': type, cookie: pair },
        body: JSON.stringify(body),
      });
    for (const bad of ['x'.repeat(61), 'tab\there', 'bell\u0007']) {
      const response = await post({ displayName: bad });
      expect(response.status).toBe(400);
      expect(await errorOf(response)).toMatch(/^displayName /);
    }
    expect((await post({ displayName: 'Ok' }, 'text/plain')).status).toBe(415);
    expect(await (await fetch(`${url}/api/profile`, { headers: { cookie: pair } })).json()).toEqual({
      displayName: null,
    });
    // Set, then cleared by an empty name: anonymous again.
    expect(await (await post({ displayName: 'Grace' })).json()).toEqual({ displayName: 'Grace' });
    expect(await (await post({ displayName: '' })).json()).toEqual({ displayName: null });
  });
});
