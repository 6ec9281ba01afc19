/**
 * Kernel features in the words a learner knows them by, and the sentence that replaces the Check
 * button when the sandbox lacks what a lab needs.
 */
import type { KernelFeature } from '@/server/protocol/kernel-features';

const FEATURE_NAMES: Record<KernelFeature, string> = {
  btf: 'BTF type information',
  kprobe: 'kprobes',
  fentry: 'fentry/fexit',
  tracepoint: 'tracepoints',
  raw_tracepoint: 'raw tracepoints',
  uprobe: 'uprobes',
  tc: 'tc programs',
  xdp: 'XDP',
  ringbuf: 'BPF ring buffers',
  perf_event: 'perf events',
  hardware_pmu: 'hardware performance counters',
  kernel_headers: 'kernel headers',
  bcc: 'BCC',
  bpf_inspect: 'bpftool access to loaded programs and their BTF',
};

export function featureName(feature: KernelFeature): string {
  return FEATURE_NAMES[feature];
}

/** "This lab needs kprobes, which this kernel does not offer: <reason>" (one sentence per need). */
export function missingFeatureSentences(
  missing: readonly { feature: KernelFeature; reason: string }[],
): string[] {
  return missing.map(
    ({ feature, reason }) =>
      `This lab needs ${featureName(feature)}, which this kernel does not offer: ${reason.replace(/\.?\s*$/, '.')}`,
  );
}
