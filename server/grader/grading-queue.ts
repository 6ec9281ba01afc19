/**
 * How many grades run at once on this server: a grade compiles, loads and runs a workload, about
 * one core's worth of work and up to `memoryPerGrade` of memory (clang with the precompiled
 * vmlinux.h peaks near 130 MB), so at most `slots` (the cores) run, and a grade starts only when
 * the free memory also holds its need and that of every grade running (counted as if none had
 * allocated yet: a grade that just started has not). The rest wait in order of arrival, each told
 * its place in line as it changes. A queue already `maxWaiting` long refuses more, so a crowd is
 * told to come back rather than piling up behind a wait it cannot see the end of. When memory is
 * short and nothing runs, one grade still runs, so the queue never stalls.
 *
 * Work nobody waits for (compiling a saved file ahead of its Check, compile-ahead.ts) runs only in
 * spare capacity: when no grade waits and, with more than one slot, a slot stays free for the
 * next Check; otherwise it is not run at all.
 */
import os from 'node:os';

export interface QueueOptions {
  slots: number;
  maxWaiting: number;
  /** Memory one grade may need, in bytes. */
  memoryPerGrade: number;
  /** Memory free for new work now, in bytes (os.freemem: the kernel's MemAvailable). */
  freeMemory: () => number;
}

export const DEFAULT_QUEUE: QueueOptions = {
  slots: os.availableParallelism(),
  maxWaiting: 16 * os.availableParallelism(),
  memoryPerGrade: 256 * 1024 * 1024,
  freeMemory: os.freemem,
};

interface Waiter {
  start(): void;
  onPosition(position: number): void;
}

export type QueuedOutcome<T> = { full: false; value: T } | { full: true };

export class GradingQueue {
  private running = 0;
  private readonly waiting: Waiter[] = [];
  readonly options: QueueOptions;

  constructor(options: Partial<QueueOptions> = {}) {
    this.options = { ...DEFAULT_QUEUE, ...options };
    if (!(this.options.slots >= 1))
      throw new Error(`a grading queue needs at least one slot, got ${this.options.slots}`);
  }

  /** Grades waiting for a slot. */
  get length(): number {
    return this.waiting.length;
  }

  /**
   * Runs `job` once a slot (and the memory for it) is free and every earlier arrival has started.
   * `onPosition` hears 1, 2, … while the job waits (1 is next) and is not called when it starts
   * at once.
   */
  async run<T>(job: () => Promise<T>, onPosition: (position: number) => void): Promise<QueuedOutcome<T>> {
    if (this.waiting.length === 0 && this.admits()) {
      this.running++;
    } else {
      if (this.waiting.length >= this.options.maxWaiting) return { full: true };
      await new Promise<void>((start) => {
        this.waiting.push({ start, onPosition });
        onPosition(this.waiting.length);
      });
    }
    return { full: false, value: await this.holding(job) };
  }

  /**
   * Runs `job` now if the queue has capacity to spare (see above) and returns its value; returns
   * `skipped` without running it otherwise. A spare job holds its slot like a grade while it runs.
   */
  async runSpare<T>(job: () => Promise<T>): Promise<{ skipped: true } | { skipped: false; value: T }> {
    const kept = this.options.slots > 1 ? 1 : 0;
    if (this.waiting.length > 0 || this.running + kept >= this.options.slots || !this.admits())
      return { skipped: true };
    this.running++;
    return { skipped: false, value: await this.holding(job) };
  }

  /** Runs a job already counted in `running`; its slot goes to the next waiter when it ends. */
  private async holding<T>(job: () => Promise<T>): Promise<T> {
    try {
      return await job();
    } finally {
      this.running--;
      this.startWaiting();
    }
  }

  /** Whether one more grade may start now. */
  private admits(): boolean {
    const { slots, memoryPerGrade, freeMemory } = this.options;
    if (this.running >= slots) return false;
    return this.running === 0 || freeMemory() >= memoryPerGrade * (this.running + 1);
  }

  /** Starts waiters in order while they are admitted; everyone still waiting hears their new place. */
  private startWaiting(): void {
    let started = 0;
    while (this.waiting.length > 0 && this.admits()) {
      this.running++;
      this.waiting.shift()!.start();
      started++;
    }
    if (started === 0) return;
    for (const [index, waiter] of this.waiting.entries()) waiter.onPosition(index + 1);
  }
}
