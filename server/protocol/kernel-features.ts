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

/**
 * The features a sandbox has beside its kernel: its software (kernel headers, BCC) and what it
 * may do (bpftool's inspection). Every other feature is the kernel's own.
 */
export const SANDBOX_SOFTWARE_FEATURES: readonly KernelFeature[] = ['kernel_headers', 'bcc', 'bpf_inspect'];

/**
 * The kernel features a lab needs, as `requires:` in its `labs/<id>/lab.yaml`. The lab loader's
 * manifest schema takes the field from here; lesson pages read just this part of a manifest.
 */
export const LabRequires = z
  .array(KernelFeature)
  .default([])
  .describe('Kernel features the lab cannot run without.');

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

/**
 * What a learner reads when their sandbox cannot run a lab: which features it needs, in their
 * names, and that the sandbox lacks them; never how to install them (that is the operator's, in
 * the probe's reasons). "This lab cannot run in your sandbox: it needs kprobes, which this
 * sandbox's kernel does not offer."
 */
export function cannotRunSentence(missing: readonly KernelFeature[]): string {
  const names = missing.map(featureName);
  const listed = names.length < 2 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
  const kernelOnly = missing.every((f) => !SANDBOX_SOFTWARE_FEATURES.includes(f));
  return `This lab cannot run in your sandbox: it needs ${listed}, which this sandbox${kernelOnly ? "'s kernel" : ''} does not offer.`;
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
