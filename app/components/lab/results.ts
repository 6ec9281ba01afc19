/**
 * What the results panel shows for a grade. A grade the platform could not produce is presented
 * as the platform's problem, never as a failed attempt by the learner.
 */
import type { CheckResult, Diagnostic, Grade, MapDiff, MapDiffRow, RecordedMap } from '@/server/protocol/lab';
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
  /** A failed map check's entries beside the expected ones; shown instead of expected and actual. */
  mapDiff?: MapDiffView;
}

/** A map check's diff as a table: a status in words per row, then the key's and the value's fields. */
export interface MapDiffView {
  /** "flows held 9 entries after the run." or, plainly, that it was empty. */
  caption: string;
  empty: boolean;
  columns: string[];
  rows: MapDiffRowView[];
  /** "… and 3 more entries not shown", or null. */
  omitted: string | null;
}

export interface MapDiffRowView {
  kind: MapDiffRow['kind'];
  /** The row's status in words, so colour is never the only sign. */
  statusText: string;
  cells: MapDiffCellView[];
  note?: string;
}

/** A field as expected (`text`) and, where the map held something else, what it held (`yours`). */
export interface MapDiffCellView {
  text: string;
  yours?: string;
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
    ...(check.mapDiff === undefined ? {} : { mapDiff: mapDiffView(check.mapDiff) }),
  };
}

export function mapDiffView(diff: MapDiff): MapDiffView {
  const empty = diff.totalEntries === 0;
  return {
    caption: empty
      ? `The map is empty: your program stored nothing in ${diff.map}.`
      : `${diff.map} held ${entries(diff.totalEntries)} after the run.`,
    empty,
    columns: [...diff.keyFields, ...diff.valueFields],
    rows: diff.rows.map((row) => ({
      kind: row.kind,
      statusText: rowStatus(row, diff.exhaustive),
      cells: [...row.key, ...row.value].map((cell) =>
        cell.expected === undefined
          ? { text: cell.actual ?? '—' }
          : cell.actual === undefined || cell.actual === cell.expected
            ? { text: cell.expected }
            : { text: cell.expected, yours: cell.actual },
      ),
      ...(row.note ? { note: row.note } : {}),
    })),
    omitted: diff.omittedRows > 0 ? `… and ${entries(diff.omittedRows, 'more ')} not shown` : null,
  };
}

function rowStatus(row: MapDiffRow, exhaustive: boolean): string {
  switch (row.kind) {
    case 'ok':
      return 'Matches';
    case 'missing':
      return 'Missing';
    case 'extra':
      // In a check that does not list every entry, another entry is shown, not held against the learner.
      return exhaustive ? 'Extra' : 'Also in your map';
    case 'wrong':
      return row.key.some((c) => c.actual !== c.expected) ? 'Wrong key' : 'Wrong value';
  }
}

function entries(n: number, more = ''): string {
  return `${n} ${more}${n === 1 ? 'entry' : 'entries'}`;
}

/** A map after a Run, as a table. */
export interface RecordedMapView {
  name: string;
  caption: string;
  columns: string[];
  rows: string[][];
}

export function recordedMapView(map: RecordedMap): RecordedMapView {
  const shown = map.entries.length;
  return {
    name: map.name,
    caption:
      map.totalEntries === 0
        ? `${map.name} is empty.`
        : map.truncated
          ? `${map.name}: more than ${entries(shown)}, the first ${shown} shown.`
          : shown < map.totalEntries
            ? `${map.name}: ${entries(map.totalEntries)}, the first ${shown} shown.`
            : `${map.name}: ${entries(map.totalEntries)}.`,
    columns: [...map.keyFields, ...map.valueFields],
    rows: map.entries.map((e) => [...e.key, ...e.value]),
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
