import { mkdir, mkdtemp, readFile, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SandboxError } from '../types.js';
import { WorkspaceFiles } from './workspace-files.js';

describe('WorkspaceFiles', () => {
  let base: string;
  let workspace: string;
  let outside: string;
  let files: WorkspaceFiles;

  beforeEach(async () => {
    base = await realpath(await mkdtemp(path.join(tmpdir(), 'bpflab-ws-')));
    workspace = path.join(base, 'workspace');
    outside = path.join(base, 'secret');
    await mkdir(workspace);
    await mkdir(outside);
    await writeFile(path.join(outside, 'key'), 'do not read');
    files = new WorkspaceFiles(workspace);
  });
  afterEach(() => rm(base, { recursive: true, force: true }));

  it('writes and reads files, making parent directories', async () => {
    await files.write('src/lab/hello.bpf.c', 'int x;');
    expect(await readFile(path.join(workspace, 'src/lab/hello.bpf.c'), 'utf8')).toBe('int x;');
    expect((await files.read('src/lab/hello.bpf.c')).toString()).toBe('int x;');
  });

  it('follows a symlink that stays inside the workspace', async () => {
    await files.write('real/file.txt', 'inside');
    await symlink(path.join(workspace, 'real'), path.join(workspace, 'alias'));
    expect((await files.read('alias/file.txt')).toString()).toBe('inside');
  });

  it('refuses to read through a symlink out of the workspace', async () => {
    await symlink(path.join(outside, 'key'), path.join(workspace, 'key'));
    await expect(files.read('key')).rejects.toThrow(/not inside your workspace/);
  });

  it('refuses to write through a symlinked directory out of the workspace', async () => {
    await symlink(outside, path.join(workspace, 'out'));
    await expect(files.write('out/planted', 'x')).rejects.toBeInstanceOf(SandboxError);
    await expect(files.write('out/new/dir/planted', 'x')).rejects.toBeInstanceOf(SandboxError);
    await expect(readFile(path.join(outside, 'planted'))).rejects.toThrow(/ENOENT/);
  });

  it('refuses to write over a symlink pointing out, even a dangling one', async () => {
    await symlink(path.join(outside, 'key'), path.join(workspace, 'overwrite'));
    await symlink(path.join(outside, 'not-yet'), path.join(workspace, 'dangling'));
    await expect(files.write('overwrite', 'x')).rejects.toBeInstanceOf(SandboxError);
    await expect(files.write('dangling', 'x')).rejects.toBeInstanceOf(SandboxError);
    expect(await readFile(path.join(outside, 'key'), 'utf8')).toBe('do not read');
  });

  it('refuses absolute and climbing paths before touching the disk', async () => {
    await expect(files.read('/etc/passwd')).rejects.toBeInstanceOf(SandboxError);
    await expect(files.write('../secret/key', 'x')).rejects.toBeInstanceOf(SandboxError);
  });

  it('says plainly when a file is missing', async () => {
    await expect(files.read('nope.c')).rejects.toThrow(/no file "nope.c"/);
  });
});
