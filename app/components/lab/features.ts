/**
 * The sentence that replaces the Check button when the sandbox lacks what a lab needs. Feature
 * names come from the one vocabulary in server/protocol/kernel-features.ts.
 */
import { featureName, type KernelFeature } from '@/server/protocol/kernel-features';

/** "This lab needs kprobes, which this kernel does not offer: <reason>" (one sentence per need). */
export function missingFeatureSentences(
  missing: readonly { feature: KernelFeature; reason: string }[],
): string[] {
  return missing.map(
    ({ feature, reason }) =>
      `This lab needs ${featureName(feature)}, which this kernel does not offer: ${reason.replace(/\.?\s*$/, '.')}`,
  );
}
