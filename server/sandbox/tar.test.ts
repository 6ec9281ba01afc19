import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tarArchive } from './tar.js';

describe('tarArchive', () => {
  let dir = '';
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('is extracted by GNU tar into the same files, bytes, modes and times', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'bpflab-tar-'));
    const binary = Buffer.from([0, 255, 10, 13, 128]);
    const deep = `${'d'.repeat(90)}/${'e'.repeat(60)}/file.c`;
    const archive = tarArchive([
      { path: 'a.bpf.c', content: '// ü\n', mtime: 1_000_000 },
      { path: 'sub/dir/blob', content: binary },
      { path: 'workload.sh', content: '#!/bin/sh\n', executable: true },
      { path: deep, content: 'long name' },
    ]);
    expect(archive.length % 512).toBe(0);
    execFileSync('tar', ['-x', '-f', '-', '-C', dir], { input: archive });
    expect(await readFile(path.join(dir, 'a.bpf.c'), 'utf8')).toBe('// ü\n');
    expect((await stat(path.join(dir, 'a.bpf.c'))).mtimeMs).toBe(1_000_000_000);
    expect(await readFile(path.join(dir, 'sub/dir/blob'))).toEqual(binary);
    expect((await stat(path.join(dir, 'workload.sh'))).mode & 0o777).toBe(0o755);
    expect((await stat(path.join(dir, 'a.bpf.c'))).mode & 0o111).toBe(0);
    expect(await readFile(path.join(dir, deep), 'utf8')).toBe('long name');
  });

  it('refuses a name no ustar header can hold', () => {
    expect(() => tarArchive([{ path: 'x'.repeat(101), content: '' }])).toThrow(/too long/);
  });
});
