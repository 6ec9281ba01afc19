/**
 * Drives the bpf/ toolchain from TypeScript for its integration tests and the compile benchmark:
 * builds the tools tree, compiles lab sources in a run directory the way the grader does, and
 * runs bpflab-runner while collecting its JSON lines.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const BPF_DIR = dirname(fileURLToPath(import.meta.url));
export const TESTDATA = join(BPF_DIR, 'testdata');
/** The tools tree `make -C bpf` builds; the local driver mounts it at /opt/bpflab. */
export const TOOLS = join(BPF_DIR, 'build');
export const RUNNER = join(TOOLS, 'bin', 'bpflab-runner');

/** Why the toolchain cannot be exercised on this machine, or null when it can. */
export function toolchainUnavailable(): string | null {
  if (process.getuid?.() !== 0) return 'needs root (CAP_BPF, CAP_NET_ADMIN, CAP_PERFMON)';
  if (!existsSync('/sys/kernel/btf/vmlinux')) return 'the kernel has no BTF (/sys/kernel/btf/vmlinux)';
  return null;
}

/** `make -C bpf`: incremental, so cheap when the tree is current. */
export async function buildTools(): Promise<void> {
  await run('make', ['-s', '-C', BPF_DIR], { maxBuffer: 16 << 20 });
}

/** A fresh run directory holding copies of the named testdata files. */
export async function runDir(files: string[]): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'bpflab-bpf-'));
  await Promise.all(files.map((f) => copyFile(join(TESTDATA, f), join(dir, f))));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

export interface CompileResult {
  exitCode: number;
  stderr: string;
  ms: number;
}

/** What the grader runs: `make -s -f <tools>/lab.mk TARGET` in the run directory (`vars`: more make variables). */
export function compile(
  dir: string,
  target: string,
  opts: { pch?: boolean; tools?: string; vars?: string[] } = {},
): Promise<CompileResult> {
  const args = [
    '-s',
    '-f',
    join(opts.tools ?? TOOLS, 'lab.mk'),
    `PCH=${opts.pch === false ? 0 : 1}`,
    ...(opts.vars ?? []),
    target,
  ];
  const start = performance.now();
  return new Promise((resolve) => {
    execFile('make', args, { cwd: dir }, (error, _stdout, stderr) => {
      const exitCode = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ exitCode, stderr, ms: performance.now() - start });
    });
  });
}

// biome-ignore lint/suspicious/noExplicitAny: runner lines are checked field by field in the tests
export type RunnerLine = { type: string; [field: string]: any };

export interface RunnerProcess {
  readonly child: ChildProcess;
  readonly lines: RunnerLine[];
  /** Resolves with the first line (already seen or still to come) that matches. */
  waitFor(match: (line: RunnerLine) => boolean, timeoutMs?: number): Promise<RunnerLine>;
  /** Closes stdin: the runner's signal-free way to stop. */
  endInput(): void;
  readonly exited: Promise<{ exitCode: number | null; signal: NodeJS.Signals | null; stderr: string }>;
}

/** Starts `bpflab-runner ARGS` in cwd (through `wrap`, e.g. unshare, when given). */
export function startRunner(args: string[], opts: { cwd: string; wrap?: string[] }): RunnerProcess {
  const argv = [...(opts.wrap ?? []), RUNNER, ...args];
  const child = spawn(argv[0]!, argv.slice(1), { cwd: opts.cwd, stdio: ['pipe', 'pipe', 'pipe'] });
  const lines: RunnerLine[] = [];
  const waiters = new Set<() => void>();
  let stderr = '';
  // Closing stdin of a runner that already stopped (--duration-ms) is not an error.
  child.stdin!.on('error', () => {});
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  createInterface({ input: child.stdout! }).on('line', (text) => {
    lines.push(JSON.parse(text) as RunnerLine);
    for (const wake of waiters) wake();
  });
  const exited = new Promise<{ exitCode: number | null; signal: NodeJS.Signals | null; stderr: string }>(
    (resolve) => child.on('close', (exitCode, signal) => resolve({ exitCode, signal, stderr })),
  );

  function waitFor(match: (line: RunnerLine) => boolean, timeoutMs = 10_000): Promise<RunnerLine> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = lines.find(match);
        if (!found) return;
        done();
        resolve(found);
      };
      const timer = setTimeout(() => {
        done();
        reject(
          new Error(
            `no matching runner line in ${timeoutMs} ms; got:\n${lines.map((l) => JSON.stringify(l)).join('\n')}\n${stderr}`,
          ),
        );
      }, timeoutMs);
      const onExit = () => {
        check();
        if (!waiters.has(check)) return;
        done();
        reject(
          new Error(
            `runner exited without a matching line:\n${lines.map((l) => JSON.stringify(l)).join('\n')}\n${stderr}`,
          ),
        );
      };
      const done = () => {
        clearTimeout(timer);
        waiters.delete(check);
      };
      waiters.add(check);
      exited.then(onExit);
      check();
    });
  }

  return { child, lines, waitFor, endInput: () => child.stdin!.end(), exited };
}

