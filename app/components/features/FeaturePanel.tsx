/**
 * What the learner's sandbox kernel can do (BTF, kprobes, tracepoints, …) and its toolchain
 * versions, compactly, with the reason beside anything missing. Asking starts the sandbox when
 * there is none yet, like opening a terminal does.
 */
'use client';

import { featureName, type KernelFeatures } from '@/server/protocol/kernel-features';
import styles from './features.module.css';
import { useSandboxFeatures } from './useSandboxFeatures';

export function FeaturePanel() {
  const { features, problem } = useSandboxFeatures();

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
            {Object.entries(features.available).map(([feature, available]) => {
              const name = featureName(feature as keyof KernelFeatures['available']);
              const reason = features.reasons[feature as keyof KernelFeatures['reasons']];
              return (
                <li key={feature} data-available={available} title={available ? undefined : reason}>
                  <span aria-hidden="true">{available ? '✓' : '✗'}</span> {name}
                  <span className={styles.visuallyHidden}>
                    {available ? ': available' : `: not available${reason ? ` (${reason})` : ''}`}
                  </span>
                </li>
              );
            })}
          </ul>
        </>
      )}
    </section>
  );
}
