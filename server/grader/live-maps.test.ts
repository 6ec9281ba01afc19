/**
 * The pacing of Run's live maps to the socket: the first snapshot goes at once, later ones at
 * most one per interval, only the newest of those offered meanwhile, none after stop.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { NewestEvery } from './live-maps.js';

/** A pacer of numbers at 250 ms on the fake clock, and what it sent. */
function paced() {
  const sent: number[] = [];
  return {
    sent,
    pace: new NewestEvery<number>(
      250,
      (n) => sent.push(n),
      () => Date.now(),
    ),
  };
}

describe('NewestEvery', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('sends the first at once and then the newest once per interval', () => {
    const { sent, pace } = paced();
    pace.offer(1);
    expect(sent).toEqual([1]);
    for (const n of [2, 3, 4]) pace.offer(n);
    expect(sent).toEqual([1]);
    vi.advanceTimersByTime(250);
    expect(sent).toEqual([1, 4]);
    vi.advanceTimersByTime(1000);
    expect(sent).toEqual([1, 4]);
  });

  it('holds a thousand fast snapshots to four a second', () => {
    const { sent, pace } = paced();
    for (let n = 0; n < 1000; n++) {
      pace.offer(n);
      vi.advanceTimersByTime(1);
    }
    expect(sent.length).toBeLessThanOrEqual(5);
    expect(sent.at(-1)).toBeGreaterThan(990);
  });

  it('drops what waits when stopped', () => {
    const { sent, pace } = paced();
    pace.offer(1);
    pace.offer(2);
    pace.stop();
    pace.offer(3);
    vi.advanceTimersByTime(1000);
    expect(sent).toEqual([1]);
  });
});
