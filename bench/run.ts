/**
 * `make bench`: every benchmark of bpflab in one run, one module per group of figures (bench/
 * figures/), written to bench/results/latest.json and latest.md with each figure's target and
 * whether it is met. A module that fails leaves its figures "not measured" with the reason, and the
 * run exits non-zero; the others still run. See docs/performance.md.
 *
 *   npx tsx bench/run.ts                  # the full suite (about ten minutes on 2 cores)
 *   BENCH_QUICK=1 npx tsx bench/run.ts    # a few runs per figure: proves the suite works
 *   BENCH_VM=0 …                          # leave out the VM driver (it boots a VM)
 *   BENCH_ONLY=check,terminal …           # only these modules (a partial report)
 *
 * Needs root (the local driver, BPF), the build (`make build`) and, for the VM figures, the
 * guest image (`make vm-image`).
 */
import { availableParallelism, release } from 'node:os';
import path from 'node:path';
import { browserBench } from './figures/browser.js';
import { checkBench } from './figures/check.js';
import { concurrencyBench } from './figures/concurrency.js';
import { sessionBench } from './figures/sessions.js';
import { terminalBench } from './figures/terminal.js';
import { vmBench } from './figures/vm.js';
import { type Bench, notMeasured, planFrom } from './measure.js';
import { type Figure, markdown, type Report, writeReport } from './report.js';

const BENCHES: Bench[] = [browserBench, checkBench, sessionBench, terminalBench, concurrencyBench, vmBench];

const plan = planFrom(process.env);
const only = process.env.BENCH_ONLY?.split(',').filter(Boolean);
const unknown = only?.filter((name) => !BENCHES.some((b) => b.name === name)) ?? [];
if (unknown.length > 0)
  throw new Error(
    `BENCH_ONLY: no module ${unknown.join(', ')} (there are ${BENCHES.map((b) => b.name).join(', ')})`,
  );

const started = new Date();
const figures: Figure[] = [];
let failed = false;
for (const bench of BENCHES.filter((b) => !only || only.includes(b.name))) {
  console.log(`\n== ${bench.name}`);
  const mine: Figure[] = [];
  const record = (figure: Figure) => {
    mine.push(figure);
    console.log(`${figure.id}: ${figure.notMeasured ?? JSON.stringify(figure.summary ?? figure.value)}`);
  };
  try {
    await bench.run(plan, record);
  } catch (error) {
    failed = true;
    const why = `the ${bench.name} bench failed: ${String(error).split('\n')[0]}`;
    console.error(error);
    for (const def of bench.figures) if (!mine.some((f) => f.id === def.id)) mine.push(notMeasured(def, why));
  }
  // In the order the module declares them, whatever order they were measured in.
  const order = (f: Figure) => bench.figures.findIndex((d) => d.id === f.id);
  figures.push(...mine.sort((a, b) => order(a) - order(b)));
}

const report: Report = {
  date: started.toISOString(),
  quick: plan.quick,
  durationSeconds: Math.round((Date.now() - started.getTime()) / 1000),
  machine: { cpus: availableParallelism(), kernel: release(), node: process.version },
  figures,
};
const written = await writeReport(report, path.join(import.meta.dirname, 'results'));
console.log(`\n${markdown(report)}\nwrote ${written.map((f) => path.relative(process.cwd(), f)).join(', ')}`);
process.exitCode = failed ? 1 : 0;
