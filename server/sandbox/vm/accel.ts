/**
 * KVM or software emulation (TCG). KVM when /dev/kvm opens read-write; but a nested hypervisor can
 * offer a /dev/kvm whose guests never come up, so the first VM under KVM has a bounded time to
 * answer, and when it does not, the driver moves to emulation for good, saying so once.
 */
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import type { Accel } from './qemu.js';

/** How long a VM under KVM may take to answer before KVM counts as broken on this host. */
export const KVM_PROOF_MS = 90_000;

/**
 * Emulation runs guest code several times slower than the host: every time limit inside a VM under
 * TCG is multiplied by this, so that a correct solution never fails for speed.
 */
export const TCG_SLOWDOWN = 6;

export type AccelSetting = 'auto' | Accel;

export class AccelChoice {
  private current: Promise<Accel> | Accel;
  /** Set once a VM has come up under KVM: from then on a slow KVM boot is just slow. */
  private proven = false;

  constructor(setting: AccelSetting, kvmDevice = '/dev/kvm') {
    this.current =
      setting === 'auto'
        ? access(kvmDevice, constants.R_OK | constants.W_OK).then(
            () => 'kvm' as const,
            () => {
              console.warn(
                `bpflab: ${kvmDevice} is not usable; learner VMs run under software emulation (slower)`,
              );
              return 'tcg' as const;
            },
          )
        : setting;
  }

  async accel(): Promise<Accel> {
    this.current = await this.current;
    return this.current;
  }

  /** The time a boot under `accel` gets before it counts as hung. */
  bootLimitMs(accel: Accel, configuredMs: number): number {
    return accel === 'kvm' && !this.proven ? Math.min(KVM_PROOF_MS, configuredMs) : configuredMs;
  }

  booted(accel: Accel): void {
    if (accel === 'kvm') this.proven = true;
  }

  /** A VM under unproven KVM did not come up in time: emulate from now on. True if we switched. */
  kvmHung(): boolean {
    if (this.proven || this.current !== 'kvm') return false;
    console.warn(
      'bpflab: a VM under KVM did not come up in time (nested KVM?); using software emulation from now on',
    );
    this.current = 'tcg';
    return true;
  }

  slowdown(accel: Accel): number {
    return accel === 'tcg' ? TCG_SLOWDOWN : 1;
  }
}
