/**
 * Judges a lab's checks against the evidence of one run. A check whose `needs` did not pass, or
 * whose stage never ran, is skipped with the reason; otherwise it passes or fails with what was
 * expected and what was seen, in words a learner can act on.
 */
import type { Check, CheckOf } from '../labs/schema.js';
import type { CheckResult } from '../protocol/lab.js';
import type { Evidence, ScriptOutcome } from './evidence.js';
import { compareMap } from './map-compare.js';
import { type RunNonces, withNonce } from './nonce.js';
import { programVerdict } from './program-check.js';
import { sameSection } from './sections.js';

export type ScriptRunner = (check: CheckOf<'script'>) => Promise<ScriptOutcome>;

type Verdict = Pick<CheckResult, 'status' | 'expected' | 'actual' | 'mapDiff'>;

/** Results in the order of `checks`; `needs` were validated acyclic by the schema. */
export async function evaluateChecks(
  checks: readonly Check[],
  evidence: Evidence,
  nonces: RunNonces,
  runScript: ScriptRunner,
): Promise<CheckResult[]> {
  const byId = new Map(checks.map((c) => [c.id, c]));
  const done = new Map<string, Promise<CheckResult>>();
  const evaluate = (check: Check): Promise<CheckResult> => {
    let result = done.get(check.id);
    if (!result) {
      result = judge(check);
      done.set(check.id, result);
    }
    return result;
  };
  const judge = async (check: Check): Promise<CheckResult> => {
    for (const need of check.needs) {
      const prerequisite = byId.get(need);
      if (prerequisite && (await evaluate(prerequisite)).status !== 'passed') {
        return result(check, { status: 'skipped', actual: `not run: “${prerequisite.title}” did not pass` });
      }
    }
    const missing = missingStage(check, evidence);
    if (missing) return result(check, { status: 'skipped', actual: `not run: ${missing}` });
    return result(check, await verdict(withNonce(check, nonces), evidence, runScript));
  };
  // Scripts run in the sandbox one after another, in the order the lab lists them.
  const results: CheckResult[] = [];
  for (const check of checks) results.push(await evaluate(check));
  return results;
}

function result(check: Check, v: Verdict): CheckResult {
  return {
    id: check.id,
    title: check.title,
    status: v.status,
    points: v.status === 'passed' ? check.points : 0,
    maxPoints: check.points,
    ...(v.expected !== undefined ? { expected: v.expected } : {}),
    ...(v.actual !== undefined ? { actual: v.actual } : {}),
    ...(v.mapDiff !== undefined ? { mapDiff: v.mapDiff } : {}),
    ...(v.status === 'failed' && check.feedback !== undefined ? { feedback: check.feedback } : {}),
  };
}

function missingStage(check: Check, e: Evidence): string | null {
  if (check.type === 'compile') return null;
  if (!e.build.ok) return 'the program did not compile';
  if (check.type === 'load') return null;
  // A lab without `attach` ships its own loader (a skeleton program): its scripts judge it right
  // after the build, with no load or run of the grader's to wait for.
  if (check.type === 'script' && e.load === null) return null;
  if (!e.load?.ok) return 'the program was not loaded';
  if (!e.run) return 'the workload did not run';
  return null;
}

async function verdict(check: Check, e: Evidence, runScript: ScriptRunner): Promise<Verdict> {
  switch (check.type) {
    case 'compile':
      return e.build.ok
        ? { status: 'passed' }
        : {
            status: 'failed',
            expected: 'builds without errors',
            actual: e.build.error ?? 'the build failed',
          };
    case 'load':
      return loadVerdict(check, e);
    case 'output':
      return outputVerdict(check, e);
    case 'map': {
      const entries = e.run!.maps.get(check.map);
      if (!entries) {
        const maps = (e.load?.maps ?? [...e.run!.maps.keys()]).join(', ') || 'none';
        return {
          status: 'failed',
          expected: `a map named "${check.map}"`,
          actual: `the program has no map "${check.map}"; its maps are: ${maps}`,
        };
      }
      return compareMap(check, entries);
    }
    case 'script':
      return scriptVerdict(await runScript(check), check);
    case 'program':
      return programVerdict(check, e);
  }
}

