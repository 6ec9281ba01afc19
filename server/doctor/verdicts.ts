/**
 * What `npx bpflab doctor` concludes from the facts it gathered about this host (host-facts.ts):
 * one line per check, ok / warn / fail, and for anything not ok exactly what to run or install.
 * A fail means the server cannot serve or grade here; a warn, that a driver or the tests cannot.
 * Pure, so every decision is unit-tested.
 */
import { KERNEL_FEATURES, type KernelFeature } from '../protocol/kernel-features.js';

export type Level = 'ok' | 'warn' | 'fail';

export interface Verdict {
  check: string;
  level: Level;
  detail: string;
  /** What to do about it, when it is not ok. */
  fix?: string;
}

export interface DoctorFacts {
  /** `bpflab-runner probe`, or why it could not run. */
  probe:
    | { available: Partial<Record<KernelFeature, boolean>>; reasons: Partial<Record<KernelFeature, string>> }
    | { error: string };
  clang: string | null;
  bpftool: string | null;
  libbpfHeader: boolean;
  tracefs: 'mounted' | 'mountable' | 'absent';
  cgroups: { version: 1 | 2; controllers: string[] } | null;
  /** Effective capabilities of this process, by name (cap_bpf, cap_sys_admin, …). */
  capabilities: string[];
  chromium: string | null;
  qemu: string | null;
  kvm: 'usable' | 'no-access' | 'absent';
  limactl: string | null;
}

/** Features every lab needs; without one of them the local driver cannot grade at all. */
const ESSENTIAL: KernelFeature[] = ['btf', 'tracepoint', 'ringbuf'];
const CGROUP_CONTROLLERS = ['pids', 'memory', 'cpu'];
const LOCAL_CAPABILITIES = ['cap_sys_admin', 'cap_bpf', 'cap_perfmon', 'cap_net_admin'];

const tool = (check: string, found: string | null, fix: string, level: Level = 'fail'): Verdict =>
  found ? { check, level: 'ok', detail: found } : { check, level, detail: 'not found', fix };

export function verdicts(facts: DoctorFacts): Verdict[] {
  return [
    ...kernel(facts.probe),
    tool('clang', facts.clang, 'apt-get install clang llvm'),
    tool(
      'bpftool',
      facts.bpftool,
      'apt-get install bpftool (Ubuntu: linux-tools-common linux-tools-$(uname -r))',
    ),
    facts.libbpfHeader
      ? { check: 'libbpf', level: 'ok', detail: '/usr/include/bpf/libbpf.h' }
      : {
          check: 'libbpf',
          level: 'fail',
          detail: 'headers not found',
          fix: 'apt-get install libbpf-dev libelf-dev zlib1g-dev',
        },
    tracefs(facts.tracefs),
    cgroups(facts.cgroups),
    capabilities(facts.capabilities),
    tool(
      'chromium (tests)',
      facts.chromium,
      'apt-get install chromium, or set BPFLAB_CHROMIUM to a Chromium binary (needed by make test-e2e only)',
      'warn',
    ),
    tool(
      'qemu (vm driver)',
      facts.qemu,
      'apt-get install qemu-system-x86 (needed by BPFLAB_DRIVER=vm only)',
      'warn',
    ),
    kvm(facts.kvm),
    tool(
      'limactl (lima driver)',
      facts.limactl,
      'install Lima from its release packages and put limactl on PATH (needed by BPFLAB_DRIVER=lima only)',
      'warn',
    ),
  ];
}

