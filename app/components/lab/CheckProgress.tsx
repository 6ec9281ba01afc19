/**
 * The grader's stages while a check (or run) is in flight, and how the last one went. The list
 * is visual; the live region beside it speaks one sentence per change.
 */
'use client';

import { queueAnnouncement, type StageProgress, stageStatusText } from './check-progress';
import styles from './lab.module.css';

export function CheckProgress({
  stages,
  queuePosition,
  announcement,
}: {
  stages: readonly StageProgress[] | null;
  queuePosition: number | null;
  announcement: string;
}) {
  return (
    <>
      <p className={styles.srOnly} aria-live="polite" aria-atomic="true">
        {announcement}
      </p>
      {queuePosition !== null && (
        <p className={styles.queue} data-testid="grading-queue">
          {queueAnnouncement(queuePosition)}
        </p>
      )}
      {stages && (
        <ol className={styles.stages} aria-label="Grading stages">
          {stages.map((s) => (
            <li key={s.stage} className={styles.stage} data-status={s.status}>
              <span className={styles.stageIcon} aria-hidden="true" />
              <span className={styles.stageLabel}>{s.label}</span>
              <span className={styles.stageStatus}>
                {stageStatusText(s)}
                {s.ms !== undefined && s.status !== 'running' ? ` · ${Math.round(s.ms)} ms` : ''}
              </span>
            </li>
          ))}
        </ol>
      )}
    </>
  );
}
