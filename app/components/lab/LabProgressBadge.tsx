/**
 * The learner's record on this lab: whether they passed on their own or with the solution shown
 * (said in words, see lab-verdict.ts), best score, attempts.
 */
'use client';

import { labVerdict, VERDICT_TEXT } from '@/app/components/progress/lab-verdict';
import type { LabProgress } from '@/server/protocol/lab';
import styles from './lab.module.css';
import { points } from './results';

export function LabProgressBadge({ progress }: { progress: LabProgress | null }) {
  const verdict = labVerdict(progress);
  if (!progress || verdict === 'not-attempted') {
    return <p className={styles.progress}>{VERDICT_TEXT['not-attempted']}</p>;
  }
  return (
    <p className={styles.progress} data-verdict={verdict}>
      {verdict === 'passed' && <span className={styles.passedTag}>{VERDICT_TEXT.passed}</span>}
      {(verdict === 'passed-with-solution' || verdict === 'solution-shown') && (
        <span className={styles.solutionTag}>{VERDICT_TEXT[verdict]}</span>
      )}
      {progress.attempts > 0 && (
        <>
          <span>Best {points(progress.bestScore, progress.maxScore)}</span>
          <span>
            {progress.attempts} {progress.attempts === 1 ? 'attempt' : 'attempts'}
          </span>
        </>
      )}
    </p>
  );
}
