/**
 * What a lab says when the learner's sandbox lacks a kernel feature it needs, split by reader:
 * the learner's sentence names the features the way learners know them and that their sandbox
 * lacks them (kernel-features.ts); the operator's detail keeps the probe's reason for each, which
 * may say what to install, and which driver would run the lab.
 */
import { cannotRunSentence, featureName, type KernelFeature } from '@/server/protocol/kernel-features';

export interface UnavailableLab {
  /** "This lab cannot run in your sandbox: it needs kprobes, which this sandbox's kernel does not offer." */
  learner: string;
  /** One line per missing feature with its reason, then the driver that would run the lab. */
  operator: string[];
}

/** "kprobes: <the probe's reason>." — for the operator: it may say what to install. */
export function reasonLine({ feature, reason }: { feature: KernelFeature; reason: string }): string {
  return `${featureName(feature)}: ${reason.replace(/\.?\s*$/, '.')}`;
}

/** null when nothing is missing: the lab runs here. */
export function explainUnavailable(
  missing: readonly { feature: KernelFeature; reason: string }[],
  otherDriver: string | null,
): UnavailableLab | null {
  if (missing.length === 0) return null;
  return {
    learner: cannotRunSentence(missing.map((m) => m.feature)),
    operator: [...missing.map(reasonLine), ...(otherDriver === null ? [] : [otherDriver])],
  };
}
