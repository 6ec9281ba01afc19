/**
 * The tools tree as the grader uses it: one make command per lab in a run directory, the
 * precompiled vmlinux.h, clang diagnostics naming the learner's file, and skeleton loaders.
 */
import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildTools, compile, runDir, TOOLS, toolchainUnavailable } from './harness.js';

const run = promisify(execFile);
const unavailable = toolchainUnavailable();

describe.skipIf(unavailable !== null)(`bpf toolchain (${unavailable ?? 'available'})`, () => {
  beforeAll(buildTools, 180_000);

  it('builds a self-contained tools tree', async () => {
    const id = await readFile(join(TOOLS, 'toolchain-id'), 'utf8');
    const release = (await run('uname', ['-r'])).stdout.trim();
    expect(id).toMatch(new RegExp(`^kernel ${release.replace(/[.+]/g, '\\$&')}-[0-9a-f]{16}\nclang \\d+`));
    for (const file of [
      'bin/bpflab-runner',
      'include/vmlinux.h',
      'include/vmlinux.h.pch',
      'include/bpflab.h',
    ]) {
      await expect(readFile(join(TOOLS, file))).resolves.toBeTruthy();
    }
  });

  it('compiles a lab with and without the precompiled header to the same BTF', async () => {
    const lab = await runDir(['exec_ringbuf.bpf.c']);
    try {
      const withPch = await compile(lab.dir, 'exec_ringbuf.bpf.o');
      expect(withPch).toMatchObject({ exitCode: 0, stderr: '' });
      const btfWith = (await run('bpftool', ['btf', 'dump', 'file', join(lab.dir, 'exec_ringbuf.bpf.o')]))
        .stdout;
      await rm(join(lab.dir, 'exec_ringbuf.bpf.o'));
      const without = await compile(lab.dir, 'exec_ringbuf.bpf.o', { pch: false });
      expect(without).toMatchObject({ exitCode: 0, stderr: '' });
      const btfWithout = (await run('bpftool', ['btf', 'dump', 'file', join(lab.dir, 'exec_ringbuf.bpf.o')]))
        .stdout;
      expect(btfWith).toContain("STRUCT 'exec_event'");
      expect(btfWith).toBe(btfWithout);
    } finally {
      await lab.remove();
    }
  });

  it('keeps the precompiled header usable when the tree is mounted elsewhere', async () => {
    // Sandboxes see the tree at /opt/bpflab, where the path the PCH was built from is hidden.
    const moved = await mkdtemp(join(tmpdir(), 'bpflab-tools-'));
    const lab = await runDir(['exec_ringbuf.bpf.c']);
    try {
      await cp(TOOLS, moved, { recursive: true });
      const script = `mount -t tmpfs none '${TOOLS}/include' && make -s -f '${moved}/lab.mk' exec_ringbuf.bpf.o`;
      const { stderr } = await run('unshare', ['-m', 'sh', '-c', script], { cwd: lab.dir });
      expect(stderr).toBe('');
      await expect(readFile(join(lab.dir, 'exec_ringbuf.bpf.o'))).resolves.toBeTruthy();
    } finally {
      await Promise.all([lab.remove(), rm(moved, { recursive: true, force: true })]);
    }
  });

  it('reports a syntax error at the file, line and column the learner sees', async () => {
    const lab = await runDir(['syntax_error.bpf.c']);
    try {
      const result = await compile(lab.dir, 'syntax_error.bpf.o');
      expect(result.exitCode).not.toBe(0);
      expect(result.stderr).toMatch(/^syntax_error\.bpf\.c:10:33: error: expected ';' after expression$/m);
    } finally {
      await lab.remove();
    }
  });

  it('builds a user-space loader from a bpftool skeleton', async () => {
    const lab = await runDir(['exec_ringbuf.bpf.c']);
    try {
      const loader = `#include <stdio.h>
#include "exec_ringbuf.skel.h"
int main(void)
{
	struct exec_ringbuf_bpf *skel = exec_ringbuf_bpf__open();
	if (!skel)
		return 1;
	skel->rodata->ignored_pid = 1;
	int err = exec_ringbuf_bpf__load(skel);
	printf("loaded=%d\\n", !err && bpf_program__fd(skel->progs.handle_execve) >= 0);
	exec_ringbuf_bpf__destroy(skel);
	return err ? 2 : 0;
}
`;
      await writeFile(join(lab.dir, 'loader.c'), loader);
      const built = await compile(lab.dir, 'loader');
      expect(built).toMatchObject({ exitCode: 0, stderr: '' });
      const { stdout } = await run(join(lab.dir, 'loader'));
      expect(stdout).toBe('loaded=1\n');
    } finally {
      await lab.remove();
    }
  });
});
