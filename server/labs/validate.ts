/**
 * Validating a lab on the current kernel (`npx bpflab validate`): its manifest and files load, its
 * solution scores full marks, its starter does not, and neither leaves a program or map loaded.
 * What would pass a broken lab fails it too: a workload that does not end within its `timeoutMs`
 * (with either variant), and a map check naming a map the solution's object does not have. Every
 * failing check is shown with what it expected next to what it saw. A lab whose kernel needs this
 * machine lacks is skipped with the reason.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { RunRecord } from '../grader/grade-run.js';
import type { Grader } from '../grader/grader.js';
import { leftovers } from '../grader/kernel-objects.js';
import { type KernelFeatures, missingFeatures } from '../protocol/kernel-features.js';
import type { Grade } from '../protocol/lab.js';
import type { Sandbox } from '../sandbox/types.js';
import { formatProblem, type Lab, type LabPaths, loadLab } from './loader.js';

export interface LabVerdict {
  id: string;
  result: 'ok' | 'failed' | 'skipped';
  /** Why it failed or was skipped, one line each. */
  problems: string[];
  solution?: Score;
  starter?: Score;
  ms: number;
}

export interface Score {
  score: number;
  maxScore: number;
  gradable: boolean;
}

export interface ValidateDeps {
  paths: LabPaths;
  sandbox: Sandbox;
  features: KernelFeatures;
  grader: Grader;
}

export async function validateLab(id: string, deps: ValidateDeps): Promise<LabVerdict> {
  const started = performance.now();
  const verdict = (v: Omit<LabVerdict, 'id' | 'ms'>): LabVerdict => ({
    id,
    ...v,
    ms: Math.round(performance.now() - started),
  });
  const loaded = await loadLab(id, deps.paths);
  if (!loaded.ok) return verdict({ result: 'failed', problems: loaded.problems.map(formatProblem) });
  const { lab } = loaded;

  const missing = missingFeatures(lab.manifest.requires, deps.features);
  if (missing.length > 0) {
    return verdict({ result: 'skipped', problems: missing.map((m) => `needs ${m.feature}: ${m.reason}`) });
  }

  const problems: string[] = [];
  const solution = await gradeVariant(lab, 'solution', deps, problems);
  const starter = await gradeVariant(lab, 'starter', deps, problems);
  if (solution.gradable && solution.score < solution.maxScore) {
    problems.push(`the solution scores ${solution.score}/${solution.maxScore}, not full marks`);
  }
  if (starter.gradable && starter.score >= starter.maxScore) {
    problems.push(`the starter already scores full marks (${starter.score}/${starter.maxScore})`);
  }
  return verdict({ result: problems.length > 0 ? 'failed' : 'ok', problems, solution, starter });
}

async function gradeVariant(
  lab: Lab,
  variant: 'solution' | 'starter',
  deps: ValidateDeps,
  problems: string[],
): Promise<Score> {
  const files: Record<string, string> = {};
  for (const f of lab.manifest.files) {
    if (!f.readonly) files[f.path] = await readFile(path.join(lab.dir, variant, f.path), 'utf8');
  }
  let record: RunRecord = { loaded: { programs: [], maps: [] }, maps: [], workloadTimedOut: false };
  const grade = await deps.grader.grade({
    lab,
    files,
    sandbox: deps.sandbox,
    onFinished: (finished) => (record = finished),
  });
  if (!grade.gradable) problems.push(`the ${variant} could not be graded: ${grade.message}`);
  else if (variant === 'solution') {
    problems.push(...unknownMaps(lab, record.maps));
    problems.push(...failedChecks(grade).map((c) => `the solution fails ${c}`));
  }
  if (record.workloadTimedOut) {
    const seconds = (lab.manifest.workload?.timeoutMs ?? 0) / 1000;
    problems.push(
      `the workload did not finish within ${seconds} s (workload.timeoutMs) when grading the ${variant}: it must end on its own, whatever the learner's program does`,
    );
  }
  const ids = record.loaded;
  const left = await leftovers(deps.sandbox, ids);
  if (left.programs.length > 0 || left.maps.length > 0) {
    problems.push(
      `grading the ${variant} left programs [${left.programs.join(', ')}] and maps [${left.maps.join(', ')}] loaded`,
    );
  }
  return { score: grade.score, maxScore: grade.maxScore, gradable: grade.gradable };
}

/** Map checks that name a map the loaded object lacks, each with the maps it has. */
function unknownMaps(lab: Lab, objectMaps: string[]): string[] {
  if (objectMaps.length === 0) return []; // nothing was loaded: the failing load says why
  const object = lab.manifest.attach?.object ?? 'the object';
  return lab.manifest.checks.flatMap((c) =>
    c.type === 'map' && !objectMaps.includes(c.map)
      ? [
          `check “${c.id}” names the map "${c.map}", which ${object} does not have (its maps: ${objectMaps.join(', ')})`,
        ]
      : [],
  );
}

/** Each check that did not pass: a failed one with what it expected and what it saw, a skipped one with why. */
function failedChecks(grade: Grade): string[] {
  const oneLine = (text: string | undefined) =>
    (text ?? '(not said)')
      .split('\n')
      .map((l) => l.trim())
      .join(' / ');
  return grade.checks
    .filter((c) => c.status !== 'passed')
    .map((c) =>
      c.status === 'skipped'
        ? `“${c.title}” (skipped: ${oneLine(c.actual)})`
        : `“${c.title}”\n  expected: ${oneLine(c.expected)}\n  actual:   ${oneLine(c.actual)}`,
    );
}
