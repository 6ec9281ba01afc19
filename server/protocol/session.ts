/**
 * Session events: the learner's sandbox as a whole. Presence pings are how an open page says a
 * person is there; a connected socket alone does not keep a sandbox alive.
 */
import { z } from 'zod';
import { notice, request } from './contract.js';
import type { KernelFeatures } from './kernel-features.js';

export type { KernelFeatures } from './kernel-features.js';

/** A page sends `session:presence` at most this often while someone uses it. */
export const PRESENCE_INTERVAL_MS = 30_000;

export type SandboxState =
  /** The sandbox is being created (a Lima VM may take a while). */
  | { state: 'starting' }
  /**
   * `slowdown`: how many times slower than a native machine the sandbox runs commands (1 on a
   * native kernel; more for a VM under software emulation), so pages can wait that much longer.
   * `replaced`: set when this sandbox replaced one the learner had before (a server restart, an
   * idle reap, a crash): two plain-text lines saying why, what was kept and what was lost, also
   * printed once in its first terminal.
   */
  | { state: 'ready'; name: string; driver: string; slowdown: number; replaced?: string }
  /** Creation failed; `message` is for the learner. A later action tries again. */
  | { state: 'failed'; message: string }
  /** The sandbox was stopped after the session was idle; the next action starts a new one. */
  | { state: 'reaped'; message: string };

/** `sandbox` is a server/sandbox `Sandbox`, described by shape: protocol/ imports no server folder. */
export function readyState(
  sandbox: { name: string; driver: string; slowdown?: number },
  replaced: string | null = null,
): SandboxState {
  const ready = {
    state: 'ready' as const,
    name: sandbox.name,
    driver: sandbox.driver,
    slowdown: sandbox.slowdown ?? 1,
  };
  return replaced === null ? ready : { ...ready, replaced };
}

/** The session events a page sends, each with its payload schema and the value of its ok reply. */
export const SESSION_EVENTS = {
  /** Someone is using the page (typed, clicked, scrolled, or brought it to the front). */
  'session:presence': notice(z.undefined()),
  /** The sandbox's kernel features (starts the sandbox when there is none yet). */
  'session:features': request(z.undefined()).replies<KernelFeatures>(),
  /**
   * Clean the sandbox's kernel side, keeping the sandbox: stop the processes that hold BPF
   * objects, unpin everything, take programs off XDP, tc and cgroup hooks, delete added qdiscs.
   * Refused while a Check or Run of the learner's is in progress.
   */
  'session:clean-kernel': request(z.undefined()).replies<KernelCleanReport>(),
};

/** One thing `session:clean-kernel` removed, as a sentence for the learner. */
export interface RemovedFromKernel {
  kind: 'process' | 'pin' | 'xdp' | 'qdisc' | 'cgroup';
  text: string;
}

/** What `session:clean-kernel` did: each thing removed, and what it could not remove. */
export interface KernelCleanReport {
  removed: RemovedFromKernel[];
  problems: string[];
}

export interface SessionServerEvents {
  'session:sandbox': (p: SandboxState) => void;
  /**
   * A message of this page was refused and had no acknowledgement to carry the error: an unknown
   * event, one over the rate limit, an invalid payload, a terminal that does not exist. Also sent
   * once before the server closes a page that stopped reading its output.
   */
  'session:error': (p: { event: string; error: string }) => void;
}
