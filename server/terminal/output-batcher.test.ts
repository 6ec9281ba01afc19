import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { OutputBatcher } from './output-batcher.js';

describe('OutputBatcher', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setImmediate', 'clearImmediate', 'performance'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('sends the first chunk after a quiet spell on the next tick (a keystroke echo is not held)', () => {
    const sent: string[] = [];
    const batcher = new OutputBatcher((d) => sent.push(d), { windowMs: 5, maxChars: 100 });
    batcher.push('a');
    expect(sent).toEqual([]);
    vi.advanceTimersToNextTimer();
    expect(sent).toEqual(['a']);
    expect(performance.now()).toBeLessThan(1);
  });

  it('holds chunks arriving within the window and sends them as one message', () => {
    const sent: string[] = [];
    const batcher = new OutputBatcher((d) => sent.push(d), { windowMs: 5, maxChars: 100 });
    batcher.push('a');
    vi.advanceTimersToNextTimer();
    batcher.push('b');
    batcher.push('c');
    vi.advanceTimersByTime(4);
    expect(sent).toEqual(['a']);
    vi.advanceTimersByTime(1);
    expect(sent).toEqual(['a', 'bc']);
  });

  it('sends at once when a batch reaches its size limit', () => {
    const sent: string[] = [];
    const batcher = new OutputBatcher((d) => sent.push(d), { windowMs: 5, maxChars: 4 });
    batcher.push('ab');
    batcher.push('cd');
    expect(sent).toEqual(['abcd']);
  });

  it('flushes on demand and discards held output when the terminal goes away', () => {
    const sent: string[] = [];
    const batcher = new OutputBatcher((d) => sent.push(d), { windowMs: 5, maxChars: 100 });
    batcher.push('x');
    batcher.flush();
    expect(sent).toEqual(['x']);
    batcher.push('lost');
    batcher.discard();
    vi.runAllTimers();
    expect(sent).toEqual(['x']);
  });
});
