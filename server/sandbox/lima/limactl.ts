/**
 * How the server calls `limactl`: with a small, fixed environment (never the server's secrets),
 * and with the operator's view of a failure — Lima's own logs of the instance — at hand.
 */
import { readdir, readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';
import { type HostCommand, runHostCommand } from '../host-process.js';
import { type ExecResult, SandboxError } from '../types.js';

/** What limactl (and the ssh and qemu it runs) needs from the server's environment. */
const PASSED_THROUGH = ['HOME', 'PATH', 'USER', 'LOGNAME', 'TMPDIR', 'LANG', 'LC_ALL', 'XDG_RUNTIME_DIR'];
const LOG_TAIL_LINES = 30;

export const LIMACTL_MISSING = 'The virtual machine service is not available on this server';

export class Limactl {
  readonly env: Record<string, string>;
  readonly limaHome: string;

  constructor(
    readonly exe: string,
    limaHome: string | undefined,
  ) {
    this.limaHome = limaHome ?? path.join(homedir(), '.lima');
    this.env = { LIMA_HOME: this.limaHome };
    for (const key of PASSED_THROUGH) {
      const value = process.env[key];
      if (value !== undefined) this.env[key] = value;
    }
  }

  command(args: string[]): HostCommand {
    return { file: this.exe, args, env: this.env };
  }

  /** Run a limactl command to completion; a missing limactl is a SandboxError, not a crash. */
  async run(args: string[], timeoutMs: number): Promise<ExecResult> {
    try {
      return await runHostCommand(this.command(args), { timeoutMs, maxOutputBytes: 1024 * 1024 });
    } catch (error) {
      throw this.missing(error) ?? error;
    }
  }

  /** The SandboxError for "limactl is not installed", when that is what `error` says. */
  missing(error: unknown): SandboxError | null {
    const code = ((error as Error).cause as NodeJS.ErrnoException | undefined)?.code;
    if (code !== 'ENOENT' && code !== 'EACCES') return null;
    return this.missingError(code, error);
  }

  missingError(why: string, cause?: unknown): SandboxError {
    return new SandboxError(
      LIMACTL_MISSING,
      `cannot run ${this.exe} (${why}): install Lima 1.1 or later (https://lima-vm.io/docs/installation/) ` +
        'or point LIMACTL at it',
      { cause },
    );
  }

  /** The end of Lima's logs for an instance: the host agent's stderr and the serial console. */
  async logTail(name: string): Promise<string> {
    const dir = path.join(this.limaHome, name);
    const logs = (await readdir(dir).catch(() => [] as string[]))
      .filter((f) => f === 'ha.stderr.log' || /^serial.*\.log$/.test(f))
      .sort();
    const parts: string[] = [];
    for (const log of logs) {
      const text = await readFile(path.join(dir, log), 'utf8').catch(() => '');
      const tail = text.trimEnd().split('\n').slice(-LOG_TAIL_LINES).join('\n');
      if (tail) parts.push(`--- ${path.join(dir, log)} (last ${LOG_TAIL_LINES} lines)\n${tail}`);
    }
    return parts.length > 0 ? parts.join('\n') : `(no Lima logs in ${dir})`;
  }
}
