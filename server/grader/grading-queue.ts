/**
 * How many grades run at once on this server: a grade compiles, loads and runs a workload, about
 * one core's worth of work, so at most `slots` (the cores) run and the rest wait in order of
 * arrival, each told its place in line as it changes. A queue already `maxWaiting` long refuses
 * more, so a crowd is told to come back rather than piling up behind a wait it cannot see the
 * end of.
 */
import os from 'node:os';

export interface QueueOptions {
  slots: number;
  maxWaiting: number;
}

export const DEFAULT_QUEUE: QueueOptions = {
  slots: os.availableParallelism(),
  maxWaiting: 16 * os.availableParallelism(),
};

interface Waiter {
  start(): void;
  onPosition(position: number): void;
}

export type QueuedOutcome<T> = { full: false; value: T } | { full: true };

export class GradingQueue {
  private running = 0;
  private readonly waiting: Waiter[] = [];

  constructor(readonly options: QueueOptions = DEFAULT_QUEUE) {
    if (!(options.slots >= 1))
      throw new Error(`a grading queue needs at least one slot, got ${options.slots}`);
  }

  /** Grades waiting for a slot. */
  get length(): number {
    return this.waiting.length;
  }

  /**
   * Runs `job` once a slot is free. `onPosition` hears 1, 2, … while the job waits (1 is next)
   * and is not called when a slot is free at once.
   */
  async run<T>(job: () => Promise<T>, onPosition: (position: number) => void): Promise<QueuedOutcome<T>> {
    if (this.running < this.options.slots) {
      this.running++;
    } else {
      if (this.waiting.length >= this.options.maxWaiting) return { full: true };
      await new Promise<void>((start) => {
        this.waiting.push({ start, onPosition });
        onPosition(this.waiting.length);
      });
    }
    try {
      return { full: false, value: await job() };
    } finally {
      this.release();
    }
  }

  /** A finished job hands its slot to the first waiter; everyone behind moves up one. */
  private release(): void {
    const next = this.waiting.shift();
    if (!next) {
      this.running--;
      return;
    }
    next.start();
    for (const [index, waiter] of this.waiting.entries()) waiter.onPosition(index + 1);
  }
}