function kernel(probe: DoctorFacts['probe']): Verdict[] {
  if ('error' in probe) {
    return [
      {
        check: 'kernel features',
        level: 'fail',
        detail: probe.error,
        fix: 'make -C bpf (builds bpf/build/bin/bpflab-runner), then run doctor as root',
      },
    ];
  }
  return KERNEL_FEATURES.map((feature): Verdict => {
    if (probe.available[feature]) return { check: `kernel: ${feature}`, level: 'ok', detail: 'available' };
    return {
      check: `kernel: ${feature}`,
      level: ESSENTIAL.includes(feature) ? 'fail' : 'warn',
      detail: probe.reasons[feature] ?? 'not available',
      fix: ESSENTIAL.includes(feature)
        ? 'use a kernel built with CONFIG_DEBUG_INFO_BTF=y and CONFIG_BPF_SYSCALL=y (Debian 12 / Ubuntu 24.04 kernels are), or BPFLAB_DRIVER=vm'
        : 'labs that need it are skipped on this kernel; a newer kernel or BPFLAB_DRIVER=vm has it',
    };
  });
}

function tracefs(state: DoctorFacts['tracefs']): Verdict {
  if (state === 'mounted') return { check: 'tracefs', level: 'ok', detail: 'mounted' };
  if (state === 'mountable') {
    return {
      check: 'tracefs',
      level: 'warn',
      detail: 'not mounted (the server mounts it when grading)',
      fix: 'mount -t tracefs tracefs /sys/kernel/tracing',
    };
  }
  return {
    check: 'tracefs',
    level: 'fail',
    detail: '/sys/kernel/tracing does not exist',
    fix: 'use a kernel with CONFIG_TRACING=y; labs with bpf_printk checks cannot be graded',
  };
}

function cgroups(found: DoctorFacts['cgroups']): Verdict {
  if (!found) {
    return {
      check: 'cgroups',
      level: 'fail',
      detail: 'no cgroup filesystem at /sys/fs/cgroup',
      fix: 'mount -t cgroup2 none /sys/fs/cgroup',
    };
  }
  const missing = CGROUP_CONTROLLERS.filter((c) => !found.controllers.includes(c));
  const detail = `v${found.version}, controllers: ${found.controllers.join(' ') || 'none'}`;
  if (missing.length === 0)
    return {
      check: 'cgroups',
      level: found.version === 2 ? 'ok' : 'warn',
      detail,
      ...(found.version === 2 ? {} : { fix: 'boot with systemd.unified_cgroup_hierarchy=1 for cgroup v2' }),
    };
  return {
    check: 'cgroups',
    level: 'warn',
    detail: `${detail}; missing ${missing.join(', ')}: sandboxes are not limited by them (no pids: a fork bomb can exhaust the host)`,
    fix: `echo "${missing.map((c) => `+${c}`).join(' ')}" > /sys/fs/cgroup/cgroup.subtree_control`,
  };
}

function capabilities(have: string[]): Verdict {
  const missing = LOCAL_CAPABILITIES.filter((c) => !have.includes(c));
  if (missing.length === 0)
    return { check: 'capabilities', level: 'ok', detail: LOCAL_CAPABILITIES.join(' ') };
  return {
    check: 'capabilities',
    level: 'fail',
    detail: `missing ${missing.join(', ')}: the local driver cannot create sandboxes or load BPF`,
    fix: 'run the server (and doctor) as root, or use BPFLAB_DRIVER=vm',
  };
}

function kvm(state: DoctorFacts['kvm']): Verdict {
  if (state === 'usable') return { check: 'kvm (vm driver)', level: 'ok', detail: '/dev/kvm usable' };
  if (state === 'no-access') {
    return {
      check: 'kvm (vm driver)',
      level: 'warn',
      detail: '/dev/kvm exists but this user cannot open it',
      fix: 'run as root, or add the user to the kvm group',
    };
  }
  return {
    check: 'kvm (vm driver)',
    level: 'warn',
    detail: 'no /dev/kvm: VMs would run emulated, far too slow for learners',
    fix: 'enable virtualization in the firmware (or nested virtualization) and modprobe kvm_intel or kvm_amd',
  };
}

/** Exit status: 1 when any check failed. */
export function exitCode(all: Verdict[]): number {
  return all.some((v) => v.level === 'fail') ? 1 : 0;
}

export function formatVerdict(v: Verdict): string {
  const line = `${v.level.padEnd(4)}  ${v.check}: ${v.detail}`;
  return v.fix ? `${line}\n      fix: ${v.fix}` : line;
}
