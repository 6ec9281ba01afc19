/**
 * The instructor's API, beside the learners' (api.ts) but behind its own door: every route but
 * sign-in requires the instructor cookie (identity/instructor.ts), and a learner cookie counts
 * for nothing here. Learners appear by pseudonym (a hash of their id, see pseudonymOf) and the
 * display name they chose; their ids, which are half of their cookies, never leave the server.
 *
 * - `POST /api/class/session` `{ secret }` signs in; `DELETE` signs out.
 * - `GET /api/class`: ClassView, every learner's progress per lab.
 * - `GET /api/class/learner/<pseudonym>/lab/<labId>`: LearnerSubmission, their last Check.
 * - `GET /api/class.csv`: the gradebook, one row per learner.
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import type { InstructorSession } from '../identity/instructor.js';
import {
  CLASS_VIEW_DISABLED,
  type ClassView,
  INSTRUCTOR_SIGN_IN_REQUIRED,
  type LearnerSubmission,
} from '../protocol/class.js';
import { LAB_ID_PATTERN } from '../protocol/lab-id.js';
import type { LearnerRecord, Store } from '../store/store.js';
import { RequestError, readJsonBody, sendJson, sendServerError } from './json.js';

export interface ClassServices {
  instructor: InstructorSession;
  store: Pick<Store, 'everyLearner' | 'lastAttempt'>;
}

const SignIn = z.object({ secret: z.string({ error: 'secret is required' }) });
const SUBMISSION_PATH = /^\/api\/class\/learner\/(l-[a-f0-9]{10})\/lab\/([^/]+)$/;

export function isClassApiPath(pathname: string): boolean {
  return pathname === '/api/class' || pathname === '/api/class.csv' || pathname.startsWith('/api/class/');
}

/** A learner's name in the class view: stable, short, and no use to anyone holding it. */
export function pseudonymOf(learnerId: string): string {
  return `l-${createHash('sha256').update(`bpflab pseudonym ${learnerId}`).digest('hex').slice(0, 10)}`;
}

export async function serveClassApi(
  pathname: string,
  req: IncomingMessage,
  res: ServerResponse,
  services: ClassServices,
): Promise<void> {
  try {
    await route(pathname, req, res, services);
  } catch (error) {
    if (error instanceof RequestError) return sendJson(res, error.status, { error: error.message });
    sendServerError(req, res, pathname, error);
  }
}

async function route(
  pathname: string,
  req: IncomingMessage,
  res: ServerResponse,
  { instructor, store }: ClassServices,
): Promise<void> {
  if (!instructor.enabled) throw new RequestError(404, CLASS_VIEW_DISABLED);
  const method = req.method === 'HEAD' ? 'GET' : req.method;
  if (pathname === '/api/class/session') {
    if (method === 'POST') {
      const { secret } = await readJsonBody(req, SignIn);
      if (!instructor.secretMatches(secret)) {
        throw new RequestError(401, 'secret: that is not the instructor secret');
      }
      res.writeHead(204, { 'Set-Cookie': instructor.issue(), 'Cache-Control': 'no-store' }).end();
      return;
    }
    if (method === 'DELETE') {
      res.writeHead(204, { 'Set-Cookie': instructor.clear(), 'Cache-Control': 'no-store' }).end();
      return;
    }
    return allowOnly(res, pathname, 'POST, DELETE');
  }
  if (!instructor.isInstructor(req.headers)) throw new RequestError(401, INSTRUCTOR_SIGN_IN_REQUIRED);
  if (method !== 'GET') return allowOnly(res, pathname, 'GET, HEAD');

  if (pathname === '/api/class') return sendJson(res, 200, classView(await store.everyLearner()));
  if (pathname === '/api/class.csv') return sendCsv(res, gradebook(classView(await store.everyLearner())));
  const submission = SUBMISSION_PATH.exec(pathname);
  if (submission && LAB_ID_PATTERN.test(submission[2]!)) {
    const [, pseudonym, labId] = submission as unknown as [string, string, string];
    const learner = (await store.everyLearner()).find((l) => pseudonymOf(l.learnerId) === pseudonym);
    if (!learner) throw new RequestError(404, `no learner ${pseudonym} in this class`);
    const last = await store.lastAttempt(learner.learnerId, labId);
    const answer: LearnerSubmission = {
      pseudonym,
      displayName: learner.displayName,
      labId,
      progress: learner.labs[labId] ?? null,
      lastCheck: last && {
        at: last.at,
        score: last.score,
        maxScore: last.maxScore,
        passed: last.passed,
        checksPassed: last.checksPassed,
        files: last.files,
      },
    };
    return sendJson(res, 200, answer);
  }
  throw new RequestError(404, `no class API route ${pathname}`);
}

function classView(learners: LearnerRecord[]): ClassView {
  const labIds = [...new Set(learners.flatMap((l) => Object.keys(l.labs)))].sort();
  return {
    labIds,
    learners: learners.map((l) => ({
      pseudonym: pseudonymOf(l.learnerId),
      displayName: l.displayName,
      labs: l.labs,
    })),
  };
}

/**
 * The gradebook as CSV (RFC 4180): a row per learner, and per lab its best score, the lab's max,
 * whether it passed (`own`, `with solution` or `no`) and whether the solution was shown. A lab
 * the learner never touched has empty cells.
 */
export function gradebook({ labIds, learners }: ClassView): string {
  const header = ['learner', 'display name', 'last activity'];
  for (const lab of labIds)
    header.push(`${lab} best`, `${lab} max`, `${lab} passed`, `${lab} solution shown`);
  const rows = learners.map((learner) => {
    const labs = Object.values(learner.labs);
    const last =
      labs.length === 0 ? '' : new Date(Math.max(...labs.map((l) => l.lastActivityAt))).toISOString();
    const row = [learner.pseudonym, learner.displayName ?? '', last];
    for (const id of labIds) {
      const lab = learner.labs[id];
      if (!lab) row.push('', '', '', '');
      else {
        const passed = !lab.passed ? 'no' : lab.passedOnOwn ? 'own' : 'with solution';
        row.push(String(lab.bestScore), String(lab.maxScore), passed, lab.solutionShown ? 'yes' : 'no');
      }
    }
    return row;
  });
  return [header, ...rows]
    .map((row) => row.map(csvField).join(','))
    .join('\r\n')
    .concat('\r\n');
}

/**
 * One CSV field: quoted when it holds a comma, quote or line break (quotes doubled); a text a
 * spreadsheet would run as a formula (a display name like `=HYPERLINK(…)`) is prefixed with `'`.
 */
export function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

function sendCsv(res: ServerResponse, csv: string): void {
  const date = new Date().toISOString().slice(0, 10);
  res.writeHead(200, {
    'Content-Type': 'text/csv; charset=utf-8',
    'Content-Disposition': `attachment; filename="bpflab-gradebook-${date}.csv"`,
    'Content-Length': Buffer.byteLength(csv),
    'Cache-Control': 'private, no-store',
  });
  res.end(res.req.method === 'HEAD' ? undefined : csv);
}

function allowOnly(res: ServerResponse, pathname: string, methods: string): void {
  res.setHeader('Allow', methods);
  sendJson(res, 405, { error: `${pathname} accepts ${methods} only` });
}
