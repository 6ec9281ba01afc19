/**
 * The run's nonces: nonce numbers unique among the runs in flight and given back when a run ends
 * however it ends, and `{{nonce}}` / `{{nonce_number}}` replaced in what a run uses.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadLab, repoLabPaths } from '../labs/loader.js';
import { NONCE_NUMBER_MAX, NONCE_NUMBER_MIN } from '../labs/placeholders.js';
import { REPO_ROOT } from '../sandbox/local/itest-support.js';
import { type Sandbox, SandboxError } from '../sandbox/types.js';
import { NumberPool, nonceNumbers, withNonce } from './nonce.js';
import { runGrade } from './pipeline.js';

describe('NumberPool', () => {
  it('gives every holder a different number of the range, until the range is used up', () => {
    const pool = new NumberPool(NONCE_NUMBER_MIN, NONCE_NUMBER_MAX);
    const size = NONCE_NUMBER_MAX - NONCE_NUMBER_MIN + 1;
    const held = Array.from({ length: size }, () => pool.claim());
    expect(new Set(held).size).toBe(size);
    expect(Math.min(...held)).toBe(NONCE_NUMBER_MIN);
    expect(Math.max(...held)).toBe(NONCE_NUMBER_MAX);
    expect(() => pool.claim()).toThrow(
      `all ${size} numbers from ${NONCE_NUMBER_MIN} to ${NONCE_NUMBER_MAX} are held by runs in flight`,
    );
    pool.release(held[1234]!);
    expect(pool.claim()).toBe(held[1234]);
  });

  it('hands a released number out again, and not one still held', () => {
    const pool = new NumberPool(1, 3);
    const [a, b, c] = [pool.claim(), pool.claim(), pool.claim()];
    pool.release(b);
    expect(pool.inUse).toBe(2);
    expect(pool.claim()).toBe(b);
    expect(new Set([a, b, c]).size).toBe(3);
  });
});

describe('withNonce', () => {
  const nonces = { text: 'k3x9q2ab', number: 24680 };

  it('replaces both placeholders in strings, keys and nested values, and leaves numbers alone', () => {
    expect(
      withNonce(
        {
          match: { regex: '^hx-{{nonce}} port {{nonce_number}}$' },
          entries: [{ key: { dport: '{{nonce_number}}', id: 7 }, value: 1 }],
          rodata: { port: '{{nonce_number}}', target: 'hx-{{nonce}}', on: true },
          '{{nonce}}': ['{{nonce_number}}{{nonce_number}}'],
        },
        nonces,
      ),
    ).toEqual({
      match: { regex: '^hx-k3x9q2ab port 24680$' },
      entries: [{ key: { dport: '24680', id: 7 }, value: 1 }],
      rodata: { port: '24680', target: 'hx-k3x9q2ab', on: true },
      k3x9q2ab: ['2468024680'],
    });
  });
});

describe('a grade run and its nonce number', () => {
  afterEach(() => vi.restoreAllMocks());

  /** A sandbox that holds every run at its first file write until `fail()`, then fails it. */
  function brokenSandbox() {
    let fail: () => void = () => {};
    const failed = new Promise<void>((resolve) => {
      fail = resolve;
    });
    const sandbox = {
      name: 'broken',
      driver: 'local',
      writeFiles: async () => {
        await failed;
        throw new SandboxError('the sandbox stopped', 'test double');
      },
      exec: async () => ({
        exitCode: 0,
        signal: null,
        stdout: '',
        stderr: '',
        timedOut: false,
        truncated: false,
        durationMs: 1,
      }),
    } as unknown as Sandbox;
    return { sandbox, fail };
  }

  it('holds a number per run in flight and gives each back when its run fails', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const loaded = await loadLab('hello-execve', repoLabPaths(REPO_ROOT));
    if (!loaded.ok) throw new Error('hello-execve does not load');
    const { sandbox, fail } = brokenSandbox();
    const before = nonceNumbers.inUse;

    const runs = Array.from({ length: 50 }, () =>
      runGrade({ lab: loaded.lab, files: { 'hello.bpf.c': '' }, sandbox }, null),
    );
    await vi.waitFor(() => expect(nonceNumbers.inUse).toBe(before + 50));
    fail();
    const grades = await Promise.all(runs);

    expect(grades.every((g) => !g.gradable && g.message.includes('the sandbox stopped'))).toBe(true);
    expect(nonceNumbers.inUse).toBe(before);
  });
});