function loadVerdict(check: CheckOf<'load'>, e: Evidence): Verdict {
  const expected = check.programs.map((p) => [p.type, p.section].filter(Boolean).join(' at ')).join('; ');
  if (!e.load?.ok) {
    return {
      status: 'failed',
      expected: expected ? `the verifier accepts it and it attaches: ${expected}` : 'the verifier accepts it',
      actual: e.load?.error ?? 'the program was not loaded',
    };
  }
  const absent = check.programs.filter(
    (want) =>
      !e.load!.programs.some(
        (p) =>
          (want.type === undefined || p.type === want.type) &&
          (want.section === undefined || sameSection(p.section, want.section)),
      ),
  );
  if (absent.length === 0) return { status: 'passed' };
  const loaded = e.load.programs.map((p) => `${p.name} (${p.type} at ${p.section})`).join(', ') || 'none';
  return { status: 'failed', expected: `programs: ${expected}`, actual: `loaded: ${loaded}` };
}

/** What an output check's items are called in its verdict. */
const SOURCE_NAMES: Record<CheckOf<'output'>['source'], string> = {
  ringbuf: 'events',
  trace: 'trace lines',
  iter: 'iterator lines',
};

function outputVerdict(check: CheckOf<'output'>, e: Evidence): Verdict {
  const run = e.run!;
  const items =
    check.source === 'trace'
      ? run.trace
      : check.source === 'iter'
        ? run.iter
        : run.events.map((ev) => text(check.field ? field(ev, check.field) : ev));
  const { regex, contains } = check.match;
  const pattern = regex !== undefined ? new RegExp(regex) : undefined;
  const matches = items.filter((s) => (pattern ? pattern.test(s) : s.includes(contains!)));
  const { min, max, exact, distinct } = check.count;
  const counted = distinct ? new Set(matches).size : matches.length;
  const ok =
    exact !== undefined
      ? counted === exact
      : (min === undefined || counted >= min) && (max === undefined || counted <= max);

  const source = SOURCE_NAMES[check.source];
  const what = check.field ? `events whose ${check.field}` : source;
  const how = pattern ? `match /${pattern.source}/` : `contain “${contains}”`;
  const bound =
    exact !== undefined
      ? `exactly ${exact}`
      : [min !== undefined && `at least ${min}`, max !== undefined && `at most ${max}`]
          .filter(Boolean)
          .join(' and ');
  const expected = `${bound}${distinct ? ' distinct' : ''} ${what} ${how}`;
  if (ok) return { status: 'passed', expected, actual: `${counted} ${distinct ? 'distinct ' : ''}matched` };

  const sample = (list: string[]) =>
    [...new Set(list)]
      .slice(0, 5)
      .map((s) => `  ${truncate(s)}`)
      .join('\n');
  const actual =
    items.length === 0
      ? `no ${source} at all${run.workloadProblem ? ` (${run.workloadProblem})` : ''}`
      : matches.length === 0
        ? `none of ${items.length} ${source} matched; for example:\n${sample(items)}`
        : `${counted} ${distinct ? 'distinct ' : ''}matched:\n${sample(matches)}`;
  return { status: 'failed', expected, actual };
}

function scriptVerdict(outcome: ScriptOutcome, check: CheckOf<'script'>): Verdict {
  const expected = `${check.run} finds nothing wrong (exits 0)`;
  if (outcome.timedOut)
    return {
      status: 'failed',
      expected,
      actual: `the check script did not finish within ${check.timeoutMs / 1000} s`,
    };
  if (outcome.exitCode === 0) return { status: 'passed' };
  const reasons = `${outcome.stdout}\n${outcome.stderr}`
    .split('\n')
    .filter((l) => l.startsWith('FAIL:'))
    .map((l) => l.slice('FAIL:'.length).trim());
  return {
    status: 'failed',
    expected,
    actual:
      reasons.length > 0 ? reasons.join('\n') : `the check script exited with status ${outcome.exitCode}`,
  };
}

/** A dotted path into a decoded event (`comm`, `key.saddr`). */
function field(event: unknown, path: string): unknown {
  let value: unknown = event;
  for (const part of path.split('.')) {
    value =
      value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[part] : undefined;
  }
  return value;
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : value === undefined ? '' : JSON.stringify(value);
}

function truncate(s: string, max = 160): string {
  return s.length > max ? `${s.slice(0, max)}…` : s;
}
