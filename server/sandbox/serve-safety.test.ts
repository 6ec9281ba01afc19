import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../config.js';
import { assertSafeToServe, servesOneLearner, UnsafeToServeError } from './serve-safety.js';

const config = (env: Record<string, string>) => loadConfig({ NODE_ENV: 'test', ...env });

describe('assertSafeToServe', () => {
  afterEach(() => vi.restoreAllMocks());

  it('lets the local driver serve loopback only', () => {
    expect(() => assertSafeToServe(config({ HOST: '127.0.0.1' }), 'local')).not.toThrow();
    expect(() => assertSafeToServe(config({ HOST: '::1' }), 'local')).not.toThrow();
    expect(() => assertSafeToServe(config({ HOST: '0.0.0.0' }), 'local')).toThrow(UnsafeToServeError);
    expect(() => assertSafeToServe(config({ HOST: '192.168.1.5' }), 'local')).toThrow(
      /BPFLAB_ALLOW_SHARED_KERNEL/,
    );
  });

  it('treats a public BPFLAB_ORIGIN (a reverse proxy) like a public HOST', () => {
    const proxied = config({ HOST: '127.0.0.1', BPFLAB_ORIGIN: 'https://lab.example.org' });
    expect(() => assertSafeToServe(proxied, 'local')).toThrow(
      /https:\/\/lab\.example\.org.*BPFLAB_DRIVER=vm/,
    );
    for (const origin of ['http://localhost:3000', 'http://127.0.0.1:8080', 'http://[::1]:3000']) {
      expect(() => assertSafeToServe(config({ BPFLAB_ORIGIN: origin }), 'local')).not.toThrow();
    }
  });

  it('serves beyond loopback with the local driver only after a loud opt-in', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const opted = { BPFLAB_ALLOW_SHARED_KERNEL: '1' };
    expect(() => assertSafeToServe(config({ ...opted, HOST: '0.0.0.0' }), 'local')).not.toThrow();
    expect(warn).toHaveBeenLastCalledWith(expect.stringMatching(/WARNING.*at 0\.0\.0\.0/));
    const proxied = config({ ...opted, BPFLAB_ORIGIN: 'https://lab.example.org' });
    expect(() => assertSafeToServe(proxied, 'local')).not.toThrow();
    expect(warn).toHaveBeenLastCalledWith(expect.stringMatching(/WARNING.*at https:\/\/lab\.example\.org/));
    // On loopback too: the opt-in lifts the one-learner limit.
    assertSafeToServe(config(opted), 'local');
    expect(warn).toHaveBeenLastCalledWith(expect.stringMatching(/WARNING.*any number of learners/));
  });

  it('lets the lima driver (a VM per learner) serve any address', () => {
    expect(() => assertSafeToServe(config({ HOST: '0.0.0.0' }), 'lima')).not.toThrow();
  });
});

describe('servesOneLearner', () => {
  it('holds for the local driver unless the operator opts in to sharing its kernel', () => {
    expect(servesOneLearner(config({}), 'local')).toBe(true);
    expect(servesOneLearner(config({ BPFLAB_ALLOW_SHARED_KERNEL: '1' }), 'local')).toBe(false);
    expect(servesOneLearner(config({}), 'lima')).toBe(false);
  });
});
