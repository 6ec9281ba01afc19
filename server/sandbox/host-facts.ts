/**
 * What the host offers a sandbox driver: the OS, and whether this process may load BPF
 * programs. Read once at start; `chooseDriver` is a pure function of it.
 */
import { readFileSync } from 'node:fs';
import type { DriverName } from './types.js';

const CAP_SYS_ADMIN = 21n;
const CAP_BPF = 39n;

export interface HostFacts {
  platform: NodeJS.Platform;
  /** CAP_BPF, or CAP_SYS_ADMIN (which also allows BPF, and on kernels before 5.8 is required). */
  canLoadBpf: boolean;
}

/** Parse the effective capabilities from `/proc/self/status`. */
export function canLoadBpf(procStatus: string): boolean {
  const hex = /^CapEff:\s*([0-9a-f]+)$/m.exec(procStatus)?.[1];
  if (!hex) return false;
  const caps = BigInt(`0x${hex}`);
  return ((caps >> CAP_BPF) & 1n) === 1n || ((caps >> CAP_SYS_ADMIN) & 1n) === 1n;
}

export function readHostFacts(): HostFacts {
  const platform = process.platform;
  if (platform !== 'linux') return { platform, canLoadBpf: false };
  return { platform, canLoadBpf: canLoadBpf(readFileSync('/proc/self/status', 'utf8')) };
}

/** BPFLAB_DRIVER when set; else local on Linux when this process may load BPF, else lima. */
export function chooseDriver(configured: DriverName | undefined, host: HostFacts): DriverName {
  if (configured) return configured;
  return host.platform === 'linux' && host.canLoadBpf ? 'local' : 'lima';
}
