/** Compiling ahead: one build at a time per learner, only the newest files next, spare capacity only. */
import { describe, expect, it } from 'vitest';
import { type AheadRequest, CompileAhead } from './compile-ahead.js';
import { GradeLock } from './grade-lock.js';
import { GradingQueue } from './grading-queue.js';

const request = (content: string) =>
  ({
    lab: { id: 'hello-execve' },
    files: { 'hello.bpf.c': content },
    sandbox: {},
  }) as unknown as AheadRequest;

/** A grader whose builds finish when the test opens them, recording which files it built. */
function slowGrader() {
  const built: string[] = [];
  const gates: (() => void)[] = [];
  return {
    built,
    finishNext: () => gates.shift()?.(),
    compileAhead: (req: AheadRequest) =>
      new Promise<void>((resolve) => {
        built.push(req.files['hello.bpf.c']!);
        gates.push(resolve);
      }),
  };
}

const unbounded = { maxWaiting: 10, freeMemory: () => Number.MAX_SAFE_INTEGER };

describe('CompileAhead', () => {
  it('builds a learner’s saves one at a time, skipping those replaced while a build ran', async () => {
    const grader = slowGrader();
    const ahead = new CompileAhead(grader, new GradeLock(new GradingQueue({ slots: 2, ...unbounded })));
    const done = ahead.offer('ada', request('v1'));
    await Promise.resolve();
    void ahead.offer('ada', request('v2'));
    void ahead.offer('ada', request('v3'));
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(grader.built).toEqual(['v1']);
    grader.finishNext();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(grader.built).toEqual(['v1', 'v3']);
    grader.finishNext();
    await done;
  });

  it('builds nothing while the learner’s own Check runs, or when no slot is spare', async () => {
    const grader = slowGrader();
    const lock = new GradeLock(new GradingQueue({ slots: 2, ...unbounded }));
    const ahead = new CompileAhead(grader, lock);
    let finishCheck: () => void = () => {};
    const check = lock.exclusive(
      'ada',
      () => new Promise<void>((resolve) => (finishCheck = resolve)),
      () => {},
    );
    await ahead.offer('ada', request('during her Check'));
    // Ada's Check holds one of two slots and the other is kept for the next Check: none is spare.
    await ahead.offer('grace', request('while two grade'));
    expect(grader.built).toEqual([]);
    finishCheck();
    await check;
    const built = ahead.offer('grace', request('idle'));
    await new Promise((resolve) => setTimeout(resolve, 0));
    grader.finishNext();
    await built;
    expect(grader.built).toEqual(['idle']);
  });

  it('settles once the build under way ends, dropping saves not built yet (a server stopping)', async () => {
    const grader = slowGrader();
    const ahead = new CompileAhead(grader, new GradeLock(new GradingQueue({ slots: 2, ...unbounded })));
    void ahead.offer('ada', request('v1'));
    await new Promise((resolve) => setTimeout(resolve, 0));
    void ahead.offer('ada', request('v2'));
    let settled = false;
    const stopping = ahead.settled().then(() => {
      settled = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(settled).toBe(false);
    grader.finishNext();
    await stopping;
    expect(grader.built).toEqual(['v1']);
  });
});
