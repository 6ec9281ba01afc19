/**
 * What the lab socket events share across all learners of one server: the lab catalog, and the
 * grader (with its one trace_pipe reader) with the grader's rule that a learner has one grade at
 * a time (server/grader/grade-lock.ts).
 */
import path from 'node:path';
import { GradeLock } from '../grader/grade-lock.js';
import { Grader } from '../grader/grader.js';
import { LabCatalog } from './catalog.js';

export class Labs {
  readonly catalog: LabCatalog;
  readonly grader = new Grader();
  readonly gradeLock = new GradeLock();

  /** @param reload re-read manifests on every use (development) */
  constructor(root: string, reload: boolean) {
    this.catalog = new LabCatalog(
      { root, labsDir: path.join(root, 'labs'), contentDir: path.join(root, 'content') },
      reload,
    );
  }

  close(): Promise<void> {
    return this.grader.close();
  }
}
