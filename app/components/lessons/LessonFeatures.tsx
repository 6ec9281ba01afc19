/**
 * The kernel features a lesson and its labs need, in the words learners know them by, each marked
 * once the learner's sandbox has answered whether it offers it. A lab that needs a feature marked
 * "not in your sandbox" says at its top that it cannot run there.
 */
'use client';

import { useSandboxFeatures } from '@/app/components/features/useSandboxFeatures';
import { featureName, type KernelFeature } from '@/server/protocol/kernel-features';
import styles from './lesson-features.module.css';

export interface LessonFeaturesProps {
  features: readonly KernelFeature[];
  /** Ask the sandbox: only for a lesson with labs, which start the sandbox anyway. */
  probe: boolean;
}

export function LessonFeatures({ features, probe }: LessonFeaturesProps) {
  const { features: sandbox } = useSandboxFeatures(probe);
  return (
    <ul className={styles.list} aria-label="Kernel features">
      {features.map((feature) => {
        const lacking = sandbox !== null && !sandbox.available[feature];
        return (
          <li key={feature} className={lacking ? `${styles.feature} ${styles.lacking}` : styles.feature}>
            {featureName(feature)}
            {lacking && <span className={styles.mark}> (not in your sandbox)</span>}
          </li>
        );
      })}
    </ul>
  );
}
