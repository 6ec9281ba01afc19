'use client';
/** One learner's last Check of a lab, for the instructor: score, checks passed and every file graded. */
import Link from 'next/link';
import type { LearnerSubmission } from '@/server/protocol/class';
import styles from './class.module.css';
import { formatWhen, labStatus, learnerName, useClassApi } from './use-class-api';

export function LearnerSubmissionView({ pseudonym, labId }: { pseudonym: string; labId: string }) {
  const path = `/api/class/learner/${encodeURIComponent(pseudonym)}/lab/${encodeURIComponent(labId)}`;
  const { state } = useClassApi<LearnerSubmission>(path);
  return (
    <div className={styles.page}>
      <p>
        <Link href="/class">← Back to the class</Link>
      </p>
      {state.kind === 'loading' && <p>Loading the last Check…</p>}
      {(state.kind === 'signed-out' || state.kind === 'disabled') && (
        <p className={styles.notice}>
          Sign in as the instructor on the <Link href="/class">class page</Link> first.
        </p>
      )}
      {state.kind === 'error' && (
        <p role="alert" className={styles.error}>
          This Check could not be read: {state.message}.
        </p>
      )}
      {state.kind === 'ready' && <Submission submission={state.value} />}
    </div>
  );
}

function Submission({ submission }: { submission: LearnerSubmission }) {
  const { lastCheck, progress } = submission;
  return (
    <>
      <h1>
        {learnerName(submission)} <span className={styles.pseudonym}>{submission.pseudonym}</span>:{' '}
        {submission.labId}
      </h1>
      {progress && <p>Overall: {labStatus(progress)}.</p>}
      {!lastCheck ? (
        <p>This learner has not checked this lab.</p>
      ) : (
        <>
          <section aria-labelledby="last-check-title">
            <h2 id="last-check-title">Last Check</h2>
            <dl className={styles.facts}>
              <dt>Score</dt>
              <dd>
                {lastCheck.score}/{lastCheck.maxScore} ({lastCheck.passed ? 'passed' : 'not passed'})
              </dd>
              <dt>Checked</dt>
              <dd>{formatWhen(lastCheck.at)}</dd>
              <dt>Checks passed</dt>
              <dd>{lastCheck.checksPassed.length > 0 ? lastCheck.checksPassed.join(', ') : 'none'}</dd>
            </dl>
          </section>
          <section aria-labelledby="files-title">
            <h2 id="files-title">Files graded</h2>
            {lastCheck.files === null ? (
              <p>This Check was recorded before bpflab kept the files graded.</p>
            ) : (
              Object.entries(lastCheck.files).map(([file, content]) => (
                <section key={file} aria-label={file} className={styles.file}>
                  <h3>{file}</h3>
                  <pre>
                    <code>{content}</code>
                  </pre>
                </section>
              ))
            )}
          </section>
        </>
      )}
    </>
  );
}
