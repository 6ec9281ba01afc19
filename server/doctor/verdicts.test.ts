import { describe, expect, it } from 'vitest';
import { KERNEL_FEATURES } from '../protocol/kernel-features.js';
import { type DoctorFacts, exitCode, formatVerdict, verdicts } from './verdicts.js';

const healthy: DoctorFacts = {
  probe: { available: Object.fromEntries(KERNEL_FEATURES.map((f) => [f, true])), reasons: {} },
  clang: 'Debian clang version 14.0.6',
  bpftool: 'bpftool v7.1.0',
  libbpfHeader: true,
  tracefs: 'mounted',
  cgroups: { version: 2, controllers: ['cpuset', 'cpu', 'io', 'memory', 'pids'] },
  capabilities: ['cap_net_admin', 'cap_sys_admin', 'cap_perfmon', 'cap_bpf'],
  chromium: '/usr/bin/chromium',
  qemu: 'QEMU emulator version 7.2.0',
  kvm: 'usable',
  limactl: 'limactl version 1.0.0',
};

const find = (facts: DoctorFacts, check: string) => verdicts(facts).find((v) => v.check === check)!;

describe('bpflab doctor verdicts', () => {
  it('passes a healthy host with every line ok and exit 0', () => {
    const all = verdicts(healthy);
    expect(all.every((v) => v.level === 'ok')).toBe(true);
    expect(exitCode(all)).toBe(0);
  });

  it('fails on a missing toolchain piece and names the package', () => {
    const facts = { ...healthy, clang: null, libbpfHeader: false };
    expect(find(facts, 'clang')).toMatchObject({
      level: 'fail',
      fix: expect.stringContaining('apt-get install clang'),
    });
    expect(find(facts, 'libbpf')).toMatchObject({
      level: 'fail',
      fix: expect.stringContaining('libbpf-dev'),
    });
    expect(exitCode(verdicts(facts))).toBe(1);
  });

  it('fails without an essential kernel feature, only warns for an optional one', () => {
    const probe = {
      available: { ...Object.fromEntries(KERNEL_FEATURES.map((f) => [f, true])), btf: false, fentry: false },
      reasons: { btf: 'no /sys/kernel/btf/vmlinux' },
    };
    const facts = { ...healthy, probe };
    expect(find(facts, 'kernel: btf')).toMatchObject({ level: 'fail', detail: 'no /sys/kernel/btf/vmlinux' });
    expect(find(facts, 'kernel: fentry')).toMatchObject({ level: 'warn' });
    expect(find({ ...healthy, probe: { error: 'runner is not built' } }, 'kernel features')).toMatchObject({
      level: 'fail',
      fix: expect.stringContaining('make -C bpf'),
    });
  });

  it('says how to mount tracefs and enable missing cgroup controllers', () => {
    expect(find({ ...healthy, tracefs: 'mountable' }, 'tracefs')).toMatchObject({
      level: 'warn',
      fix: 'mount -t tracefs tracefs /sys/kernel/tracing',
    });
    expect(find({ ...healthy, cgroups: { version: 2, controllers: ['memory'] } }, 'cgroups')).toMatchObject({
      level: 'warn',
      fix: 'echo "+pids +cpu" > /sys/fs/cgroup/cgroup.subtree_control',
    });
  });

  it('fails without root capabilities, and only warns for what tests and other drivers need', () => {
    const facts = {
      ...healthy,
      capabilities: [],
      chromium: null,
      qemu: null,
      kvm: 'absent' as const,
      limactl: null,
    };
    const all = verdicts(facts);
    expect(all.filter((v) => v.level === 'fail').map((v) => v.check)).toEqual(['capabilities']);
    expect(find(facts, 'chromium (tests)').fix).toContain('BPFLAB_CHROMIUM');
    expect(find(facts, 'kvm (vm driver)').fix).toContain('modprobe kvm_intel');
    expect(formatVerdict(find(facts, 'qemu (vm driver)'))).toBe(
      'warn  qemu (vm driver): not found\n      fix: apt-get install qemu-system-x86 (needed by BPFLAB_DRIVER=vm only)',
    );
  });
});
