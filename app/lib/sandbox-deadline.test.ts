import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SandboxState } from '@/server/protocol/session';
import { answerWithin, NoAnswer } from './sandbox-deadline';

let news: { state: SandboxState | null; since: number };
let connected: boolean;
const clock = { sandbox: () => news, connected: () => connected };
const READY: SandboxState = { state: 'ready', name: 'bl-1', driver: 'vm', slowdown: 1 };

/** Settles the promise's state after the clock has moved, for expect().toEqual below. */
function track<T>(promise: Promise<T>) {
  const seen: { value?: T; error?: unknown } = {};
  promise.then(
    (value) => {
      seen.value = value;
    },
    (error: unknown) => {
      seen.error = error;
    },
  );
  return seen;
}

beforeEach(() => {
  vi.useFakeTimers();
  news = { state: null, since: 0 };
  connected = true;
});
afterEach(() => vi.useRealTimers());

describe('waiting for an answer that needs the sandbox', () => {
  it('gives up after the timeout when the sandbox is up and the server says nothing', async () => {
    news = { state: READY, since: Date.now() };
    const seen = track(answerWithin(new Promise(() => {}), 30_000, clock));
    await vi.advanceTimersByTimeAsync(30_001);
    expect(seen.error).toBeInstanceOf(NoAnswer);
  });

  it('keeps waiting while a VM boots for minutes, then gives the sandbox its time', async () => {
    let answer: (value: string) => void = () => {};
    const seen = track(answerWithin(new Promise<string>((resolve) => (answer = resolve)), 30_000, clock));
    news = { state: { state: 'starting' }, since: Date.now() };
    await vi.advanceTimersByTimeAsync(4 * 60_000);
    expect(seen.error).toBeUndefined();
    news = { state: READY, since: Date.now() };
    await vi.advanceTimersByTimeAsync(20_000);
    answer('opened');
    await vi.advanceTimersByTimeAsync(0);
    expect(seen.value).toBe('opened');
  });

  it('stretches the timeout by the slowdown of an emulated guest', async () => {
    news = { state: { ...READY, slowdown: 6 }, since: Date.now() };
    const seen = track(answerWithin(new Promise(() => {}), 30_000, clock));
    await vi.advanceTimersByTimeAsync(179_000);
    expect(seen.error).toBeUndefined();
    await vi.advanceTimersByTimeAsync(2_000);
    expect(seen.error).toBeInstanceOf(NoAnswer);
  });

  it('stops waiting when the connection is gone', async () => {
    news = { state: { state: 'starting' }, since: Date.now() };
    const seen = track(answerWithin(new Promise(() => {}), 30_000, clock));
    connected = false;
    await vi.advanceTimersByTimeAsync(30_001);
    expect(seen.error).toBeInstanceOf(NoAnswer);
  });

  it('keeps waiting while the request waits its turn, then gives it its time from there', async () => {
    news = { state: READY, since: Date.now() };
    let turn = { waiting: true, since: 0 };
    const seen = track(answerWithin(new Promise(() => {}), 30_000, { ...clock, turn: () => turn }));
    await vi.advanceTimersByTimeAsync(5 * 60_000);
    expect(seen.error).toBeUndefined();
    turn = { waiting: false, since: Date.now() };
    await vi.advanceTimersByTimeAsync(29_000);
    expect(seen.error).toBeUndefined();
    await vi.advanceTimersByTimeAsync(31_000);
    expect(seen.error).toBeInstanceOf(NoAnswer);
  });
});
