import { describe, expect, it } from 'vitest';
import { explainUnavailable } from './features';

// The reasons as the feature probe gives them on a host without kprobes, headers or BCC.
const KPROBE = {
  feature: 'kprobe' as const,
  reason:
    'attaching kprobe/vfs_read failed: No such file or directory; the kernel needs CONFIG_KPROBE_EVENTS=y',
};
const BCC = {
  feature: 'bcc' as const,
  reason: 'BCC is not installed (python3 cannot import bcc; install python3-bpfcc)',
};
const HEADERS = {
  feature: 'kernel_headers' as const,
  reason: 'No kernel headers at /lib/modules/6.18.44/build (install linux-headers-6.18.44)',
};
const VM = 'The vm driver runs this lab: start bpflab with BPFLAB_DRIVER=vm.';

describe('explainUnavailable', () => {
  it('is null when nothing is missing: the lab runs here', () => {
    expect(explainUnavailable([], VM)).toBeNull();
  });

  it('tells the learner which kernel feature the lab needs, in their words, and nothing to install', () => {
    const explained = explainUnavailable([KPROBE], VM);
    expect(explained?.learner).toBe(
      "This lab cannot run in your sandbox: it needs kprobes, which this sandbox's kernel does not offer.",
    );
  });

  it('keeps every reason, install commands included, and the driver that runs the lab for the operator', () => {
    const explained = explainUnavailable([BCC, KPROBE, HEADERS], VM);
    expect(explained?.learner).toBe(
      'This lab cannot run in your sandbox: it needs BCC, kprobes and kernel headers, which this sandbox does not offer.',
    );
    expect(explained?.learner).not.toMatch(/install|apt|python3|CONFIG_|BPFLAB_DRIVER/);
    expect(explained?.operator).toEqual([
      'BCC: BCC is not installed (python3 cannot import bcc; install python3-bpfcc).',
      'kprobes: attaching kprobe/vfs_read failed: No such file or directory; the kernel needs CONFIG_KPROBE_EVENTS=y.',
      'kernel headers: No kernel headers at /lib/modules/6.18.44/build (install linux-headers-6.18.44).',
      VM,
    ]);
  });

  it('gives the operator the reasons alone when no other driver is known to run the lab', () => {
    expect(explainUnavailable([{ feature: 'fentry', reason: 'no BPF trampoline.' }], null)?.operator).toEqual(
      ['fentry/fexit: no BPF trampoline.'],
    );
  });
});
