/**
 * Local sandbox lifecycle, server side: `driver.create()` until it resolves (the sandbox can run
 * commands), the first command's round trip, and `dispose()` until everything is gone; with the
 * default warm pool and cold (pool 0, every create starts namespaces). Target (issue 3): create
 * p95 ≤ 100 ms. Needs root (namespaces, mounts, cgroups).
 *
 *   npx tsx bench/session-ready.ts [runs]     # default 50 sandboxes per mode, after 3 warm-up ones
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { availableParallelism, loadavg, release } from 'node:os';
import path from 'node:path';
import { ConfigSchema } from '../server/config.js';
import { REPO_ROOT, startTestDriver } from '../server/sandbox/local/itest-support.js';

const RUNS = Number(process.argv[2] ?? 50);
const WARMUP = 3;
const TARGET_CREATE_P95_MS = 100;
/** BPFLAB_LOCAL_POOL's default (server/config.ts). */
const DEFAULT_POOL = ConfigSchema.shape.BPFLAB_LOCAL_POOL.parse(undefined);
const EXEC = { timeoutMs: 10_000, maxOutputBytes: 4096 };

interface Summary {
  runs: number;
  p50: number;
  p95: number;
  max: number;
}

function summarize(samples: number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) =>
    sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? Number.NaN;
  const round = (ms: number) => Math.round(ms * 10) / 10;
  return {
    runs: sorted.length,
    p50: round(at(0.5)),
    p95: round(at(0.95)),
    max: round(sorted.at(-1) ?? Number.NaN),
  };
}

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
  const result = {
    when: new Date().toISOString(),
    machine,
    warm,
    cold,
    targetCreateP95Ms: TARGET_CREATE_P95_MS,
  };

  console.log(
    `local sandbox lifecycle, ${RUNS} sandboxes per mode (after ${WARMUP} warm-up), load ${machine.loadavg1}`,
  );
  console.table({
    [`create (pool ${DEFAULT_POOL}, default)`]: warm.create,
    'create (pool 0, cold)': cold.create,
    'first exec': warm.firstExec,
    dispose: warm.dispose,
  });
  const verdict = warm.create.p95 <= TARGET_CREATE_P95_MS ? 'meets' : 'MISSES';
  console.log(
    `create p95 ${warm.create.p95} ms (default pool) ${verdict} the target of ${TARGET_CREATE_P95_MS} ms`,
  );
  const out = path.join(REPO_ROOT, 'bench/results/session-ready.json');
  await mkdir(path.dirname(out), { recursive: true });
  await writeFile(out, `${JSON.stringify(result, null, 2)}\n`);
  console.log(`wrote ${path.relative(REPO_ROOT, out)}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
