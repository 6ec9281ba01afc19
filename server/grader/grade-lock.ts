/**
 * The grader's admission rule: a learner has at most one grade running or waiting at a time,
 * whichever tab or socket asked for it, and grades of all learners take their turn in the one
 * queue that bounds how many run at once. Work done ahead for a learner (compile-ahead.ts) runs
 * only in the queue's spare capacity and never while that learner's own grade runs or waits.
 */
import { GradingQueue } from './grading-queue.js';

export type Admitted<T> = { refused: null; value: T } | { refused: 'busy' | 'queue-full' };

export class GradeLock {
  private readonly grading = new Set<string>();

  constructor(private readonly queue: GradingQueue = new GradingQueue()) {}

  /**
   * Runs `grade` in its turn (`onQueued` hears the learner's place in line while it waits),
   * unless the learner already has a grade running or waiting (`busy`) or the queue is full.
   */
  async exclusive<T>(
    learnerId: string,
    grade: () => Promise<T>,
    onQueued: (position: number) => void,
  ): Promise<Admitted<T>> {
    if (this.grading.has(learnerId)) return { refused: 'busy' };
    this.grading.add(learnerId);
    try {
      const outcome = await this.queue.run(grade, onQueued);
      return outcome.full ? { refused: 'queue-full' } : { refused: null, value: outcome.value };
    } finally {
      this.grading.delete(learnerId);
    }
  }

  /** Runs `job` in spare capacity (GradingQueue.runSpare), or not at all; never while the learner has a grade of their own. */
  async spare(learnerId: string, job: () => Promise<void>): Promise<void> {
    if (!this.grading.has(learnerId)) await this.queue.runSpare(job);
  }
}
