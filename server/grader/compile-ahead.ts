/**
 * Compiling ahead of the Check: when a learner's files are saved (the page saves 800 ms after the
 * last keystroke), their BPF objects are built into the compile cache in the grader's spare
 * capacity, so that the Check which usually follows an edit finds them built and skips clang, the
 * largest stage of a Check. A Check that arrives while its files are still being built ahead
 * waits for that build instead of starting its own (compile-cache.ts leases).
 *
 * Spare capacity only (grading-queue.ts runSpare): a build ahead never makes anyone's Check wait
 * for a slot, is not run at all when the graders are busy, and not while the learner's own grade
 * runs or waits. A learner has at most one build ahead at a time; files saved meanwhile replace
 * any saved before them and only the newest are built next.
 */
import type { GradeLock } from './grade-lock.js';
import type { GradeRequest } from './grade-run.js';
import type { Grader } from './grader.js';

export type AheadRequest = Pick<GradeRequest, 'lab' | 'files' | 'sandbox'>;

export class CompileAhead {
  /** The newest files of each learner not yet taken for a build. */
  private readonly newest = new Map<string, AheadRequest>();
  /** Each learner's builds under way, until their newest files have been taken. */
  private readonly draining = new Map<string, Promise<void>>();

  constructor(
    private readonly grader: Pick<Grader, 'compileAhead'>,
    private readonly lock: Pick<GradeLock, 'spare'>,
  ) {}

  /** Builds `req` ahead when it can; resolves once the learner's files offered so far were built or skipped. */
  offer(learnerId: string, req: AheadRequest): Promise<void> {
    this.newest.set(learnerId, req);
    let drained = this.draining.get(learnerId);
    if (!drained) {
      drained = this.drain(learnerId).finally(() => this.draining.delete(learnerId));
      this.draining.set(learnerId, drained);
    }
    return drained;
  }

  /** Resolves once no build ahead is under way (before the sandboxes they run in are disposed). */
  async settled(): Promise<void> {
    this.newest.clear();
    await Promise.all([...this.draining.values()]);
  }

  private async drain(learnerId: string): Promise<void> {
    for (let req = this.take(learnerId); req; req = this.take(learnerId)) {
      const files = req;
      try {
        await this.lock.spare(learnerId, () => this.grader.compileAhead(files));
      } catch (error) {
        // Nothing is lost: the Check compiles these files itself.
        console.error(`bpflab: compiling ${files.lab.id} ahead for ${learnerId} failed:`, error);
      }
    }
  }

  private take(learnerId: string): AheadRequest | undefined {
    const req = this.newest.get(learnerId);
    this.newest.delete(learnerId);
    return req;
  }
}

/** For a server configured without it (BPFLAB_COMPILE_AHEAD=0): saves are not compiled; Checks compile. */
export const NO_COMPILE_AHEAD: Pick<CompileAhead, 'offer' | 'settled'> = {
  offer: async () => undefined,
  settled: async () => undefined,
};
