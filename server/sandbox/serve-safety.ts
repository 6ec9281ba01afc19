/**
 * The local driver shares one kernel among all its learners, and every learner is root on it,
 * so it serves this machine only unless the operator opts in, loudly.
 */
import { type Config, isLoopback } from '../config.js';
import type { DriverName } from './types.js';

export class UnsafeToServeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnsafeToServeError';
  }
}

/**
 * Throws when `config.HOST` would let other machines reach sandboxes of a driver that shares the
 * host kernel, unless BPFLAB_ALLOW_SHARED_KERNEL=1. Call before the server listens.
 */
export function assertSafeToServe(config: Config, driver: DriverName): void {
  if (driver !== 'local' || isLoopback(config.HOST)) return;
  if (!config.BPFLAB_ALLOW_SHARED_KERNEL) {
    throw new UnsafeToServeError(
      `bpflab: refusing to listen on ${config.HOST} with the local driver: every learner would be root on ` +
        "this machine's kernel, and tracing programs see everything on it. Listen on 127.0.0.1, use " +
        'BPFLAB_DRIVER=lima, or set BPFLAB_ALLOW_SHARED_KERNEL=1 if every learner is trusted.',
    );
  }
  console.warn(
    `bpflab: WARNING: serving local sandboxes on ${config.HOST} (BPFLAB_ALLOW_SHARED_KERNEL=1): ` +
      "everyone who can reach this port shares, and can observe, this machine's kernel.",
  );
}
