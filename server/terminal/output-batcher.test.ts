import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { OutputBatcher } from './output-batcher.js';

const bytes = (value: string) => Buffer.from(value);
const text = (data: Uint8Array) => Buffer.from(data).toString();

describe('OutputBatcher', () => {
  beforeEach(() => {
    vi.useFakeTimers({
      toFake: ['setTimeout', 'clearTimeout', 'setImmediate', 'clearImmediate', 'performance'],
    });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  const limits = { windowMs: 5, maxBytes: 100, streamingBytes: 10 };

  it('sends output on the next tick, joining what arrived in the same turn', () => {
    const sent: string[] = [];
    const batcher = new OutputBatcher((d) => sent.push(text(d)), limits);
    batcher.push(bytes('a'));
    batcher.push(bytes('b'));
    expect(sent).toEqual([]);
    vi.advanceTimersToNextTimer();
    expect(sent).toEqual(['ab']);
    expect(performance.now()).toBeLessThan(1);
  });

  it('never holds back echoes, however fast the typing', () => {
    const sent: string[] = [];
    const batcher = new OutputBatcher((d) => sent.push(text(d)), limits);
    for (const key of 'typing') {
      batcher.push(bytes(key));
      vi.advanceTimersToNextTimer();
    }
    expect(sent).toEqual(['t', 'y', 'p', 'i', 'n', 'g']);
    expect(performance.now()).toBeLessThan(1);
  });

  it('holds a streaming shell until the window ends and sends one message', () => {
    const sent: string[] = [];
    const batcher = new OutputBatcher((d) => sent.push(text(d)), limits);
    batcher.push(bytes('0123456789'));
    vi.advanceTimersToNextTimer();
    batcher.push(bytes('b'));
    batcher.push(bytes('c'));
    vi.advanceTimersByTime(4);
    expect(sent).toEqual(['0123456789']);
    vi.advanceTimersByTime(1);
    expect(sent).toEqual(['0123456789', 'bc']);
  });

  it('sends at once when a batch reaches its size limit', () => {
    const sent: string[] = [];
    const batcher = new OutputBatcher((d) => sent.push(text(d)), { ...limits, maxBytes: 4 });
    batcher.push(bytes('ab'));
    batcher.push(bytes('cd'));
    expect(sent).toEqual(['abcd']);
  });

  it('flushes on demand and discards held output when the terminal goes away', () => {
    const sent: string[] = [];
    const batcher = new OutputBatcher((d) => sent.push(text(d)), limits);
    batcher.push(bytes('x'));
    batcher.flush();
    expect(sent).toEqual(['x']);
    batcher.push(bytes('lost'));
    batcher.discard();
    vi.runAllTimers();
    expect(sent).toEqual(['x']);
  });
});
