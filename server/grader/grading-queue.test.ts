/** The grading queue: slots, order of arrival, places in line, the memory bound, a full queue. */
import { describe, expect, it } from 'vitest';
import { GradingQueue } from './grading-queue.js';

/** A job that finishes when the test says so. */
function gate() {
  let open: () => void = () => {};
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { open, job: () => opened.then(() => 'done') };
}

describe('GradingQueue', () => {
  it('runs as many jobs as it has slots and queues the rest in order, telling each its place', async () => {
    const queue = new GradingQueue({ slots: 2, maxWaiting: 10, freeMemory: () => Number.MAX_SAFE_INTEGER });
    const gates = [gate(), gate(), gate(), gate()];
    const positions: number[][] = [[], [], [], []];
    const started: number[] = [];
    const runs = gates.map((g, i) =>
      queue.run(
        () => {
          started.push(i);
          return g.job();
        },
        (p) => positions[i]!.push(p),
      ),
    );
    await Promise.resolve();
    expect(started).toEqual([0, 1]);
    expect(positions).toEqual([[], [], [1], [2]]);
    gates[1]!.open();
    await runs[1];
    await Promise.resolve();
    expect(started).toEqual([0, 1, 2]);
    expect(positions[3]).toEqual([2, 1]);
    for (const g of gates) g.open();
    expect(await Promise.all(runs)).toEqual(Array(4).fill({ full: false, value: 'done' }));
    expect(queue.length).toBe(0);
  });

  it('refuses a job when the queue is full, and frees the slot of a job that throws', async () => {
    const queue = new GradingQueue({ slots: 1, maxWaiting: 1, freeMemory: () => Number.MAX_SAFE_INTEGER });
    const first = gate();
    const running = queue.run(first.job, () => {});
    const waiting = queue.run(
      () => Promise.reject(new Error('broken')),
      () => {},
    );
    expect(
      await queue.run(
        async () => 'late',
        () => {},
      ),
    ).toEqual({ full: true });
    first.open();
    await running;
    await expect(waiting).rejects.toThrow('broken');
    expect(
      await queue.run(
        async () => 'after',
        () => {},
      ),
    ).toEqual({ full: false, value: 'after' });
  });

  it('starts no more grades than the free memory holds, and still one when it holds none', async () => {
    const MiB = 1024 * 1024;
    let free = 600 * MiB;
    const queue = new GradingQueue({
      slots: 4,
      maxWaiting: 10,
      memoryPerGrade: 256 * MiB,
      freeMemory: () => free,
    });
    const gates = [gate(), gate(), gate(), gate()];
    const started: number[] = [];
    const runs = gates.map((g, i) =>
      queue.run(
        () => {
          started.push(i);
          return g.job();
        },
        () => {},
      ),
    );
    await Promise.resolve();
    // 600 MiB holds two grades' 256 MiB, not three, although four slots are free.
    expect(started).toEqual([0, 1]);
    free = 0;
    gates[0]!.open();
    gates[1]!.open();
    await Promise.all(runs.slice(0, 2));
    await Promise.resolve();
    // Nothing running and no memory: one grade runs anyway, alone.
    expect(started).toEqual([0, 1, 2]);
    gates[2]!.open();
    await runs[2];
    await Promise.resolve();
    expect(started).toEqual([0, 1, 2, 3]);
    gates[3]!.open();
    await runs[3];
  });

  it('runs spare work only with a slot left over for the next Check, and never ahead of a waiting grade', async () => {
    const queue = new GradingQueue({ slots: 2, maxWaiting: 10, freeMemory: () => Number.MAX_SAFE_INTEGER });
    const spare = gate();
    const ahead = queue.runSpare(spare.job);
    // The spare job holds one slot; the other stays free for a Check, which starts at once.
    const check = gate();
    const positions: number[] = [];
    const checked = queue.run(check.job, (p) => positions.push(p));
    await Promise.resolve();
    expect(positions).toEqual([]);
    // Both slots busy: more spare work is not run at all, rather than queued.
    expect(await queue.runSpare(async () => 'late')).toEqual({ skipped: true });
    // A grade that has to wait keeps spare work out even once a slot frees.
    const waiting = gate();
    const waited = queue.run(waiting.job, (p) => positions.push(p));
    expect(positions).toEqual([1]);
    spare.open();
    expect(await ahead).toEqual({ skipped: false, value: 'done' });
    expect(await queue.runSpare(async () => 'crowded')).toEqual({ skipped: true });
    check.open();
    waiting.open();
    await Promise.all([checked, waited]);
    expect(await queue.runSpare(async () => 'idle')).toEqual({ skipped: false, value: 'idle' });
  });

  it('with one slot, runs spare work only when nothing runs', async () => {
    const queue = new GradingQueue({ slots: 1, maxWaiting: 10, freeMemory: () => Number.MAX_SAFE_INTEGER });
    const check = gate();
    const checked = queue.run(check.job, () => {});
    expect(await queue.runSpare(async () => 'busy')).toEqual({ skipped: true });
    check.open();
    await checked;
    expect(await queue.runSpare(async () => 'idle')).toEqual({ skipped: false, value: 'idle' });
  });
});
