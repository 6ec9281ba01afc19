/**
 * The kernel-feature vocabulary: what a sandbox's kernel and toolchain can do, each feature's
 * name for people, and what a lab or lesson lacks. Probed once per kernel build, shown to the
 * learner, matched against each lab's and lesson's `requires` list. Both sides of the socket
 * import it, so it holds names and pure functions only.
 */
import { z } from 'zod';

export const KERNEL_FEATURES = [
  'btf',
  'kprobe',
  'fentry',
  'tracepoint',
  'raw_tracepoint',
  'uprobe',
  'tc',
  'xdp',
  'ringbuf',
  'perf_event',
  'hardware_pmu',
  'kernel_headers',
  'bcc',
  'bpf_inspect',
] as const;

export const KernelFeature = z.enum(KERNEL_FEATURES);
export type KernelFeature = z.infer<typeof KernelFeature>;

export const KernelFeatures = z.object({
  kernelRelease: z.string().describe('`uname -r` inside the sandbox'),
  /** Identifies the kernel build (release + build string); the cache key for vmlinux.h. */
  kernelBuild: z.string(),
  arch: z.string().describe('`uname -m` inside the sandbox'),
  clang: z.string().nullable().describe('clang version, or null when missing'),
  bpftool: z.string().nullable().describe('bpftool version, or null when missing'),
  available: z.record(KernelFeature, z.boolean()),
  /** Why a feature is missing, in words a learner can act on. */
  reasons: z.partialRecord(KernelFeature, z.string()),
});
export type KernelFeatures = z.infer<typeof KernelFeatures>;

/** Each feature in the words a learner knows it by. */
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

/** The features in `needed` that `have` lacks, each with the reason it is missing. */
export function missingFeatures(
  needed: readonly KernelFeature[],
  have: KernelFeatures,
): { feature: KernelFeature; reason: string }[] {
  return needed
    .filter((f) => !have.available[f])
    .map((f) => ({ feature: f, reason: have.reasons[f] ?? `${f} is not available on this kernel` }));
}
