/**
 * Local sandbox lifecycle, server side: `driver.create()` until it resolves (the sandbox can run
 * commands), the first command's round trip, and `dispose()` until everything is gone; with the
 * default warm pool and cold (pool 0, every create starts namespaces). Target (issue 3): create
 * p95 ≤ 100 ms. Needs root (namespaces, mounts, cgroups).
 *
 *   npx tsx bench/session-ready.ts [runs]     # default 50 sandboxes per mode, after 3 warm-up ones
 */
import { availableParallelism, loadavg, release } from 'node:os';
import { ConfigSchema } from '../server/config.js';
import { startTestDriver } from '../server/sandbox/local/itest-support.js';
import { printTable, type Summary, summarize, writeResult } from './stats.js';

const RUNS = Number(process.argv[2] ?? 50);
const WARMUP = 3;
const TARGET_CREATE_P95_MS = 100;
/** BPFLAB_LOCAL_POOL's default (server/config.ts). */
const DEFAULT_POOL = ConfigSchema.shape.BPFLAB_LOCAL_POOL.parse(undefined);
const EXEC = { timeoutMs: 10_000, maxOutputBytes: 4096 };

interface Mode {
  create: Summary;
  firstExec: Summary;
  dispose: Summary;
}

/** RUNS sandboxes made, used once and disposed one after another, with `pool` kept warm. */
async function measure(pool: number): Promise<Mode> {
  const originalWarn = console.warn;
  console.warn = () => {}; // the driver's shared-kernel banner, once per start
  const test = await startTestDriver({ BPFLAB_LOCAL_POOL: String(pool) });
  console.warn = originalWarn;
  const samples = { create: [] as number[], firstExec: [] as number[], dispose: [] as number[] };
  try {
    for (let i = 0; i < WARMUP + RUNS; i++) {
      let started = performance.now();
      const sandbox = await test.driver.create({ sessionId: `bench-${i}` });
      const create = performance.now() - started;
      started = performance.now();
      const ran = await sandbox.exec(['true'], EXEC);
      const firstExec = performance.now() - started;
      if (ran.exitCode !== 0) throw new Error(`run ${i}: true failed: ${ran.stderr}`);
      started = performance.now();
      await sandbox.dispose();
      const dispose = performance.now() - started;
      if (i < WARMUP) continue;
      samples.create.push(create);
      samples.firstExec.push(firstExec);
      samples.dispose.push(dispose);
    }
  } finally {
    await test.close();
  }
  return {
    create: summarize(samples.create),
    firstExec: summarize(samples.firstExec),
    dispose: summarize(samples.dispose),
  };
}

async function main(): Promise<void> {
  if (process.getuid?.() !== 0) throw new Error('the local driver needs root');
  const machine = { kernel: release(), cpus: availableParallelism(), loadavg1: loadavg()[0] };
  const warm = await measure(DEFAULT_POOL);
  const cold = await measure(0);
  console.log(
    `local sandbox lifecycle, ${RUNS} sandboxes per mode (after ${WARMUP} warm-up), load ${machine.loadavg1}`,
  );
  const row = (step: string, s: Summary) => [step, s.runs, s.p50, s.p95, s.max];
  printTable(
    ['step', 'runs', 'p50 ms', 'p95 ms', 'max ms'],
    [
      row(`create (pool ${DEFAULT_POOL}, default)`, warm.create),
      row('create (pool 0, cold)', cold.create),
      row('first exec', warm.firstExec),
      row('dispose', warm.dispose),
    ],
  );
  const verdict = warm.create.p95 <= TARGET_CREATE_P95_MS ? 'meets' : 'MISSES';
  console.log(
    `create p95 ${warm.create.p95} ms (default pool) ${verdict} the target of ${TARGET_CREATE_P95_MS} ms`,
  );
  await writeResult('session-ready', { machine, warm, cold, targetCreateP95Ms: TARGET_CREATE_P95_MS });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
