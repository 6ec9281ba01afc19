/**
 * The kernel side of trace routing on a shared kernel: one `cat trace_pipe` child per server
 * (a child process, because a blocking read of trace_pipe would pin a libuv worker thread), markers
 * through trace_marker, and pid namespace lookups through /proc.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readlinkSync } from 'node:fs';
import { appendFile, readdir, readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import type { TraceSource } from './trace.js';

/** Keep the reader this long after the last run, so back-to-back grades do not respawn it. */
const LINGER_MS = 5_000;

/**
 * The reader's argv[0], naming the server that started it: a reader whose parent is no longer
 * that server outlived a crash, and would hold trace_pipe (one reader at a time) from the next.
 */
const READER_MARK = 'bpflab-trace-reader';
const MARKED_READER = new RegExp(`^${READER_MARK}:(\\d+)\0`);

export class KernelTracePipe implements TraceSource {
  private reader: ChildProcess | null = null;
  private lingering: NodeJS.Timeout | null = null;
  private failure: string | null = null;

  constructor(
    private readonly tracefs: string,
    private readonly onLine: (raw: string) => void,
  ) {}

  async open(): Promise<void> {
    if (this.lingering) clearTimeout(this.lingering);
    this.lingering = null;
    if (this.reader) return;
    this.failure = null;
    const reader = spawn('cat', [`${this.tracefs}/trace_pipe`], {
      argv0: `${READER_MARK}:${process.pid}`,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.reader = reader;
    createInterface({ input: reader.stdout! }).on('line', this.onLine);
    let stderr = '';
    reader.stderr!.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    // 'close' comes after stderr is read to its end. A reader stop() killed is no longer this.reader.
    reader.once('close', (code, signal) => {
      if (this.reader !== reader) return;
      this.reader = null;
      // Since Linux 6.6 trace_pipe has one reader at a time; a learner's `cat` can hold it.
      this.failure = /busy/i.test(stderr)
        ? 'trace_pipe is being read by another program (it allows one reader at a time)'
        : `the trace_pipe reader stopped (${signal ?? `status ${code}`}): ${stderr.trim()}`;
      console.error(`bpflab: ${this.failure}`);
    });
    await new Promise<void>((resolve, reject) => {
      reader.once('spawn', resolve);
      reader.once('error', (error) =>
        reject(new Error('cannot start the trace_pipe reader', { cause: error })),
      );
    });
  }

  problem(): string | null {
    return this.failure;
  }

  async writeMarker(text: string): Promise<void> {
    await appendFile(`${this.tracefs}/trace_marker`, text);
  }

  async close(): Promise<void> {
    if (!this.reader || this.lingering) return;
    this.lingering = setTimeout(() => this.stop(), LINGER_MS);
    this.lingering.unref();
  }

  /** Stops the reader now (server shutdown, tests). */
  stop(): void {
    if (this.lingering) clearTimeout(this.lingering);
    this.lingering = null;
    this.reader?.kill('SIGKILL');
    this.reader = null;
  }
}

/**
 * Kills trace_pipe readers left by a bpflab server that died without stopping them (kill -9, a
 * crash): their argv[0] names a server that is no longer their parent. Readers of live servers
 * are left alone. Returns the pids killed.
 */
export async function reclaimOrphanedReaders(proc = '/proc'): Promise<number[]> {
  const killed: number[] = [];
  for (const entry of await readdir(proc)) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    const [cmdline, stat] = await Promise.all([
      readFile(`${proc}/${entry}/cmdline`, 'utf8').catch(() => ''),
      readFile(`${proc}/${entry}/stat`, 'utf8').catch(() => ''),
    ]);
    const mark = MARKED_READER.exec(cmdline);
    // stat is "pid (comm) state ppid …"; comm may hold spaces, so read after its last ')'.
    const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (!mark || Number(mark[1]) === parent) continue;
    try {
      process.kill(pid, 'SIGKILL');
      killed.push(pid);
    } catch {
      // It ended on its own meanwhile.
    }
  }
  return killed;
}

/** The pid namespace of a live host process, e.g. `pid:[4026532290]`; undefined once it has exited. */
export function pidNamespaceOf(pid: number): string | undefined {
  try {
    return readlinkSync(`/proc/${pid}/ns/pid`);
  } catch {
    return undefined;
  }
}

/** Where tracefs is mounted on the host, or null when it is not. */
export async function findTracefs(mounts = '/proc/self/mounts'): Promise<string | null> {
  const text = await readFile(mounts, 'utf8');
  const dirs = text
    .split('\n')
    .map((l) => l.split(' '))
    .filter((f) => f[2] === 'tracefs')
    .map((f) => f[1]!);
  return dirs.find((d) => d === '/sys/kernel/tracing') ?? dirs[0] ?? null;
}
