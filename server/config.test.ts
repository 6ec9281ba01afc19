import { describe, expect, it } from 'vitest';
import { ConfigError, isLoopback, loadConfig } from './config.js';

describe('loadConfig', () => {
  it('serves on localhost:3000 by default with a matching origin', () => {
    const c = loadConfig({});
    expect(c.PORT).toBe(3000);
    expect(c.HOST).toBe('127.0.0.1');
    expect(c.origin).toBe('http://127.0.0.1:3000');
  });

  it('names every invalid variable', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'eighty', BPFLAB_DRIVER: 'docker' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect(String(error)).toMatch(/PORT:/);
    expect(String(error)).toMatch(/BPFLAB_DRIVER:/);
  });

  it('names an IPv6 HOST in brackets in the origin, as browsers send it', () => {
    expect(loadConfig({ HOST: '::1', PORT: '3001' }).origin).toBe('http://[::1]:3001');
  });

  it('takes the public origin from BPFLAB_ORIGIN without a trailing slash', () => {
    expect(loadConfig({ BPFLAB_ORIGIN: 'https://lab.example.org/' }).origin).toBe('https://lab.example.org');
  });
});

describe('isLoopback', () => {
  it('tells loopback from routable addresses', () => {
    expect(isLoopback('127.0.0.1')).toBe(true);
    expect(isLoopback('::1')).toBe(true);
    expect(isLoopback('0.0.0.0')).toBe(false);
    expect(isLoopback('10.1.2.3')).toBe(false);
  });
});
