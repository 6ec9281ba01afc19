/**
 * `bpflab-runner run --map-every MS` on the real kernel (runner/map_watch.c): while the run
 * streams, `maps` snapshots come every MS milliseconds with the program's maps but its constants,
 * a per-CPU map's value per CPU as in the final dump, counts rising as the workload calls
 * getppid; without the option no snapshot is printed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildTools,
  buildWorkload,
  compile,
  type RunnerLine,
  runDir,
  runToEnd,
  toolchainUnavailable,
  workload,
} from './harness.js';

const unavailable = toolchainUnavailable();

/** The sum over CPUs of the `total` per-CPU counter in a snapshot or dump line's maps. */
function totalCalls(maps: RunnerLine[]): number {
  const total = maps.find((m) => m.name === 'total');
  return (total?.entries[0]?.value as number[] | undefined)?.reduce((a, b) => a + b, 0) ?? 0;
}

describe.skipIf(unavailable !== null)(`bpflab-runner --map-every (${unavailable ?? 'available'})`, () => {
  let lab: Awaited<ReturnType<typeof runDir>>;
  let binary: string;

  beforeAll(async () => {
    await buildTools();
    lab = await runDir(['syscall_counts.bpf.c']);
    const built = await compile(lab.dir, 'syscall_counts.bpf.o');
    if (built.exitCode !== 0) throw new Error(`compiling syscall_counts.bpf.c failed:\n${built.stderr}`);
    binary = await buildWorkload(lab.dir);
  }, 120_000);

  afterAll(async () => {
    await lab?.remove();
  });

  it('prints a snapshot every interval while the run streams, per-CPU counts rising', async () => {
    const { exitCode, lines } = await runToEnd(['run', 'syscall_counts.bpf.o', '--map-every', '100'], {
      cwd: lab.dir,
      afterReady: async () => {
        for (let i = 0; i < 4; i++) {
          await workload(binary, 'getppid', '5');
          await new Promise((resolve) => setTimeout(resolve, 250));
        }
      },
    });
    expect(exitCode).toBe(0);
    const snapshots = lines.filter((l) => l.type === 'maps');
    // About 1 s of run at one every 100 ms; a loaded machine may fire a few late.
    expect(snapshots.length).toBeGreaterThanOrEqual(5);
    const times = snapshots.map((s) => s.t_ms as number);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    for (const s of snapshots) {
      expect(s.maps.map((m: RunnerLine) => m.name).sort()).toEqual(['calls', 'total']);
    }
    const dump = lines.filter((l) => l.type === 'map');
    const cpus = dump.find((m) => m.name === 'total')?.entries[0].value.length;
    const last = snapshots.at(-1)!.maps.find((m: RunnerLine) => m.name === 'total');
    expect(last.map_type).toBe('percpu_array');
    expect(last.entries[0].value).toHaveLength(cpus);

    const totals = snapshots.map((s) => totalCalls(s.maps));
    expect(totals).toEqual([...totals].sort((a, b) => a - b));
    expect(totals.at(-1)!).toBeGreaterThan(totals[0]!);
    expect(totalCalls(dump)).toBeGreaterThanOrEqual(Math.max(20, totals.at(-1)!));
  });

  it('prints no snapshot without --map-every', async () => {
    const { exitCode, lines } = await runToEnd(['run', 'syscall_counts.bpf.o'], {
      cwd: lab.dir,
      afterReady: () => new Promise((resolve) => setTimeout(resolve, 300)),
    });
    expect(exitCode).toBe(0);
    expect(lines.filter((l) => l.type === 'maps')).toEqual([]);
    expect(lines.filter((l) => l.type === 'map').map((l) => l.name)).toContain('total');
  });
});
