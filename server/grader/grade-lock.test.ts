import { describe, expect, it } from 'vitest';
import { GradeLock } from './grade-lock.js';
import { GradingQueue } from './grading-queue.js';

function gate() {
  let open: () => void = () => {};
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { open, job: () => opened.then(() => 'graded') };
}

const noQueue = () => {};

describe('GradeLock', () => {
  it("refuses a learner's second grade while the first runs, not another learner's", async () => {
    const lock = new GradeLock(new GradingQueue({ slots: 2, maxWaiting: 2 }));
    const first = gate();
    const running = lock.exclusive('ada', first.job, noQueue);
    expect(await lock.exclusive('ada', async () => 'again', noQueue)).toEqual({ refused: 'busy' });
    expect(await lock.exclusive('grace', async () => 'hers', noQueue)).toEqual({
      refused: null,
      value: 'hers',
    });
    first.open();
    expect(await running).toEqual({ refused: null, value: 'graded' });
    expect(await lock.exclusive('ada', async () => 'next', noQueue)).toEqual({
      refused: null,
      value: 'next',
    });
  });

  it('lets the learner grade again after a grade that threw', async () => {
    const lock = new GradeLock(new GradingQueue({ slots: 1, maxWaiting: 1 }));
    await expect(
      lock.exclusive('ada', () => Promise.reject(new Error('broken sandbox')), noQueue),
    ).rejects.toThrow('broken sandbox');
    expect(await lock.exclusive('ada', async () => 'fine', noQueue)).toEqual({
      refused: null,
      value: 'fine',
    });
  });

  it('says queue-full when every slot and place in line is taken', async () => {
    const lock = new GradeLock(new GradingQueue({ slots: 1, maxWaiting: 1 }));
    const running = gate();
    const waiting = gate();
    const first = lock.exclusive('a', running.job, noQueue);
    const second = lock.exclusive('b', waiting.job, noQueue);
    expect(await lock.exclusive('c', async () => 'late', noQueue)).toEqual({ refused: 'queue-full' });
    running.open();
    waiting.open();
    await Promise.all([first, second]);
  });
});
