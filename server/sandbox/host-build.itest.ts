/**
 * The host build jail the vm driver compiles learners' BPF code in: it builds with the tools tree
 * it is given, and what the learner's code may #include is only that and the system headers —
 * never the repository (every lab's solution is in it), the data directory or the host's secrets.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostBpfBuilder } from './host-build.js';
import { hostToolsDir } from './tools-tree.js';

const REPO_ROOT = path.resolve(import.meta.dirname, '../..');
const TOOLS = hostToolsDir(REPO_ROOT);
const skip = process.getuid?.() !== 0 ? 'needs root (namespaces, mounts)' : null;

describe.skipIf(skip !== null)(`host BPF build jail${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let dataDir: string;
  const build = (source: string) =>
    hostBpfBuilder(TOOLS, [REPO_ROOT, dataDir]).build({
      files: [{ path: 'hello.bpf.c', content: source }],
      targets: ['hello.bpf.o'],
      timeoutMs: 60_000,
      maxOutputBytes: 4 * 1024 * 1024,
    });

  beforeAll(async () => {
    dataDir = await mkdtemp('/var/tmp/bpflab-build-itest-');
    await writeFile(path.join(dataDir, 'secret'), 'cookie key');
  });
  afterAll(() => rm(dataDir, { recursive: true, force: true }));

  it('builds a BPF object with the tools tree it was given', async () => {
    const solution = await readFile(path.join(REPO_ROOT, 'labs/hello-execve/solution/hello.bpf.c'), 'utf8');
    const built = await build(solution);
    expect(built.stderr).toBe('');
    expect(built.exitCode).toBe(0);
    const object = built.objects.get('hello.bpf.o');
    expect(object?.subarray(0, 4).toString('latin1')).toBe('\x7fELF');
  });

  it('returns objects far larger than the cap on the build messages whole', async () => {
    // A CO-RE kprobe reaching struct sock carries ~700 KB of BTF; the messages' cap is 256 KiB.
    const lab = path.join(REPO_ROOT, 'labs/udp-send-kprobe');
    const files = await Promise.all(
      ['solution/sends.bpf.c', 'game.h'].map(async (f) => ({
        path: path.basename(f),
        content: await readFile(path.join(lab, f), 'utf8'),
      })),
    );
    const built = await hostBpfBuilder(TOOLS, [REPO_ROOT, dataDir]).build({
      files,
      targets: ['sends.bpf.o'],
      timeoutMs: 60_000,
      maxOutputBytes: 256 * 1024,
    });
    expect(built.stderr).toBe('');
    const object = built.objects.get('sends.bpf.o');
    expect(object?.length).toBeGreaterThan(256 * 1024);
    expect(object?.subarray(0, 4).toString('latin1')).toBe('\x7fELF');
  });

  it('reports errors against the file names the learner sees', async () => {
    const built = await build('int x = ;\n');
    expect(built.exitCode).not.toBe(0);
    expect(built.stderr).toMatch(/^hello\.bpf\.c:1:9: error: expected expression/m);
    expect(built.objects.size).toBe(0);
  });

  it.each([
    ['a lab solution in the repository', path.join(REPO_ROOT, 'labs/hello-execve/solution/hello.bpf.c')],
    ['the data directory', path.join('DATA', 'secret')],
    ['the shadow file', '/etc/shadow'],
    ["root's home", '/root/.bashrc'],
  ])('cannot #include %s', async (_what, file) => {
    const built = await build(`#include "${file.replace('DATA', dataDir)}"\n`);
    expect(built.exitCode).not.toBe(0);
    expect(built.stderr).toMatch(
      /fatal error: (?:'[^']+' file not found|cannot open file '[^']+': Permission denied)/,
    );
  });
});
