/**
 * One learner's live state: their sandbox (created on first use, shared by all their tabs and
 * sockets) and their terminals. Terminal ids are random and looked up only in this session's
 * own map, so no id a client sends can reach another learner's shell. Their home directory moves
 * in before the sandbox counts as ready and out when it is disposed (home-vault.ts); when the
 * sandbox replaced an earlier one, its first terminal says so.
 */
import { randomBytes } from 'node:crypto';
import type { KernelFeatures } from '../protocol/kernel-features.js';
import { MAX_TERMINALS } from '../protocol/terminal.js';
import type { Driver, Sandbox } from '../sandbox/types.js';
import { SandboxError } from '../sandbox/types.js';
import { Terminal, type TerminalSize } from '../terminal/terminal.js';
import type { EndReason, HomeVault } from './home-vault.js';

export interface SandboxEvents {
  starting(): void;
  /** `replaced`: the notice for a learner who had a sandbox before, else null. */
  ready(sandbox: Sandbox, replaced: string | null): void;
  failed(error: SandboxError): void;
  /** The sandbox's kernel features were probed. */
  probed(features: KernelFeatures): void;
}

export type OpenTerminalResult = { ok: true; terminal: Terminal } | { ok: false; error: string };

export class LearnerSession {
  /** Names the sandbox; new for every session, so a reaped learner's next sandbox is a new one. */
  readonly id = `s${randomBytes(5).toString('hex')}`;
  lastActivity: number;
  /** The sandbox once it is ready (for telling a newly connected page). */
  ready: Sandbox | null = null;
  /** Why this sandbox is not the learner's first, what was kept and lost; null for a first one. */
  replacedNotice: string | null = null;
  /** The notice waits for the first terminal, and is printed there only. */
  private noticePrinted = false;
  /** Why the session ended, for the record of how its sandbox ended. */
  private endReason: EndReason = 'server-restart';
  private sandboxPromise: Promise<Sandbox> | null = null;
  /** The sandbox's features, asked once per sandbox: every lab:open wants them. */
  private featuresPromise: Promise<KernelFeatures> | null = null;
  /** The sandbox's features once probed, for those who may not wait for a probe (the progress API). */
  probedFeatures: KernelFeatures | null = null;
  private readonly terminals = new Map<string, Terminal>();
  private shellsOpened = 0;
  private disposed = false;

  constructor(
    readonly learnerId: string,
    private readonly driver: Driver,
    private readonly homes: HomeVault,
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
            throw this.endedWhileStarting();
          }
          this.replacedNotice = await this.homes.moveIn(this.learnerId, sandbox);
          if (this.disposed) {
            await this.homes.moveOut(this.learnerId, sandbox, this.endReason);
            throw this.endedWhileStarting();
          }
          this.ready = sandbox;
          this.events.ready(sandbox, this.replacedNotice);
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
      probing.then(
        (features) => {
          if (this.featuresPromise !== probing) return;
          this.probedFeatures = features;
          this.events.probed(features);
        },
        () => {
          if (this.featuresPromise === probing) this.featuresPromise = null;
        },
      );
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
    if (this.replacedNotice !== null && !this.noticePrinted) {
      this.noticePrinted = true;
      terminal.announce(terminalNotice(this.replacedNotice));
    }
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

  /**
   * Kill every shell and remove the sandbox, keeping the learner's home; `reason` is what their
   * next sandbox's notice will say. Idempotent; never throws.
   */
  async dispose(reason: EndReason): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    this.endReason = reason;
    this.ready = null;
    for (const terminal of this.terminals.values()) terminal.close();
    this.terminals.clear();
    // A sandbox still moving in is moved out by sandbox() itself once it sees `disposed`.
    const sandbox = await this.sandboxPromise?.catch(() => null);
    if (sandbox) await this.homes.moveOut(this.learnerId, sandbox, reason);
  }

  private endedWhileStarting(): SandboxError {
    return new SandboxError('Your session has ended', `session ${this.id} ended while starting`);
  }
}

/** The notice as terminal output: marked as the platform's, before the shell's first prompt. */
function terminalNotice(notice: string): string {
  const [first, ...rest] = notice.split('\n');
  return `\x1b[1;33m[bpflab]\x1b[0m ${first}\r\n${rest.map((line) => `        ${line}\r\n`).join('')}`;
}
