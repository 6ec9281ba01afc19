/** The learner's record on this lab: passed or not, best score, attempts. */
'use client';

import type { LabProgress } from '@/server/protocol/lab';
import styles from './lab.module.css';
import { points } from './results';

export function LabProgressBadge({ progress }: { progress: LabProgress | null }) {
  if (!progress || progress.attempts === 0) {
    return <p className={styles.progress}>Not attempted yet</p>;
  }
  return (
    <p className={styles.progress} data-passed={progress.passed}>
      {progress.passed && <span className={styles.passedTag}>Passed</span>}
      <span>Best {points(progress.bestScore, progress.maxScore)}</span>
      <span>
        {progress.attempts} {progress.attempts === 1 ? 'attempt' : 'attempts'}
      </span>
    </p>
  );
}
