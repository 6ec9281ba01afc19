import { describe, expect, it } from 'vitest';
import { hiddenPaths } from './hidden-paths.js';

const REPLACED = ['/root', '/opt/bpflab', '/tmp', '/dev/shm'];

describe('hiddenPaths', () => {
  it('covers the data dir and the repository', () => {
    expect(hiddenPaths(['/srv/bpflab-data', '/srv/bpflab'], REPLACED)).toEqual({
      ok: true,
      cover: ['/srv/bpflab', '/srv/bpflab-data'],
    });
  });

  it('covers a data dir inside the repository once, by covering the repository', () => {
    expect(hiddenPaths(['/work/main/.data', '/work/main'], REPLACED)).toEqual({
      ok: true,
      cover: ['/work/main'],
    });
  });

  it('skips what a sandbox mount already replaces (a checkout in /root, a data dir in /tmp)', () => {
    expect(hiddenPaths(['/tmp/test-data', '/root/bpflab'], REPLACED)).toEqual({ ok: true, cover: [] });
  });

  it('refuses a directory that holds a mount point every sandbox needs', () => {
    const result = hiddenPaths(['/', '/srv/x'], REPLACED);
    expect(result.ok).toBe(false);
    expect(hiddenPaths(['/opt'], REPLACED)).toMatchObject({
      ok: false,
      problem: expect.stringContaining('/opt/bpflab'),
    });
  });
});
