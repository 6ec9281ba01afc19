/**
 * Sandboxes and idle learners. Server side, the local driver alone: a sandbox created on demand
 * (no warm pool: namespaces, cgroups, workspace, until it runs commands) and a warm claim (a
 * learner taking a sandbox the pool made ahead, the default). On a production server: its
 * resident memory per idle learner, each with the lesson page's socket, the lab opened and a
 * shell at its prompt, after a settle, and the memory of the sandbox processes each one adds.
 */
import { ConfigSchema } from '../../server/config.js';
import { type Bench, distribution, type Plan, repeat, single, timed } from '../measure.js';
import type { Figure, FigureDef } from '../report.js';
import { learnerAtLab, startBareDriver, startMeasuredServer } from '../server.js';

/** BPFLAB_LOCAL_POOL's default (server/config.ts). */
const DEFAULT_POOL = ConfigSchema.shape.BPFLAB_LOCAL_POOL.parse(undefined);
const SETTLE_MS = 3000;
/** Time a local pool needs to start a sandbox again after a claim, with room to spare. */
const POOL_REFILL_MS = 500;

const FIGURES = {
  create: {
    id: 'sessions.create',
    title: 'local sandbox created on demand (pool 0), until it runs commands',
    unit: 'ms',
  },
  claim: {
    id: 'sessions.warm-claim',
    title: `local sandbox, warm claim (pool ${DEFAULT_POOL}, the default)`,
    unit: 'ms',
    target: { stat: 'p95', atMost: 100 },
    obstacle:
      'the pool is empty when claims come faster than it refills, and a claim then waits for a create',
  },
  baseRss: {
    id: 'sessions.server-rss',
    title: 'server RSS with one learner (Next, socket.io, the lab catalog loaded)',
    unit: 'MiB',
  },
  idleRss: {
    id: 'sessions.rss-per-idle-learner',
    title: 'server RSS per idle learner (socket, lab open, a shell)',
    unit: 'MiB',
    target: { stat: 'value', atMost: 5 },
    obstacle:
      'per-learner state in the server: the socket, the terminal scrollback buffer, the node-pty handle and the lab session',
  },
  idleSandbox: {
    id: 'sessions.sandbox-pss-per-idle-learner',
    title: 'sandbox memory per idle learner (PSS of its processes: init, bash)',
    unit: 'MiB',
    note: 'the workspace tmpfs holds only what the learner writes, and counts against BPFLAB_SANDBOX_DISK_MB',
  },
} satisfies Record<string, FigureDef>;

/** Creates, uses once and disposes sandboxes one after another; returns the create times. */
async function creates(plan: Plan, pool: number): Promise<number[]> {
  const test = await startBareDriver({ BPFLAB_LOCAL_POOL: String(pool) });
  try {
    return await repeat(plan.cheapRuns, plan.warmup, async (i) => {
      // A warm claim is one the pool can serve: let it refill after the previous claim.
      if (pool > 0) await new Promise((resolve) => setTimeout(resolve, POOL_REFILL_MS));
      const { value: sandbox, ms } = await timed(() => test.driver.create({ sessionId: `bench-${i}` }));
      const ran = await sandbox.exec(['true'], { timeoutMs: 10_000, maxOutputBytes: 4096 });
      if (ran.exitCode !== 0) throw new Error(`sandbox ${i}: true failed: ${ran.stderr}`);
      await sandbox.dispose();
      return ms;
    });
  } finally {
    await test.close();
  }
}

async function idleMemory(plan: Plan): Promise<Figure[]> {
  const site = await startMeasuredServer();
  try {
    const idle = () => learnerAtLab(site, 'hello-execve');
    await idle(); // warm-up: the first learner loads the code every learner uses
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
    const before = { server: await site.rssMiB(), sandboxes: await site.sandboxPssMiB() };
    for (let i = 0; i < plan.learners; i++) await idle();
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
    const after = { server: await site.rssMiB(), sandboxes: await site.sandboxPssMiB() };
    const perLearner = (key: keyof typeof before) => (after[key] - before[key]) / plan.learners;
    return [
      single(FIGURES.baseRss, before.server, 1, 1),
      single(FIGURES.idleRss, perLearner('server'), plan.learners, 2),
      single(FIGURES.idleSandbox, perLearner('sandboxes'), plan.learners, 2),
    ];
  } finally {
    await site.stop();
  }
}

export const sessionBench: Bench = {
  name: 'sessions',
  figures: Object.values(FIGURES),
  async run(plan, record) {
    record(distribution(FIGURES.create, await creates(plan, 0)));
    record(distribution(FIGURES.claim, await creates(plan, DEFAULT_POOL)));
    for (const figure of await idleMemory(plan)) record(figure);
  },
};
