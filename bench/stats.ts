/**
 * Summarising samples, shared by every figure of the benchmark suite (bench/run.ts): nearest-rank
 * percentiles and rounding (the suite's report is bench/report.ts); and, for the stand-alone
 * scripts in bench/, an aligned plain-text table and one JSON result file per script.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** Statistics of one series of samples, in the samples' unit. */
export interface Summary {
  runs: number;
  mean: number;
  p50: number;
  p90: number;
  p95: number;
  p99: number;
  max: number;
}

/**
 * The nearest-rank percentile of samples sorted ascending: the smallest sample with at least
 * `percent`% of the samples at or below it, so it is always a measured value, never interpolated.
 * `percent` is a whole number so that the rank is computed exactly: as a fraction it can land just
 * above a whole rank (0.07 * 100 is 7.000000000000001) and pick the next sample.
 */
export function percentile(sorted: readonly number[], percent: number): number {
  if (sorted.length === 0) throw new Error('percentile of no samples');
  if (!Number.isInteger(percent) || percent <= 0 || percent > 100)
    throw new Error(`percent must be an integer in 1..100, got ${percent}`);
  return sorted[Math.ceil((percent * sorted.length) / 100) - 1]!;
}

export function round(value: number, decimals: number): number {
  const scale = 10 ** decimals;
  return Math.round(value * scale) / scale;
}

/**
 * Summarises samples, rounded to `decimals` places: a resolution that suits the benchmark
 * (whole ms for a check that takes hundreds, hundredths for a keystroke that takes one).
 */
export function summarize(samples: readonly number[], { decimals = 1 } = {}): Summary {
  if (samples.length === 0) throw new Error('summarize: no samples (runs must be at least 1)');
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (percent: number) => round(percentile(sorted, percent), decimals);
  return {
    runs: sorted.length,
    mean: round(sorted.reduce((a, b) => a + b, 0) / sorted.length, decimals),
    p50: at(50),
    p90: at(90),
    p95: at(95),
    p99: at(99),
    max: round(sorted.at(-1)!, decimals),
  };
}

/**
 * How far finishing follows arriving: of every pair of jobs, the share (0..1) in which the one
 * that arrived first finished no later than the other. `finishes` is in arrival order. A fair
 * queue keeps it near 1; jobs that all run at once and end together leave it near one half.
 */
export function inArrivalOrder(finishes: readonly number[]): number {
  if (finishes.length < 2) throw new Error('arrival order needs at least two jobs');
  let kept = 0;
  let pairs = 0;
  for (let i = 0; i < finishes.length; i++) {
    for (let j = i + 1; j < finishes.length; j++) {
      pairs++;
      if (finishes[i]! <= finishes[j]!) kept++;
    }
  }
  return kept / pairs;
}

type Cell = string | number;

/**
 * Formats a table with every column as wide as its widest cell: columns holding only numbers are
 * right-aligned so their digits line up, all other columns (the row labels first) left-aligned.
 */
function formatTable(header: readonly string[], rows: readonly (readonly Cell[])[]): string {
  const numeric = header.map((_, column) => rows.every((row) => typeof row[column] === 'number'));
  const text = [header, ...rows].map((row) => header.map((_, column) => String(row[column] ?? '')));
  const widths = header.map((_, column) => Math.max(...text.map((row) => row[column]!.length)));
  return text
    .map((row) =>
      row
        .map((cell, column) =>
          numeric[column] ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!),
        )
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

export function printTable(header: readonly string[], rows: readonly (readonly Cell[])[]): void {
  console.log(formatTable(header, rows));
}

const RESULTS_DIR = path.join(import.meta.dirname, 'results');

/**
 * Writes bench/results/<benchmark>.json, headed by the benchmark's name and the date. One file per
 * benchmark: a run replaces the previous figures, so the folder always holds the latest of each.
 */
export async function writeResult(benchmark: string, data: Record<string, unknown>): Promise<void> {
  const file = path.join(RESULTS_DIR, `${benchmark}.json`);
  await mkdir(RESULTS_DIR, { recursive: true });
  const record = { benchmark, date: new Date().toISOString(), ...data };
  await writeFile(file, `${JSON.stringify(record, null, 2)}\n`);
  console.log(`wrote ${path.relative(process.cwd(), file)}`);
}
