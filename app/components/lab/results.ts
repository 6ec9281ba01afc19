/**
 * What the results panel shows for a grade. A grade the platform could not produce is presented
 * as the platform's problem, never as a failed attempt by the learner.
 */
import type { CheckResult, Diagnostic, Grade } from '@/server/protocol/lab';
import { STAGES } from './check-progress';

export interface CheckRow {
  id: string;
  title: string;
  status: CheckResult['status'];
  statusText: string;
  pointsText: string;
  expected?: string;
  actual?: string;
  feedback?: string;
}

export interface DiagnosticRow {
  diagnostic: Diagnostic;
  location: string;
  text: string;
}

export type ResultsView =
  | { kind: 'platform'; message: string; log: string }
  | {
      kind: 'graded';
      passed: boolean;
      headline: string;
      scoreText: string;
      message: string;
      checks: CheckRow[];
      diagnostics: DiagnosticRow[];
      timings: string;
      log: string;
    };

const STATUS_TEXT: Record<CheckResult['status'], string> = {
  passed: 'Passed',
  failed: 'Failed',
  skipped: 'Skipped',
};

export function points(n: number, max: number): string {
  return `${n} / ${max} ${max === 1 ? 'point' : 'points'}`;
}

export function isPassing(grade: Grade): boolean {
  return grade.gradable && grade.checks.length > 0 && grade.checks.every((c) => c.status === 'passed');
}

export function resultsView(grade: Grade): ResultsView {
  if (!grade.gradable) return { kind: 'platform', message: grade.message, log: grade.log };
  const passed = isPassing(grade);
  return {
    kind: 'graded',
    passed,
    // The grader's message already counts the checks ("2 of 5 checks passed (2/8 points)."),
    // so the headline only gives the verdict.
    headline: passed ? 'Passed' : 'Not passed yet',
    scoreText: points(grade.score, grade.maxScore),
    message: grade.message,
    checks: grade.checks.map(checkRow),
    diagnostics: grade.diagnostics.map(diagnosticRow),
    timings: timingsText(grade.timings),
    log: grade.log,
  };
}

function checkRow(check: CheckResult): CheckRow {
  return {
    id: check.id,
    title: check.title,
    status: check.status,
    statusText: STATUS_TEXT[check.status],
    pointsText: points(check.points, check.maxPoints),
    ...(check.expected === undefined ? {} : { expected: check.expected }),
    ...(check.actual === undefined ? {} : { actual: check.actual }),
    ...(check.feedback === undefined ? {} : { feedback: check.feedback }),
  };
}

export function diagnosticRow(diagnostic: Diagnostic): DiagnosticRow {
  const column = diagnostic.column > 0 ? `:${diagnostic.column}` : '';
  return {
    diagnostic,
    location: `${diagnostic.file}:${diagnostic.line}${column}`,
    text: `${diagnostic.severity} (${diagnostic.source}): ${diagnostic.message}`,
  };
}

/** "compile 42 ms · load 8 ms · total 61 ms", in pipeline order. */
export function timingsText(timings: Grade['timings']): string {
  return [...STAGES, 'total' as const]
    .flatMap((stage) => {
      const ms = timings[stage];
      return ms === undefined ? [] : [`${stage} ${Math.round(ms)} ms`];
    })
    .join(' · ');
}
