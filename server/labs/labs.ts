/**
 * What the lab socket events share across all learners of one server: the lab catalog, the
 * grader (and with it the one trace_pipe reader), and the rule that a learner has at most one
 * grade running at a time, whichever tab or socket asked for it.
 */
import path from 'node:path';
import { Grader } from '../grader/grader.js';
import { LabCatalog } from './catalog.js';

export class Labs {
  readonly catalog: LabCatalog;
  readonly grader = new Grader();
  private readonly grading = new Set<string>();

  /** @param reload re-read manifests on every use (development) */
  constructor(root: string, reload: boolean) {
    this.catalog = new LabCatalog(
      { root, labsDir: path.join(root, 'labs'), contentDir: path.join(root, 'content') },
      reload,
    );
  }

  /** Runs `grade` unless the learner already has one running; then resolves `busy` at once. */
  async exclusive<T>(
    learnerId: string,
    grade: () => Promise<T>,
  ): Promise<{ busy: false; value: T } | { busy: true }> {
    if (this.grading.has(learnerId)) return { busy: true };
    this.grading.add(learnerId);
    try {
      return { busy: false, value: await grade() };
    } finally {
      this.grading.delete(learnerId);
    }
  }

  close(): Promise<void> {
    return this.grader.close();
  }
}
