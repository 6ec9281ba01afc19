/**
 * Every learner's session, keyed by the learner id from their verified cookie. A session is cheap
 * until something needs the sandbox; it is reaped, sandbox and shells included, once nobody has
 * typed, acted or sent a presence ping for `idleTimeoutMs`. An open but unattended page does not
 * keep a sandbox (a VM, with Lima) alive: presence pings come only while a person uses the page.
 * The learner's home outlives each sandbox in the home vault.
 */
import type { KernelFeatures } from '../protocol/kernel-features.js';
import { readyState, type SandboxState } from '../protocol/session.js';
import type { Driver, DriverName, Sandbox } from '../sandbox/types.js';
import type { HomeVault } from './home-vault.js';
import { LearnerSession } from './learner-session.js';

export interface SessionsOptions {
  driver: Driver;
  homes: HomeVault;
  idleTimeoutMs: number;
  /** Tells the learner's open pages what their sandbox is doing. */
  announce(learnerId: string, state: SandboxState): void;
  now?: () => number;
}

export class Sessions {
  private readonly sessions = new Map<string, LearnerSession>();
  private readonly now: () => number;
  private reaper: NodeJS.Timeout | null = null;
  private closed = false;
  /** The features of the sandbox probed last, of any learner. */
  private lastProbed: KernelFeatures | null = null;

  constructor(private readonly options: SessionsOptions) {
    this.now = options.now ?? Date.now;
  }

  /** Check for idle sessions every so often (a quarter of the timeout, at most once a minute). */
  start(): void {
    const every = Math.min(60_000, Math.max(250, Math.floor(this.options.idleTimeoutMs / 4)));
    this.reaper = setInterval(() => void this.reapIdle(), every);
    this.reaper.unref();
  }

  /** The learner's session, made on first use. Counts as activity. */
  session(learnerId: string): LearnerSession {
    if (this.closed) throw new Error('sessions are closed (the server is shutting down)');
    let session = this.sessions.get(learnerId);
    if (!session) {
      session = new LearnerSession(
        learnerId,
        this.options.driver,
        this.options.homes,
        {
          starting: () => this.options.announce(learnerId, { state: 'starting' }),
          ready: (sandbox, replaced) => this.options.announce(learnerId, readyState(sandbox, replaced)),
          probed: (features) => {
            this.lastProbed = features;
          },
          failed: (error) => {
            console.error(`bpflab: sandbox for session of ${learnerId} failed: ${error.operatorDetail}`);
            this.options.announce(learnerId, { state: 'failed', message: error.learnerMessage });
          },
        },
        this.now(),
      );
      this.sessions.set(learnerId, session);
    }
    session.lastActivity = this.now();
    return session;
  }

  /** The learner's session if they have one; does not count as activity. */
  existing(learnerId: string): LearnerSession | undefined {
    return this.sessions.get(learnerId);
  }

  /** The learner's sandbox, started if needed (for the grader). Rejects with a SandboxError. */
  sandboxFor(learnerId: string): Promise<Sandbox> {
    return this.session(learnerId).sandbox();
  }

  /** The kernel features of the learner's sandbox (started if needed), probed once per sandbox. */
  featuresFor(learnerId: string): Promise<KernelFeatures> {
    return this.session(learnerId).features();
  }

  /** The driver every learner's sandbox comes from. */
  get driverName(): DriverName {
    return this.options.driver.name;
  }

  /**
   * What the learner's sandboxes offer, as far as this server knows without starting or probing
   * anything: their own sandbox's features once probed; otherwise those of the sandbox probed last,
   * since every sandbox of one driver runs the same kernel and tools (one host kernel, or one VM
   * image); null while nothing has been probed since the server started.
   */
  knownFeatures(learnerId: string): KernelFeatures | null {
    return this.sessions.get(learnerId)?.probedFeatures ?? this.lastProbed;
  }

  /** The learner did something (typed, acted, is on the page). */
  touch(learnerId: string): void {
    const session = this.sessions.get(learnerId);
    if (session) session.lastActivity = this.now();
  }

  /** Dispose sessions idle for the timeout; returns the learner ids reaped. */
  async reapIdle(): Promise<string[]> {
    const cutoff = this.now() - this.options.idleTimeoutMs;
    const idle = [...this.sessions.values()].filter((s) => s.lastActivity <= cutoff);
    await Promise.all(idle.map((s) => this.end(s)));
    return idle.map((s) => s.learnerId);
  }

  /** Dispose everything, keeping each learner's home (server shutdown). */
  async close(): Promise<void> {
    this.closed = true;
    if (this.reaper) clearInterval(this.reaper);
    const all = [...this.sessions.values()];
    this.sessions.clear();
    await Promise.all(all.map((s) => s.dispose('server-restart')));
  }

  private async end(session: LearnerSession): Promise<void> {
    if (this.sessions.get(session.learnerId) !== session) return;
    this.sessions.delete(session.learnerId);
    const hadSandbox = session.hasSandbox;
    await session.dispose('idle');
    if (hadSandbox) {
      const minutes = Math.round(this.options.idleTimeoutMs / 60_000);
      const idle = minutes >= 1 ? `${minutes} minute${minutes === 1 ? '' : 's'}` : 'a while';
      this.options.announce(session.learnerId, {
        state: 'reaped',
        message: `Your sandbox was stopped after ${idle} without activity. Open a terminal to start a new one.`,
      });
    }
  }
}
