/**
 * Who may use a server that serves one learner only (the local driver without
 * BPFLAB_ALLOW_SHARED_KERNEL, see sandbox/serve-safety.ts): the first learner identity it admits,
 * for as long as the data dir lives. It is kept in `<data dir>/sole-learner`, so a restart, or a
 * visitor racing the learner's first page, cannot hand the seat to someone else.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface Admission {
  /** May this learner (from a verified cookie, or about to be issued one) use the site? */
  admits(learnerId: string): boolean;
  /** What a learner who is not admitted is told. */
  readonly refusal: string;
}

/** Every learner is admitted (a driver with a kernel per learner, or the operator opted in). */
export const EVERY_LEARNER: Admission = { admits: () => true, refusal: '' };

export class SoleLearner implements Admission {
  private readonly file: string;
  private learnerId: string | null;

  constructor(
    dataDir: string,
    readonly refusal: string,
  ) {
    this.file = path.join(dataDir, 'sole-learner');
    this.learnerId = readLearner(this.file);
  }

  /** The first learner asked about takes the seat; afterwards only they are admitted. */
  admits(learnerId: string): boolean {
    if (this.learnerId === null) {
      // Synchronously, so that two first requests cannot both take it.
      writeFileSync(this.file, `${learnerId}\n`, { mode: 0o600 });
      this.learnerId = learnerId;
    }
    return this.learnerId === learnerId;
  }
}

function readLearner(file: string): string | null {
  try {
    return readFileSync(file, 'utf8').trim() || null;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new Error(`cannot read the sole learner of this server from ${file}`, { cause: error });
  }
}
