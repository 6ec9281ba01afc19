/**
 * The compile cache on a temp directory: what its key covers, the nonce rewritten in a hit, the
 * bound on disk (least recently used first out), concurrent writers of one key (across two
 * processes' worth of instances) and one build per key at a time in a process.
 */
import { mkdtemp, readdir, rm, utimes } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type CachedBuild, CompileCache, compileKey, type Lookup } from './compile-cache.js';

const base = {
  toolchain: 'kernel 6.1.0-57-amd64-88df2a1481426049\nclang 14.0.6',
  targets: ['hello.bpf.o'],
  variables: { CPATH: '.bpflab-trace-tag', EVENT_TYPE: 'event' },
  files: [
    { path: 'hello.bpf.c', content: 'int x;\n' },
    { path: 'workload.sh', content: Buffer.from('#!/bin/sh\n') },
  ],
};

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'bpflab-compile-cache-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function object(text: string): CachedBuild {
  return { objects: new Map([['hello.bpf.o', Buffer.from(text)]]), output: '' };
}

async function miss(lookup: Lookup) {
  if (lookup.hit) throw new Error('expected a miss');
  return lookup;
}

describe('compileKey', () => {
  it('is the same for the same build whatever the order of files and variables', () => {
    const reordered = {
      ...base,
      variables: { EVENT_TYPE: 'event', CPATH: '.bpflab-trace-tag' },
      files: [...base.files].reverse(),
    };
    expect(compileKey(reordered)).toBe(compileKey(base));
  });

  it('changes with a source, a support file, a target, a variable or the toolchain', () => {
    const variants = [
      { ...base, files: [{ path: 'hello.bpf.c', content: 'int y;\n' }, base.files[1]!] },
      { ...base, files: [base.files[0]!, { path: 'workload.sh', content: '#!/bin/bash\n' }] },
      { ...base, files: [{ path: 'other.bpf.c', content: 'int x;\n' }, base.files[1]!] },
      { ...base, targets: ['other.bpf.o'] },
      { ...base, variables: { CPATH: '.bpflab-trace-tag' } },
      { ...base, toolchain: 'kernel 6.18.44-fc-v1272-c3a17d88cd3164ba\nclang 14.0.6' },
    ];
    const keys = new Set([compileKey(base), ...variants.map(compileKey)]);
    expect(keys.size).toBe(variants.length + 1);
  });

  it('does not confuse where one file ends and the next begins', () => {
    const a = { ...base, files: [{ path: 'a', content: 'bc' }] };
    const b = { ...base, files: [{ path: 'ab', content: 'c' }] };
    expect(compileKey(a)).not.toBe(compileKey(b));
  });
});

describe('CompileCache', () => {
  const key = compileKey(base);

  it('misses, keeps a build, and gives it back with the asking run nonce in place of its own', async () => {
    const cache = new CompileCache(dir);
    const first = await miss(await cache.lookup(key, 'aaaa1111'));
    await first.store(
      {
        objects: new Map([['hello.bpf.o', Buffer.from('\0[bl:aaaa1111] hi\0/root/.bpflab/runs/aaaa1111\0')]]),
        output: 'warning in aaaa1111',
      },
      'aaaa1111',
    );
    first.release();

    const again = await cache.lookup(key, 'bbbb2222');
    expect(again.hit?.objects.get('hello.bpf.o')?.toString()).toBe(
      '\0[bl:bbbb2222] hi\0/root/.bpflab/runs/bbbb2222\0',
    );
    expect(again.hit?.output).toBe('warning in bbbb2222');
    // A new instance (a restarted server) reads the same entry from disk.
    const restarted = await new CompileCache(dir).lookup(key, 'cccc3333');
    expect(restarted.hit?.objects.get('hello.bpf.o')?.toString()).toContain('[bl:cccc3333]');
  });

  it('refuses a key that is not a hash, so no lookup names a file outside its directory', async () => {
    await expect(new CompileCache(dir).lookup('../../etc/passwd', 'aaaa1111')).rejects.toThrow(
      /not a compile cache key/,
    );
  });

  it('stays under its size bound by removing the least recently used entries', async () => {
    const cache = new CompileCache(dir, { maxBytes: 3000 });
    const keys = ['a', 'b', 'c', 'd'].map((letter) => compileKey({ ...base, toolchain: letter }));
    for (const [i, k] of keys.slice(0, 3).entries()) {
      const lease = await miss(await cache.lookup(k, 'aaaa1111'));
      await lease.store(object('x'.repeat(800)), 'aaaa1111');
      lease.release();
      // Distinct ages without sleeping: the first stored is the oldest.
      const minutesAgo = new Date(Date.now() - (3 - i) * 60_000);
      await utimes(path.join(dir, k), minutesAgo, minutesAgo);
    }
    // Use the oldest one, which makes the second the least recently used.
    const a = new CompileCache(dir, { maxBytes: 3000 });
    expect((await a.lookup(keys[0]!, 'aaaa1111')).hit).not.toBeNull();
    const lease = await miss(await a.lookup(keys[3]!, 'aaaa1111'));
    await lease.store(object('y'.repeat(800)), 'aaaa1111');
    lease.release();

    expect((await readdir(dir)).sort()).toEqual([keys[0], keys[2], keys[3]].sort());
    expect(await a.size()).toBeLessThanOrEqual(3000);
  });

  it('keeps one whole entry when writers race on a key, and leaves no temporary file', async () => {
    // Two processes' caches on one directory, each storing the same key many times at once.
    const writers = [new CompileCache(dir), new CompileCache(dir)];
    const body = 'z'.repeat(64 * 1024);
    await Promise.all(
      Array.from({ length: 20 }, async (_, i) => {
        const cache = writers[i % 2]!;
        await cache.lookup(key, 'aaaa1111').then(async (lookup) => {
          if (lookup.hit) return;
          await lookup.store(object(body), 'aaaa1111');
          lookup.release();
        });
      }),
    );
    expect(await readdir(dir)).toEqual([key]);
    const read = await new CompileCache(dir).lookup(key, 'aaaa1111');
    expect(read.hit?.objects.get('hello.bpf.o')?.length).toBe(body.length);
  });

  it('makes a second lookup of a key being built wait for that build, then hit', async () => {
    const cache = new CompileCache(dir);
    const first = await miss(await cache.lookup(key, 'aaaa1111'));
    let secondDone = false;
    const second = cache.lookup(key, 'bbbb2222').then((lookup) => {
      secondDone = true;
      return lookup;
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(secondDone).toBe(false);
    await first.store(object('built once'), 'aaaa1111');
    first.release();
    expect((await second).hit?.objects.get('hello.bpf.o')?.toString()).toBe('built once');
  });

  it('lets the waiting lookup build itself when the first build kept nothing (it failed)', async () => {
    const cache = new CompileCache(dir);
    const first = await miss(await cache.lookup(key, 'aaaa1111'));
    const second = cache.lookup(key, 'bbbb2222');
    first.release();
    const lease = await miss(await second);
    lease.release();
  });
});
