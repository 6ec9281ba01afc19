/**
 * One terminal tab of a learner: a shell on a pty in their sandbox, the browsers watching it, and
 * what it printed lately. The shell outlives the sockets that watch it (a reconnect re-attaches
 * and repaints from the scrollback); it dies only when the terminal is closed or its session ends.
 */
import type { TerminalExit, TerminalInfo } from '../protocol/terminal.js';
import type { SandboxPty } from '../sandbox/pty.js';
import { FlowControl } from './flow-control.js';
import { OutputBatcher } from './output-batcher.js';
import { Scrollback } from './scrollback.js';

/** How long a shell may take to exit after its terminal hangs up before it is killed outright. */
const HANG_UP_GRACE_MS = 1000;

export interface TerminalSize {
  cols: number;
  rows: number;
}

/** Starts the shell, e.g. `(size) => sandbox.openTerminal(size)`. */
export type ShellFactory = (size: TerminalSize) => SandboxPty;

/** Where a terminal's events go for one attached socket. Output is the shell's bytes (UTF-8). */
export interface TerminalViewer {
  output(data: Uint8Array): void;
  exited(exit: TerminalExit): void;
  closed(): void;
}

export class Terminal {
  private pty: SandboxPty;
  private exit: TerminalExit | null = null;
  private isClosed = false;
  private size: TerminalSize;
  private readonly viewers = new Map<string, TerminalViewer>();
  private readonly scrollback = new Scrollback();
  private readonly batcher = new OutputBatcher((data) => this.broadcast(data));
  private readonly flow = new FlowControl({ pause: () => this.pty.pause(), resume: () => this.pty.resume() });

  constructor(
    readonly id: string,
    readonly title: string,
    private readonly startShell: ShellFactory,
    size: TerminalSize,
  ) {
    this.size = size;
    this.pty = this.spawn();
  }

  info(): TerminalInfo {
    return { id: this.id, title: this.title, state: this.exit ? 'exited' : 'running', exit: this.exit };
  }

  /** Start receiving output; returns the scrollback to paint first. */
  attach(viewerId: string, viewer: TerminalViewer): Uint8Array {
    // Held output goes to the current viewers and the scrollback first, so the new viewer gets
    // it exactly once (in the replay).
    this.batcher.flush();
    const replay = this.scrollback.snapshot();
    this.viewers.set(viewerId, viewer);
    this.flow.addViewer(viewerId);
    this.flow.sentTo(viewerId, replay.byteLength);
    return replay;
  }

  detach(viewerId: string): void {
    if (!this.viewers.delete(viewerId)) return;
    this.flow.removeViewer(viewerId);
  }

  acked(viewerId: string, bytes: number): void {
    this.flow.acked(viewerId, bytes);
  }

  /** A message of the platform's, shown to every viewer and kept in the scrollback like output. */
  announce(text: string): void {
    this.batcher.push(Buffer.from(text));
  }

  /** Keystrokes go through even while output is paused, so Ctrl-C can stop a flood. */
  write(data: string): void {
    if (!this.exit && !this.isClosed) this.pty.write(data);
  }

  resize(size: TerminalSize): void {
    this.size = size;
    if (!this.exit && !this.isClosed) this.pty.resize(size.cols, size.rows);
  }

  /** A fresh shell in place of one that exited; false when the shell is still running. */
  restart(): boolean {
    if (!this.exit || this.isClosed) return false;
    this.exit = null;
    this.pty = this.spawn();
    return true;
  }

  /** Kill the shell and tell every viewer the terminal is gone. Idempotent. */
  close(): void {
    if (this.isClosed) return;
    this.isClosed = true;
    this.batcher.discard();
    if (!this.exit) hangUp(this.pty);
    for (const viewer of this.viewers.values()) viewer.closed();
    this.viewers.clear();
  }

  private spawn(): SandboxPty {
    const pty = this.startShell(this.size);
    // A paused valve stays paused across a restart until the viewers catch up.
    if (this.flow.isPaused) pty.pause();
    const data = pty.onData((chunk) => this.batcher.push(chunk));
    const exit = pty.onExit(({ exitCode, signal }) => {
      data.dispose();
      exit.dispose();
      if (this.isClosed) return;
      this.batcher.flush();
      this.exit = { exitCode, signal: signal ? signal : null };
      for (const viewer of this.viewers.values()) viewer.exited(this.exit);
    });
    return pty;
  }

  private broadcast(data: Uint8Array): void {
    this.scrollback.append(data);
    for (const viewer of this.viewers.values()) viewer.output(data);
    this.flow.sentToAll(data.byteLength);
  }
}

/**
 * SIGHUP is what a closed terminal means to a shell, and lets it pass the news to its jobs. But
 * bash can lose a SIGHUP that arrives while it is still starting (measured: about one in ten
 * shells killed within 3 ms of their start survived), so whatever is left gets SIGKILL.
 */
function hangUp(pty: SandboxPty): void {
  pty.kill('SIGHUP');
  const force = setTimeout(() => pty.kill('SIGKILL'), HANG_UP_GRACE_MS);
  force.unref();
  const exited = pty.onExit(() => {
    clearTimeout(force);
    exited.dispose();
  });
}
