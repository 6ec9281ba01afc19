/**
 * The report of the benchmark suite (bench/run.ts): what one figure is (the summary of its samples
 * or a single value, its run count, the load average while it was measured, its target and what
 * stands in the way when the target is missed, its floor on this machine and the ratio to it),
 * whether its target is met, and the two files `make bench` writes: bench/results/latest.json
 * (everything) and bench/results/latest.md (a markdown table of it).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Summary } from './stats.js';

/** Which number of a figure a target is about: a percentile of its samples, or its single value. */
export type Stat = 'p50' | 'p95' | 'p99' | 'value';

export interface Target {
  stat: Stat;
  atMost?: number;
  atLeast?: number;
}

/** What a figure is, written once in its bench module: the report's row without the measurement. */
export interface FigureDef {
  /** Stable key for comparing runs, `<module>.<figure>`. */
  id: string;
  title: string;
  unit: string;
  target?: Target;
  /** Shown when the target is not met: what stands in the way of meeting it. */
  obstacle?: string;
  /** How it was measured, when the title does not say enough. */
  note?: string;
}

export interface Figure extends FigureDef {
  /** Measured runs (samples) behind the figure, warm-up runs excluded; 0 when not measured. */
  runs: number;
  /** The 1-minute load average (os.loadavg) when its measurement ended; null when not measured. */
  loadAverage: number | null;
  /** A series of samples, summarised. */
  summary?: Summary;
  /** A single measured value (a byte count, a ratio, CPU per Check), in place of a summary. */
  value?: number;
  /** The same work's floor on this machine, measured in the same run, and this figure's p50 over it. */
  floor?: { title: string; p50: number; ratio: number };
  /** Why the figure was not measured in this run. */
  notMeasured?: string;
}

export type Verdict = 'met' | 'not met' | 'no target' | 'not measured';

/** The number a target is about, or undefined when the figure does not have it. */
function statOf(figure: Figure, stat: Stat): number | undefined {
  return stat === 'value' ? figure.value : figure.summary?.[stat];
}

export function verdict(figure: Figure): Verdict {
  if (figure.notMeasured !== undefined) return 'not measured';
  const { target } = figure;
  if (!target) return 'no target';
  const measured = statOf(figure, target.stat);
  if (measured === undefined)
    throw new Error(`${figure.id}: its target is on ${target.stat}, which it lacks`);
  const met =
    (target.atMost === undefined || measured <= target.atMost) &&
    (target.atLeast === undefined || measured >= target.atLeast);
  return met ? 'met' : 'not met';
}

/** `p95 ≤ 1000 ms`, `≥ 30 MB/s`: the target in words, with the figure's unit. */
export function targetText(target: Target, unit: string): string {
  const stat = target.stat === 'value' ? '' : `${target.stat} `;
  const bounds = [
    target.atLeast === undefined ? null : `≥ ${target.atLeast}`,
    target.atMost === undefined ? null : `≤ ${target.atMost}`,
  ].filter((b) => b !== null);
  const suffix = unit === '×' || unit === '' ? unit : ` ${unit}`;
  return `${stat}${bounds.join(' and ')}${suffix}`;
}

export interface Report {
  /** When the run started (ISO 8601). */
  date: string;
  /** BENCH_QUICK: fewer runs, to prove the suite works; not figures to compare. */
  quick: boolean;
  durationSeconds: number;
  machine: { cpus: number; kernel: string; node: string };
  figures: Figure[];
}

/** A table cell: pipes escaped, line breaks flattened. */
function cell(text: string): string {
  return text.replaceAll('|', '\\|').replace(/\s*\n\s*/g, ' ');
}

function cells(figure: Figure): string[] {
  const status = verdict(figure);
  const numbers =
    figure.summary !== undefined
      ? [figure.summary.p50, figure.summary.p95, figure.summary.p99].map(String)
      : figure.value !== undefined
        ? [String(figure.value), '—', '—']
        : ['—', '—', '—'];
  const floor = figure.floor ? `${figure.floor.ratio}× ${figure.floor.title} (${figure.floor.p50})` : '';
  const notes = [
    figure.notMeasured !== undefined ? `not measured: ${figure.notMeasured}` : null,
    status === 'not met' && figure.obstacle ? `stands in the way: ${figure.obstacle}` : null,
    figure.note ?? null,
  ].filter((n) => n !== null);
  return [
    `${figure.title} (${figure.unit})`,
    ...numbers,
    String(figure.runs),
    figure.loadAverage === null ? '—' : figure.loadAverage.toFixed(2),
    figure.target ? targetText(figure.target, figure.unit) : '—',
    status,
    floor,
    notes.join('; '),
  ].map(cell);
}

const HEADER = ['figure', 'p50', 'p95', 'p99', 'runs', 'load', 'target', 'met', 'floor (ratio)', 'notes'];
/** The numeric columns, aligned right. */
const RIGHT = new Set(['p50', 'p95', 'p99', 'runs', 'load']);

/** A markdown table with every column as wide as its widest cell, as the formatter (biome) writes it. */
function table(rows: string[][]): string[] {
  const widths = HEADER.map((h, i) => Math.max(3, h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) =>
    `| ${r.map((c, i) => (RIGHT.has(HEADER[i]!) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join(' | ')} |`;
  const rule = `| ${widths.map((w, i) => (RIGHT.has(HEADER[i]!) ? `${'-'.repeat(w - 1)}:` : '-'.repeat(w))).join(' | ')} |`;
  return [line(HEADER), rule, ...rows.map(line)];
}

/** The report as markdown: a heading, how many targets are met, and one table row per figure. */
export function markdown(report: Report): string {
  const verdicts = report.figures.map(verdict);
  const count = (v: Verdict) => verdicts.filter((x) => x === v).length;
  const targets = count('met') + count('not met');
  const { cpus, kernel, node } = report.machine;
  return [
    `# Benchmarks, ${report.date}`,
    '',
    `\`make bench\`${report.quick ? ' in quick mode (BENCH_QUICK=1: few runs, not for comparing)' : ''} on ${cpus} CPUs, kernel ${kernel}, Node ${node}; ${report.durationSeconds} s in all.`,
    `${count('met')} of ${targets} targets met; ${count('not measured')} figures not measured.`,
    'A single value (a count, a ratio) stands in the p50 column. Load is the 1-minute load average when the figure was measured.',
    'What each figure measures and what dominates it: [docs/performance.md](../../docs/performance.md).',
    '',
    ...table(report.figures.map(cells)),
    '',
  ].join('\n');
}

/** Writes `latest.json` and `latest.md` into `dir`; returns their paths. */
export async function writeReport(report: Report, dir: string): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const json = path.join(dir, 'latest.json');
  const md = path.join(dir, 'latest.md');
  const withVerdicts = { ...report, figures: report.figures.map((f) => ({ ...f, verdict: verdict(f) })) };
  await writeFile(json, `${JSON.stringify(withVerdicts, null, 2)}\n`);
  await writeFile(md, markdown(report));
  return [json, md];
}
