/**
 * One learner's live state: their sandbox (created on first use, shared by all their tabs and
 * sockets) and their terminals. Terminal ids are random and looked up only in this session's
 * own map, so no id a client sends can reach another learner's shell.
 */
import { randomBytes } from 'node:crypto';
import type { KernelFeatures } from '../protocol/kernel-features.js';
import { MAX_TERMINALS } from '../protocol/terminal.js';
import type { Driver, Sandbox } from '../sandbox/types.js';
import { SandboxError } from '../sandbox/types.js';
import { Terminal, type TerminalSize } from '../terminal/terminal.js';

export interface SandboxEvents {
  starting(): void;
  ready(sandbox: Sandbox): void;
  failed(error: SandboxError): void;
}

export type OpenTerminalResult = { ok: true; terminal: Terminal } | { ok: false; error: string };

export class LearnerSession {
  /** Names the sandbox; new for every session, so a reaped learner's next sandbox is a new one. */
  readonly id = `s${randomBytes(5).toString('hex')}`;
  lastActivity: number;
  /** The sandbox once it is ready (for telling a newly connected page). */
  ready: Sandbox | null = null;
  private sandboxPromise: Promise<Sandbox> | null = null;
  /** The sandbox's features, asked once per sandbox: every lab:open wants them. */
  private featuresPromise: Promise<KernelFeatures> | null = null;
  private readonly terminals = new Map<string, Terminal>();
  private shellsOpened = 0;
  private disposed = false;

  constructor(
    readonly learnerId: string,
    private readonly driver: Driver,
    private readonly events: SandboxEvents,
    now: number,
  ) {
    this.lastActivity = now;
  }

  get hasSandbox(): boolean {
    return this.sandboxPromise !== null;
  }

  /**
   * The learner's sandbox, created on first call; concurrent callers share one creation. Rejects
   * with a SandboxError when the driver cannot make one (a later call tries again).
   */
  sandbox(): Promise<Sandbox> {
    if (this.disposed)
      return Promise.reject(new SandboxError('Your session has ended', `session ${this.id}`));
    if (!this.sandboxPromise) {
      this.events.starting();
      const creating = this.driver.create({ sessionId: this.id }).then(
        async (sandbox) => {
          if (this.disposed) {
            await sandbox.dispose();
            throw new SandboxError('Your session has ended', `session ${this.id} ended while starting`);
          }
          this.ready = sandbox;
          this.events.ready(sandbox);
          return sandbox;
        },
        (error: unknown) => {
          const failure =
            error instanceof SandboxError
              ? error
              : new SandboxError('Your sandbox could not start', String(error), { cause: error });
          if (this.sandboxPromise === creating) this.sandboxPromise = null;
          this.events.failed(failure);
          throw failure;
        },
      );
      this.sandboxPromise = creating;
    }
    return this.sandboxPromise;
  }

  /**
   * The kernel features of the learner's sandbox. Probing runs commands in the sandbox, so it is
   * done once per sandbox (a failed probe is tried again next time), not once per lab opened.
   */
  features(): Promise<KernelFeatures> {
    if (!this.featuresPromise) {
      const probing = this.sandbox().then((sandbox) => sandbox.features());
      probing.catch(() => {
        if (this.featuresPromise === probing) this.featuresPromise = null;
      });
      this.featuresPromise = probing;
    }
    return this.featuresPromise;
  }

  async openTerminal(size: TerminalSize): Promise<OpenTerminalResult> {
    if (this.terminals.size >= MAX_TERMINALS) {
      return { ok: false, error: `At most ${MAX_TERMINALS} terminals; close one first` };
    }
    const sandbox = await this.sandbox();
    if (this.disposed) return { ok: false, error: 'Your session has ended' };
    const id = `t-${randomBytes(8).toString('hex')}`;
    const terminal = new Terminal(id, `shell ${++this.shellsOpened}`, (s) => sandbox.openTerminal(s), size);
    this.terminals.set(id, terminal);
    return { ok: true, terminal };
  }

  terminal(id: string): Terminal | undefined {
    return this.terminals.get(id);
  }

  listTerminals(): Terminal[] {
    return [...this.terminals.values()];
  }

  closeTerminal(id: string): boolean {
    const terminal = this.terminals.get(id);
    if (!terminal) return false;
    this.terminals.delete(id);
    terminal.close();
    return true;
  }

  /** Kill every shell and remove the sandbox. Idempotent; never throws. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    this.ready = null;
    for (const terminal of this.terminals.values()) terminal.close();
    this.terminals.clear();
    const sandbox = await this.sandboxPromise?.catch(() => null);
    await sandbox?.dispose().catch((error: unknown) => {
      console.error(`bpflab: disposing sandbox ${sandbox.name} of session ${this.id} failed:`, error);
    });
  }
}
