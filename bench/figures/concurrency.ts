/**
 * A class pressing Check at once: on a production server, N learners (30; fewer in quick mode),
 * each with hello-execve open, send `lab:check` a few milliseconds apart, so that their arrival
 * order is known. First each with source of their own (every one must be compiled), then all with
 * the same source (what a class handed the same answer sends). Measured: each learner's wait from
 * their click to their grade, how far the finishing order follows the arrival order, and the CPU
 * time per Check: the server process's (/proc) plus its sandboxes' (their cgroup's cpu.stat).
 */
import { type Bench, distribution, figuresOf, type Plan, single } from '../measure.js';
import type { Figure } from '../report.js';
import {
  check,
  expectFullMarks,
  learnerAtLab,
  type MeasuredServer,
  solutionFiles,
  startMeasuredServer,
  variant,
} from '../server.js';
import { inArrivalOrder } from '../stats.js';

const LAB = 'hello-execve';
/** Between two learners' clicks: enough to make the arrival order unambiguous, short next to a Check. */
const SPACING_MS = 20;
const SETTLE_MS = 2000;

const QUEUE_OBSTACLE =
  'Checks that run at once share the cores, so each takes as long as all together; a bounded queue in arrival order lets early ones finish early';

const def = figuresOf('concurrency');

const FIGURES = {
  distinct: def('distinct', 'learners pressing Check at once, each their own source: click → grade', {
    target: { stat: 'p95', atMost: 7000 },
    obstacle: `${QUEUE_OBSTACLE}; and each Check costs more CPU than 0.45 s`,
  }),
  fairness: def('distinct-p50-over-p95', 'learners pressing Check at once: p50 ÷ p95', {
    unit: '×',
    target: { stat: 'value', atMost: 0.5 },
    obstacle: QUEUE_OBSTACLE,
  }),
  order: def('arrival-order', 'learners pressing Check at once: pairs finishing in arrival order', {
    unit: '%',
    target: { stat: 'value', atLeast: 90 },
    obstacle: QUEUE_OBSTACLE,
  }),
  cpu: def('cpu-per-check', 'CPU time per Check (server + sandbox), own source', {
    target: { stat: 'value', atMost: 450 },
    obstacle:
      'clang’s compile, the workload and the runner in the sandbox, and the server’s spawning and parsing',
  }),
  cpuServer: def('cpu-per-check.server', 'CPU time per Check, the server process’s share'),
  cpuSandbox: def('cpu-per-check.sandbox', 'CPU time per Check, the sandbox’s share'),
  identical: def('identical', 'learners pressing Check at once, identical source: click → grade', {
    target: { stat: 'p95', atMost: 5000 },
    obstacle: 'identical submissions are each compiled again instead of once',
  }),
  identicalCpu: def('identical.cpu-per-check', 'CPU time per Check (server + sandbox), identical source'),
};

interface Round {
  /** Each learner's click → grade, in arrival order. */
  waits: number[];
  /** When each learner's grade came, in arrival order. */
  finishes: number[];
  serverCpuMs: number;
  sandboxCpuMs: number;
}

async function pressAtOnce(
  site: MeasuredServer,
  learners: Awaited<ReturnType<MeasuredServer['learner']>>[],
  filesOf: (i: number) => Record<string, string>,
): Promise<Round> {
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
  const [server0, sandbox0] = [await site.cpuMs(), await site.sandboxCpuMs()];
  const pending: Promise<{ wait: number; finish: number }>[] = [];
  for (const [i, socket] of learners.entries()) {
    pending.push(
      check(socket, LAB, filesOf(i), 600_000).then(({ reply, ms }) => {
        expectFullMarks(reply, `learner ${i}`);
        return { wait: ms, finish: performance.now() };
      }),
    );
    await new Promise((resolve) => setTimeout(resolve, SPACING_MS));
  }
  const done = await Promise.all(pending);
  return {
    waits: done.map((d) => d.wait),
    finishes: done.map((d) => d.finish),
    serverCpuMs: (await site.cpuMs()) - server0,
    sandboxCpuMs: (await site.sandboxCpuMs()) - sandbox0,
  };
}

function cpuPerCheck(round: Round) {
  const n = round.waits.length;
  return {
    total: (round.serverCpuMs + round.sandboxCpuMs) / n,
    server: round.serverCpuMs / n,
    sandbox: round.sandboxCpuMs / n,
  };
}

export const concurrencyBench: Bench = {
  name: 'concurrency',
  figures: Object.values(FIGURES),
  async run(plan: Plan, record: (f: Figure) => void) {
    const files = await solutionFiles(LAB);
    const site = await startMeasuredServer();
    try {
      const learners = [];
      for (let i = 0; i < plan.learners; i++) learners.push(await learnerAtLab(site, LAB));
      const nonce = Date.now().toString(36);
      expectFullMarks(
        (await check(learners[0]!, LAB, variant(files, `bench ${nonce} warm-up`))).reply,
        'warm-up',
      );

      const own = await pressAtOnce(site, learners, (i) => variant(files, `bench ${nonce} learner ${i}`));
      const waits = distribution(FIGURES.distinct, own.waits);
      record(waits);
      record(single(FIGURES.fairness, waits.summary!.p50 / waits.summary!.p95, waits.runs, 2));
      record(single(FIGURES.order, 100 * inArrivalOrder(own.finishes), waits.runs));
      const cpu = cpuPerCheck(own);
      record(single(FIGURES.cpu, cpu.total, waits.runs));
      record(single(FIGURES.cpuServer, cpu.server, waits.runs));
      record(single(FIGURES.cpuSandbox, cpu.sandbox, waits.runs));

      const same = variant(files, `bench ${nonce} everyone`);
      const identical = await pressAtOnce(site, learners, () => same);
      record(distribution(FIGURES.identical, identical.waits));
      record(single(FIGURES.identicalCpu, cpuPerCheck(identical).total, identical.waits.length));
    } finally {
      await site.stop();
    }
  },
};
