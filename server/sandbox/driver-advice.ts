/**
 * For the operator of a server whose sandboxes lack what a lab needs: which driver would run the
 * lab. The learner is told only that their sandbox cannot run it (kernel-features.ts); this is the
 * sentence the lab's "For the operator" detail adds to the probe's reasons.
 */
import { featureName, type KernelFeature } from '../protocol/kernel-features.js';
import type { DriverName } from './types.js';

/**
 * What the vm driver's guest lacks: it is Debian 12 with its stock 6.1 kernel, kernel headers and
 * BCC (lima/provision/), where the learner is root, so it offers every feature but the hardware
 * counters, which QEMU's emulation and most VMs do not expose.
 */
const VM_GUEST_LACKS: readonly KernelFeature[] = ['hardware_pmu'];

/**
 * "This server runs the local driver, …; the vm driver runs this lab: …", or null when no other
 * driver is known to offer every missing feature. Only the local driver, on the host's own kernel
 * and software, has somewhere better to send a lab: a vm or lima sandbox that lacks a feature has
 * a broken image, which the probe's reasons describe.
 */
export function driverThatRuns(current: DriverName, missing: readonly KernelFeature[]): string | null {
  if (current !== 'local' || missing.length === 0) return null;
  if (missing.some((f) => VM_GUEST_LACKS.includes(f))) return null;
  const needs = missing.map(featureName).join(', ');
  return (
    'This server runs the local driver, whose sandboxes share the host’s kernel and software. ' +
    `The vm driver runs this lab: start bpflab with BPFLAB_DRIVER=vm and each learner gets a VM with Debian 12’s own kernel, which offers ${needs} ` +
    '(server/sandbox/README.md).'
  );
}
