import { afterEach, describe, expect, it, vi } from 'vitest';
import { AccelChoice, KVM_PROOF_MS, TCG_SLOWDOWN } from './accel.js';

describe('AccelChoice', () => {
  afterEach(() => vi.restoreAllMocks());

  it('emulates, with a warning, when /dev/kvm cannot be opened', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const choice = new AccelChoice('auto', '/nonexistent/kvm');
    expect(await choice.accel()).toBe('tcg');
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/not usable.*emulation/));
    expect(choice.slowdown('tcg')).toBe(TCG_SLOWDOWN);
  });

  it('gives unproven KVM a short time, and moves to emulation for good when it hangs', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const choice = new AccelChoice('kvm');
    expect(await choice.accel()).toBe('kvm');
    expect(choice.bootLimitMs('kvm', 600_000)).toBe(KVM_PROOF_MS);
    expect(choice.kvmHung()).toBe(true);
    expect(await choice.accel()).toBe('tcg');
    expect(choice.kvmHung()).toBe(false);
    expect(warn).toHaveBeenCalledTimes(1);
  });

  it('trusts KVM once a VM came up under it: a slow boot is then only slow', async () => {
    const choice = new AccelChoice('kvm');
    await choice.accel();
    choice.booted('kvm');
    expect(choice.bootLimitMs('kvm', 600_000)).toBe(600_000);
    expect(choice.kvmHung()).toBe(false);
    expect(choice.slowdown('kvm')).toBe(1);
  });
});
