/**
 * A learner's mistakes stay in their sandbox: a fork bomb hits the pids limit while the server
 * keeps answering, a memory hog is OOM-killed, and a command cut at its timeout takes everything
 * it started with it. The sandbox is usable again afterwards.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Enforcement } from './cgroup-layout.js';
import { cannotRunLocalDriver, startTestDriver } from './itest-support.js';
import type { LocalSandbox } from './local-sandbox.js';

const PIDS = 128;
const MEMORY_MB = 128;
const skip = cannotRunLocalDriver();
const opts = { timeoutMs: 10_000, maxOutputBytes: 64 * 1024 };

/** The processes the sandbox has when idle: unshare (on the host side), its init and the init's sleep. */
const IDLE = 3;

/**
 * The count of processes once the sandbox is quiet again. A killed command's first process is a
 * child of nsenter, which is outside the sandbox's pid namespace, so the host's init reaps it:
 * at once under systemd, after a while under some container inits.
 */
async function settlesTo(sandbox: LocalSandbox, count: number): Promise<number> {
  let pids = await sandbox.pids();
  for (let i = 0; i < 500 && pids.length > count; i++) {
    await sleep(10);
    pids = await sandbox.pids();
  }
  return pids.length;
}

describe.skipIf(skip !== null)(`local sandbox limits${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let test: Awaited<ReturnType<typeof startTestDriver>>;
  let sandbox: LocalSandbox;
  let how: Record<'pids' | 'memory' | 'cpu', Enforcement>;

  beforeAll(async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    test = await startTestDriver({
      BPFLAB_SANDBOX_PIDS: String(PIDS),
      BPFLAB_SANDBOX_MEMORY_MB: String(MEMORY_MB),
      BPFLAB_SANDBOX_CPUS: '1',
    });
    how = test.driver.enforcement;
    sandbox = (await test.driver.create({ sessionId: 'limits' })) as LocalSandbox;
  });
  afterAll(async () => {
    vi.restoreAllMocks();
    await test?.close();
  });

  it('contains a fork bomb at the pids limit while the server stays responsive', async (ctx) => {
    if (how.pids === 'none') ctx.skip(true, 'this host has no pids cgroup controller');
    const lag = monitorEventLoopDelay({ resolution: 10 });
    lag.enable();
    // The classic bomb, its first shell kept alive so that the bomb lasts until the timeout.
    const bomb = sandbox.exec(['bash', '-c', 'bomb() { bomb | bomb & }; bomb; sleep 60'], {
      ...opts,
      timeoutMs: 4_000,
    });
    let peak = 0;
    const started = performance.now();
    while (performance.now() - started < 3_000) {
      peak = Math.max(peak, (await sandbox.pids()).length);
      await sleep(100);
    }
    // It ends either way: bash gives up once forks keep failing, or the timeout kills its group.
    const result = await bomb;
    lag.disable();

    expect(result.timedOut).toBe(true);
    expect(peak).toBeGreaterThan(PIDS / 2);
    expect(peak).toBeLessThanOrEqual(PIDS);
    // The server's event loop kept turning: no stall near the length of the bomb.
    console.log(
      `event loop during the fork bomb: p99 ${lag.percentile(99) / 1e6} ms, max ${lag.max / 1e6} ms`,
    );
    expect(lag.percentile(99) / 1e6).toBeLessThan(100);
    expect(lag.max / 1e6).toBeLessThan(500);

    expect(await settlesTo(sandbox, IDLE)).toBe(IDLE);
    expect((await sandbox.exec(['echo', 'still here'], opts)).stdout).toBe('still here\n');
  });

  it('OOM-kills a memory hog and nothing else', async (ctx) => {
    if (how.memory !== 'cgroup v1' && how.memory !== 'cgroup v2')
      ctx.skip(true, 'no memory cgroup controller');
    // The same 512 MiB streamed through is fine; kept in memory (tail keeps its last "line",
    // and zeros have no newline) it is 512 MiB against a 128 MiB limit.
    const streamed = await sandbox.exec(['sh', '-c', 'head -c 512M /dev/zero | tail -c 1 | wc -c'], opts);
    expect(streamed.stdout.trim()).toBe('1');
    const killed = await sandbox.exec(['sh', '-c', 'head -c 512M /dev/zero | tail; echo "tail: $?"'], opts);
    expect(killed.stdout).toContain('tail: 137');
    expect((await sandbox.exec(['echo', 'still here'], opts)).stdout).toBe('still here\n');
  });

  it('kills everything a timed-out command started', async () => {
    const result = await sandbox.exec(['sh', '-c', 'sleep 60 & sleep 60 & sleep 60'], {
      ...opts,
      timeoutMs: 300,
    });
    expect(result).toMatchObject({ timedOut: true, signal: 'SIGKILL' });
    expect(await settlesTo(sandbox, IDLE)).toBe(IDLE);
  });

  it('stops a long-running process on request, and reports its lines', async () => {
    const proc = sandbox.spawn(['sh', '-c', 'echo started; exec sleep 60'], opts);
    const lines: string[] = [];
    proc.onLine((line) => {
      lines.push(line);
      proc.kill('SIGTERM');
    });
    expect((await proc.exited).signal).toBe('SIGTERM');
    expect(lines).toEqual(['started']);
    expect(await settlesTo(sandbox, IDLE)).toBe(IDLE);
  });
});
