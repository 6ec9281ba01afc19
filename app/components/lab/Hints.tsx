/** Hints the learner asked for, in order; each Hint click reveals the next one. */
'use client';

import styles from './lab.module.css';

export function Hints({ hints }: { hints: readonly string[] }) {
  if (hints.length === 0) return null;
  return (
    <ol className={styles.hints} aria-label="Hints">
      {hints.map((hint, i) => (
        // Hints only ever grow at the end, so the index is a stable key.
        // biome-ignore lint/suspicious/noArrayIndexKey: append-only list
        <li key={i} className={styles.hint}>
          <strong>Hint {i + 1}.</strong> {hint}
        </li>
      ))}
    </ol>
  );
}
