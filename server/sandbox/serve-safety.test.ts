import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../config.js';
import { assertSafeToServe, UnsafeToServeError } from './serve-safety.js';

describe('assertSafeToServe', () => {
  afterEach(() => vi.restoreAllMocks());

  it('lets the local driver serve loopback only', () => {
    expect(() =>
      assertSafeToServe(loadConfig({ NODE_ENV: 'test', HOST: '127.0.0.1' }), 'local'),
    ).not.toThrow();
    expect(() => assertSafeToServe(loadConfig({ NODE_ENV: 'test', HOST: '::1' }), 'local')).not.toThrow();
    expect(() => assertSafeToServe(loadConfig({ NODE_ENV: 'test', HOST: '0.0.0.0' }), 'local')).toThrow(
      UnsafeToServeError,
    );
    expect(() => assertSafeToServe(loadConfig({ NODE_ENV: 'test', HOST: '192.168.1.5' }), 'local')).toThrow(
      /BPFLAB_ALLOW_SHARED_KERNEL/,
    );
  });

  it('serves beyond loopback with the local driver only after a loud opt-in', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const config = loadConfig({ NODE_ENV: 'test', HOST: '0.0.0.0', BPFLAB_ALLOW_SHARED_KERNEL: '1' });
    expect(() => assertSafeToServe(config, 'local')).not.toThrow();
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/WARNING.*0\.0\.0\.0/));
  });

  it('lets the lima driver (a VM per learner) serve any address', () => {
    expect(() => assertSafeToServe(loadConfig({ NODE_ENV: 'test', HOST: '0.0.0.0' }), 'lima')).not.toThrow();
  });
});
