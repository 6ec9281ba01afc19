import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AckCounter } from './ack-counter';

describe('AckCounter', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('acknowledges in chunks once enough has been written', () => {
    const sent: number[] = [];
    const acks = new AckCounter((n) => sent.push(n), 100);
    acks.written(60);
    expect(sent).toEqual([]);
    acks.written(60);
    expect(sent).toEqual([120]);
  });

  it('acknowledges the remainder once output goes quiet', () => {
    const sent: number[] = [];
    const acks = new AckCounter((n) => sent.push(n), 100);
    acks.written(10);
    acks.written(5);
    vi.advanceTimersByTime(49);
    expect(sent).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(sent).toEqual([15]);
  });

  it('forgets the count on reset', () => {
    const sent: number[] = [];
    const acks = new AckCounter((n) => sent.push(n), 100);
    acks.written(10);
    acks.reset();
    vi.runAllTimers();
    expect(sent).toEqual([]);
  });
});