/** Runs the runner to completion with stdin closed at once or after `afterReady`. */
export async function runToEnd(
  args: string[],
  opts: { cwd: string; wrap?: string[]; afterReady?: (runner: RunnerProcess) => Promise<void> },
): Promise<{ exitCode: number | null; lines: RunnerLine[]; stderr: string }> {
  const runner = startRunner(args, opts);
  const ready = await runner.waitFor((l) => l.type === 'ready' || l.type === 'error').catch(() => null);
  if (ready?.type === 'ready' && opts.afterReady) await opts.afterReady(runner);
  runner.endInput();
  const { exitCode, stderr } = await runner.exited;
  return { exitCode, lines: runner.lines, stderr };
}

/** The BPF programs loaded in the kernel right now, id to name, as `bpftool prog list` shows them. */
export async function kernelPrograms(): Promise<Map<number, string>> {
  const { stdout } = await run('bpftool', ['-j', 'prog', 'list'], { maxBuffer: 64 << 20 });
  return new Map((JSON.parse(stdout) as { id: number; name?: string }[]).map((p) => [p.id, p.name ?? '']));
}

/**
 * Programs of a finished run still in the kernel: those it reported loading, and any program
 * new since `before` that carries one of its names. (Other tests and engineers share this kernel,
 * so `bpftool prog list` as a whole may legitimately change during a run.)
 */
export async function programsLeftBehind(
  before: Map<number, string>,
  lines: RunnerLine[],
): Promise<string[]> {
  const loaded = lines.find((l) => l.type === 'loaded');
  const programs = loaded ? (loaded.programs as { id: number; name: string }[]) : [];
  // The kernel keeps the first 15 characters of a program name.
  const names = new Set(programs.map((p) => p.name.slice(0, 15)));
  const ids = new Set(programs.map((p) => p.id));
  // The kernel frees a program once its last reference goes, and tc filters drop theirs after an
  // RCU grace period: a program gone within a few hundred milliseconds was not left behind.
  let left: string[] = [];
  for (const deadline = Date.now() + 3000; Date.now() < deadline; ) {
    const after = await kernelPrograms();
    left = [...after]
      .filter(([id, name]) => ids.has(id) || (!before.has(id) && names.has(name)))
      .map(([id, name]) => `${name} (id ${id})`);
    if (left.length === 0) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return left;
}

/** Mounts tracefs when it is not mounted yet; returns how to undo exactly that. */
export async function ensureTracefs(): Promise<() => Promise<void>> {
  const dir = '/sys/kernel/tracing';
  if (existsSync(join(dir, 'trace_pipe'))) return async () => {};
  await run('mount', ['-t', 'tracefs', 'tracefs', dir]);
  return async () => {
    await run('umount', [dir]);
  };
}

/** Builds testdata/workload.c into dir as `bpflab-workload`; returns its path. */
export async function buildWorkload(dir: string): Promise<string> {
  const out = join(dir, 'bpflab-workload');
  await run('cc', ['-O1', '-g', '-o', out, join(TESTDATA, 'workload.c')]);
  return out;
}

export async function workload(path: string, ...args: string[]): Promise<{ pid: number; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = execFile(path, args, (error, stdout) =>
      error ? reject(error) : resolve({ pid: child.pid!, stdout }),
    );
  });
}
