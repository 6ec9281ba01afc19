/**
 * The local driver shares one kernel among all its learners, and a BPF tracing program can read
 * that kernel's memory (the server's secrets included), so it serves one learner on this machine
 * only, unless the operator opts in, loudly. See docs/security.md.
 */
import { type Config, isLoopback } from '../config.js';
import type { DriverName } from './types.js';

export class UnsafeToServeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnsafeToServeError';
  }
}

/** What a second learner is told, on the page and on the socket. */
export const ONE_LEARNER_MESSAGE =
  'This bpflab server already has its learner. Its sandboxes share this machine’s kernel, where one ' +
  'learner’s BPF programs can observe another’s, so it serves one learner only. To teach a class, ' +
  'the operator runs it with BPFLAB_DRIVER=vm (a virtual machine, and a kernel, per learner), or ' +
  'opts in to sharing the kernel with BPFLAB_ALLOW_SHARED_KERNEL=1.';

/** True when the driver serves one learner identity only (see identity/sole-learner.ts). */
export function servesOneLearner(config: Config, driver: DriverName): boolean {
  return driver === 'local' && !config.BPFLAB_ALLOW_SHARED_KERNEL;
}

/**
 * Where browsers beyond this machine would reach the server: a non-loopback `HOST`, or a
 * non-loopback `BPFLAB_ORIGIN` (a reverse proxy in front of a server that listens on loopback).
 */
export function publicAddress(config: Config): string | null {
  if (!isLoopback(config.HOST)) return config.HOST;
  if (config.BPFLAB_ORIGIN === undefined) return null;
  const origin = new URL(config.BPFLAB_ORIGIN);
  return isLoopback(origin.hostname.replace(/^\[(.*)\]$/, '$1')) ? null : origin.origin;
}

/**
 * Throws when the local driver would be reachable from other machines (see publicAddress) without
 * BPFLAB_ALLOW_SHARED_KERNEL=1; with it, warns. Call before the server listens.
 */
export function assertSafeToServe(config: Config, driver: DriverName): void {
  if (driver !== 'local') return;
  const reachableAt = publicAddress(config);
  if (!config.BPFLAB_ALLOW_SHARED_KERNEL) {
    if (reachableAt === null) return;
    throw new UnsafeToServeError(
      `bpflab: refusing to serve the local driver at ${reachableAt}: learners there would load BPF ` +
        "programs into this machine's kernel, where tracing programs see everything. Use " +
        'BPFLAB_DRIVER=vm (one VM per learner), serve 127.0.0.1 only, or set ' +
        'BPFLAB_ALLOW_SHARED_KERNEL=1 if every learner is trusted. See docs/security.md.',
    );
  }
  console.warn(
    `bpflab: WARNING: BPFLAB_ALLOW_SHARED_KERNEL=1: serving local sandboxes to any number of learners${
      reachableAt === null ? '' : ` at ${reachableAt}`
    }; everyone who can reach this server shares, and can observe, this machine's kernel.`,
  );
}
