/**
 * How the figure modules of bench/ measure: the plan (how many runs, from BENCH_QUICK), repeating
 * a measurement with its warm-up runs discarded, and turning samples into report figures stamped
 * with the load average of the moment. Every module takes its counts from the plan, so that the
 * whole suite is reproducible and one switch makes it quick.
 */
import { loadavg } from 'node:os';
import type { Figure, FigureDef } from './report.js';
import { round, summarize } from './stats.js';

export interface Plan {
  /** BENCH_QUICK=1: a few runs per figure, to prove the suite works, not to compare figures. */
  quick: boolean;
  /** Measured runs of a figure that takes a second or more per run. */
  runs: number;
  /** Measured runs of a figure that takes well under a second per run. */
  cheapRuns: number;
  /** Runs done first and discarded (caches, JIT, page cache). */
  warmup: number;
  /** Learners pressing Check at once, and learners kept idle for the memory figure. */
  learners: number;
  /** Keys typed for the keystroke echo figures. */
  keys: number;
  /** BENCH_VM=0 leaves the VM driver's figures out (they boot a VM: minutes under emulation). */
  vm: boolean;
}

/** The plan from the environment: BENCH_QUICK=1 for a quick pass, BENCH_VM=0 to leave VMs out. */
export function planFrom(env: Record<string, string | undefined>): Plan {
  for (const name of ['BENCH_QUICK', 'BENCH_VM'] as const) {
    const value = env[name];
    if (value !== undefined && value !== '0' && value !== '1')
      throw new Error(`${name} must be 0 or 1, got ${JSON.stringify(value)}`);
  }
  const quick = env.BENCH_QUICK === '1';
  const vm = env.BENCH_VM !== '0';
  return quick
    ? { quick, runs: 3, cheapRuns: 5, warmup: 1, learners: 6, keys: 200, vm }
    : { quick, runs: 10, cheapRuns: 30, warmup: 2, learners: 30, keys: 1000, vm };
}

/** Runs `once` warmup + runs times and returns what the measured runs returned. */
export async function repeat<T>(
  runs: number,
  warmup: number,
  once: (run: number) => Promise<T>,
): Promise<T[]> {
  const kept: T[] = [];
  for (let i = 0; i < warmup + runs; i++) {
    const value = await once(i);
    if (i >= warmup) kept.push(value);
  }
  return kept;
}

/** Milliseconds `work` took, with what it returned. */
export async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await work();
  return { value, ms: performance.now() - started };
}

const loadNow = () => round(loadavg()[0]!, 2);

/** A figure made of samples, summarised at `decimals` places (whole ms for a Check, hundredths for a key). */
export function distribution(def: FigureDef, samples: readonly number[], decimals = 0): Figure {
  const summary = summarize(samples, { decimals });
  return { ...def, runs: summary.runs, loadAverage: loadNow(), summary };
}

/** A figure of one value (a byte count, a ratio), made from `runs` runs. */
export function single(def: FigureDef, value: number, runs: number, decimals = 0): Figure {
  return { ...def, runs, loadAverage: loadNow(), value: round(value, decimals) };
}

export function notMeasured(def: FigureDef, why: string): Figure {
  return { ...def, runs: 0, loadAverage: null, notMeasured: why };
}

/** `figure` with its floor: the floor's p50 and the ratio of the figure's p50 to it. */
export function withFloor(figure: Figure, floor: Figure): Figure {
  const own = figure.summary?.p50 ?? figure.value;
  const base = floor.summary?.p50 ?? floor.value;
  if (own === undefined || base === undefined || base <= 0) return figure;
  return { ...figure, floor: { title: floor.title, p50: base, ratio: round(own / base, 2) } };
}

/** Figure definitions of one module: ids prefixed with its name, in ms unless told otherwise. */
export function figuresOf(module: string) {
  return (id: string, title: string, rest: Partial<FigureDef> = {}): FigureDef => ({
    id: `${module}.${id}`,
    title,
    unit: 'ms',
    ...rest,
  });
}

/** What a bench module does: measures its figures and hands each to `record` as soon as it has it. */
export interface Bench {
  name: string;
  /** Every figure it reports, so that a failure can still list each as not measured. */
  figures: readonly FigureDef[];
  run(plan: Plan, record: (figure: Figure) => void): Promise<void>;
}
