/**
 * What the learner's sandbox kernel can do (BTF, kprobes, tracepoints, …) and its toolchain
 * versions, compactly; why anything is missing (which may say what to install) is folded under
 * "For the operator". Asking starts the sandbox when there is none yet, like opening a terminal does.
 */
'use client';

import { reasonLine } from '@/app/components/lab/features';
import { featureName, KERNEL_FEATURES, missingFeatures } from '@/server/protocol/kernel-features';
import styles from './features.module.css';
import { useSandboxFeatures } from './useSandboxFeatures';

export function FeaturePanel() {
  const { features, problem } = useSandboxFeatures();
  const missing = features ? missingFeatures(KERNEL_FEATURES, features) : [];

  return (
    <section className={styles.panel} aria-labelledby="kernel-features-title">
      <h2 id="kernel-features-title">Kernel features</h2>
      {!features && !problem && <p className={styles.muted}>Probing your sandbox…</p>}
      {problem && (
        <p className={styles.problem} role="alert">
          {problem}
        </p>
      )}
      {features && (
        <>
          <p className={styles.versions}>
            Linux <code>{features.kernelRelease}</code> ({features.arch}) · clang{' '}
            <code>{features.clang ?? 'missing'}</code> · bpftool <code>{features.bpftool ?? 'missing'}</code>
          </p>
          <ul className={styles.list}>
            {KERNEL_FEATURES.map((feature) => {
              const available = features.available[feature];
              return (
                <li key={feature} data-available={available}>
                  <span aria-hidden="true">{available ? '✓' : '✗'}</span> {featureName(feature)}
                  <span className={styles.visuallyHidden}>
                    {available ? ': available' : ': not in your sandbox'}
                  </span>
                </li>
              );
            })}
          </ul>
          {missing.length > 0 && (
            <details className={styles.operator}>
              <summary>For the operator</summary>
              <ul>
                {missing.map((m) => (
                  <li key={m.feature}>{reasonLine(m)}</li>
                ))}
              </ul>
            </details>
          )}
        </>
      )}
    </section>
  );
}
