/**
 * What the lab socket events share across all learners of one server: the lab catalog, the
 * grader (and with it the one trace_pipe reader), the rule that a learner has at most one
 * grade running or waiting at a time, whichever tab or socket asked for it, and the queue that
 * bounds how many grades of all learners run at once.
 */
import path from 'node:path';
import { Grader } from '../grader/grader.js';
import { GradingQueue } from '../grader/grading-queue.js';
import { LabCatalog } from './catalog.js';

export class Labs {
  readonly catalog: LabCatalog;
  readonly grader = new Grader();
  readonly queue = new GradingQueue();
  private readonly grading = new Set<string>();

  /** @param reload re-read manifests on every use (development) */
  constructor(root: string, reload: boolean) {
    this.catalog = new LabCatalog(
      { root, labsDir: path.join(root, 'labs'), contentDir: path.join(root, 'content') },
      reload,
    );
  }

  /**
   * Runs `grade` in its turn (`onQueued` hears the learner's place in line while it waits),
   * unless the learner already has a grade running or waiting (`busy`) or the queue is full.
   */
  async exclusive<T>(
    learnerId: string,
    grade: () => Promise<T>,
    onQueued: (position: number) => void,
  ): Promise<{ refused: null; value: T } | { refused: 'busy' | 'queue-full' }> {
    if (this.grading.has(learnerId)) return { refused: 'busy' };
    this.grading.add(learnerId);
    try {
      const outcome = await this.queue.run(grade, onQueued);
      return outcome.full ? { refused: 'queue-full' } : { refused: null, value: outcome.value };
    } finally {
      this.grading.delete(learnerId);
    }
  }

  close(): Promise<void> {
    return this.grader.close();
  }
}
