/**
 * A command the server runs on the host to reach into a sandbox (`nsenter …` for the local
 * driver, `limactl shell …` for Lima), with the contract's rules for exec and spawn: its own
 * process group, killed as a whole on timeout or abort; output capped as it arrives; failures
 * of the command are values, failures to start it are exceptions.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { Readable } from 'node:stream';
import { CappedOutput, LineSplitter } from './output.js';
import type { ExecOptions, ExecResult, SandboxProcess } from './types.js';

export interface HostCommand {
  file: string;
  args: string[];
  /** The complete environment: nothing of the server's own environment leaks into a sandbox. */
  env: Record<string, string>;
  /**
   * Delivers a signal to the command's process group, `pgid` being the pid of the command
   * itself; by default kill(-pgid). A driver may know better (see SandboxNamespaces.command).
   */
  signalGroup?: (pgid: number, signal: NodeJS.Signals) => void;
}

/**
 * A complete environment as node's spawn() wants it. (Next's type declarations make NODE_ENV a
 * required key of ProcessEnv; a sandbox's environment deliberately has no NODE_ENV.)
 */
export function processEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  return env as NodeJS.ProcessEnv;
}

/** After the command exits, wait this long for descendants still holding its pipes. */
const DRAIN_GRACE_MS = 250;
/** A command still running this long after its SIGKILL gets one sent straight to its group. */
const KILL_BACKSTOP_MS = 2_000;

/** Run a command to completion and collect its (capped) output. */
export function runHostCommand(command: HostCommand, opts: ExecOptions): Promise<ExecResult> {
  return new HostProcess(command, opts, false).exited;
}

/** Start a command whose stdout is consumed line by line while it runs. */
export function startHostCommand(command: HostCommand, opts: Omit<ExecOptions, 'input'>): SandboxProcess {
  return new HostProcess(command, { ...opts, input: undefined }, true);
}

class HostProcess implements SandboxProcess {
  readonly exited: Promise<ExecResult>;
  private readonly child: ChildProcess;
  private readonly signalGroup: (pgid: number, signal: NodeJS.Signals) => void;
  private readonly started = performance.now();
  private readonly stdout: CappedOutput;
  private readonly stderr: CappedOutput;
  /** Set when stdout is consumed as lines (spawn) rather than collected (exec). */
  private readonly lines: LineSplitter | null;
  private readonly listeners: ((line: string) => void)[] = [];
  /** Lines that arrived before anyone listened; bounded by the output cap. */
  private readonly early: string[] = [];
  private timedOut = false;

  constructor(
    command: HostCommand,
    private readonly opts: ExecOptions,
    streaming: boolean,
  ) {
    this.stdout = new CappedOutput(opts.maxOutputBytes);
    this.stderr = new CappedOutput(opts.maxOutputBytes);
    this.lines = streaming ? new LineSplitter(opts.maxOutputBytes, (line) => this.deliver(line)) : null;
    this.signalGroup = command.signalGroup ?? signalWholeGroup;
    this.child = spawn(command.file, command.args, {
      env: processEnv(command.env),
      // A process group of its own, so a kill reaches everything the command started.
      detached: true,
      stdio: [streaming || opts.input !== undefined ? 'pipe' : 'ignore', 'pipe', 'pipe'],
    });
    this.exited = this.watch();
    // A command that exits without reading its input must not crash the server with EPIPE.
    this.child.stdin?.on('error', () => {});
    if (opts.input instanceof Readable) {
      // An input that fails to read (a file gone) ends the command's stdin early, as EOF.
      opts.input.once('error', () => this.child.stdin?.end());
      if (this.child.stdin) opts.input.pipe(this.child.stdin);
    } else if (opts.input !== undefined) this.child.stdin?.end(opts.input);
  }

  onLine(listener: (line: string) => void): void {
    this.listeners.push(listener);
    if (this.listeners.length === 1) {
      for (const line of this.early.splice(0)) listener(line);
    }
  }

  endInput(): void {
    this.child.stdin?.end();
  }

  kill(signal: NodeJS.Signals = 'SIGKILL'): void {
    if (this.child.pid === undefined || !this.running) return;
    this.signalGroup(this.child.pid, signal);
  }

  private get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** SIGKILL the group the driver's way, then bluntly if the command is still there later. */
  private killHard(): void {
    const pid = this.child.pid;
    if (pid === undefined || !this.running) return;
    this.signalGroup(pid, 'SIGKILL');
    const backstop = setTimeout(() => signalWholeGroup(pid, 'SIGKILL'), KILL_BACKSTOP_MS);
    this.child.once('exit', () => clearTimeout(backstop));
  }

  private deliver(line: string): void {
    if (this.listeners.length === 0) this.early.push(line);
    for (const listener of this.listeners) listener(line);
  }

  private watch(): Promise<ExecResult> {
    const { child, opts } = this;
    child.stdout?.on('data', (chunk: Buffer) => (this.lines ?? this.stdout).push(chunk));
    child.stderr?.on('data', (chunk: Buffer) => this.stderr.push(chunk));

    const timer = setTimeout(() => {
      this.timedOut = true;
      this.killHard();
    }, opts.timeoutMs);
    const abort = () => this.killHard();
    if (opts.signal?.aborted) queueMicrotask(abort);
    opts.signal?.addEventListener('abort', abort, { once: true });

    return new Promise<ExecResult>((resolve, reject) => {
      let exit: { code: number | null; signal: NodeJS.Signals | null } | null = null;
      const finish = () => {
        clearTimeout(timer);
        opts.signal?.removeEventListener('abort', abort);
        this.lines?.end();
        resolve({
          exitCode: exit?.code ?? null,
          signal: exit?.signal ?? null,
          stdout: this.lines ? '' : this.stdout.text(),
          stderr: this.stderr.text(),
          timedOut: this.timedOut,
          truncated: this.stdout.truncated || this.stderr.truncated || (this.lines?.truncated ?? false),
          durationMs: Math.round(performance.now() - this.started),
        });
      };
      child.once('error', (error) => {
        clearTimeout(timer);
        opts.signal?.removeEventListener('abort', abort);
        reject(new Error(`cannot start ${child.spawnfile}`, { cause: error }));
      });
      child.once('exit', (code, signal) => {
        exit = { code, signal };
        // Whatever the command left running in its group goes with it, as the contract says.
        if (child.pid !== undefined) signalWholeGroup(child.pid, 'SIGKILL');
        const grace = setTimeout(() => {
          child.stdout?.destroy();
          child.stderr?.destroy();
        }, DRAIN_GRACE_MS);
        child.once('close', () => {
          clearTimeout(grace);
          finish();
        });
      });
    });
  }
}

function signalWholeGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // Nothing left in the group.
  }
}
