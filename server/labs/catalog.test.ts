import { cp, mkdtemp, readFile, rm, unlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LabCatalog } from './catalog.js';
import { repoLabPaths } from './loader.js';

const repo = repoLabPaths(path.resolve(import.meta.dirname, '../..'));
let root: string;
let catalog: LabCatalog;

beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'bpflab-catalog-'));
  await cp(path.join(repo.labsDir, 'hello-execve'), path.join(root, 'labs', 'hello-execve'), {
    recursive: true,
    dereference: true,
  });
  await cp(repo.contentDir, path.join(root, 'content'), { recursive: true });
  catalog = new LabCatalog(repoLabPaths(root));
  vi.spyOn(console, 'error').mockImplementation(() => {});
});

afterEach(async () => {
  vi.restoreAllMocks();
  await rm(root, { recursive: true, force: true });
});

const manifest = () => path.join(root, 'labs', 'hello-execve', 'lab.yaml');

describe('LabCatalog', () => {
  it('serves an edited manifest on the next open, without a restart', async () => {
    const before = await catalog.get('hello-execve');
    expect(before.ok && before.lab.manifest.title).toBe('Hello, execve');

    const text = await readFile(manifest(), 'utf8');
    await writeFile(manifest(), text.replace('title: Hello, execve', 'title: Hello again, execve'));
    const after = await catalog.get('hello-execve');
    expect(after.ok && after.lab.manifest.title).toBe('Hello again, execve');
  });

  it('notices a file removed from or restored to the lab, even with the manifest untouched', async () => {
    const solution = path.join(root, 'labs', 'hello-execve', 'solution', 'hello.bpf.c');
    const saved = await readFile(solution, 'utf8');
    const stamp = new Date('2026-01-01T00:00:00Z');
    await utimes(manifest(), stamp, stamp);
    expect((await catalog.get('hello-execve')).ok).toBe(true);

    await unlink(solution);
    expect(await catalog.get('hello-execve')).toEqual({
      ok: false,
      error: 'The lab "hello-execve" is unavailable right now',
    });
    await writeFile(solution, saved);
    expect((await catalog.get('hello-execve')).ok).toBe(true);
  });

  it('reads starter files on every use', async () => {
    const found = await catalog.get('hello-execve');
    if (!found.ok) throw new Error(found.error);
    const starter = path.join(root, 'labs', 'hello-execve', 'starter', 'hello.bpf.c');
    await writeFile(starter, '// edited starter\n');
    const files = await catalog.files(found.lab, 'starter');
    expect(files.find((f) => f.path === 'hello.bpf.c')?.content).toBe('// edited starter\n');
  });
});
