/**
 * What the learner's program did during Run: its output streamed line by line (ring-buffer
 * records as JSON, bpf_printk lines), newest at the bottom, and its maps as they change
 * (LiveMaps); then, from the Run's reply, the ring-buffer records it kept and every map after
 * the workload, in the same tables, and its CO-RE relocations on request (CoreReport). The last
 * Check's grade stays shown beside it (lab-state.ts).
 */
'use client';

import { useEffect, useRef } from 'react';
import type { RunRecorded } from '@/server/protocol/lab';
import { CoreReport } from './CoreReport';
import { LiveMaps } from './LiveMaps';
import styles from './lab.module.css';
import type { RunOutput as RunState } from './lab-state';

export function RunOutput({ labId, run, running }: { labId: string; run: RunState; running: boolean }) {
  const pane = useRef<HTMLPreElement>(null);
  const lineCount = run.lines.length + run.dropped;
  useEffect(() => {
    if (lineCount > 0 && pane.current) pane.current.scrollTop = pane.current.scrollHeight;
  }, [lineCount]);
  const headingId = `lab-${labId}-output`;
  const summary = run.grade?.message;
  const recorded = run.grade?.recorded;
  return (
    <section className={styles.output} aria-labelledby={headingId}>
      <h4 id={headingId} className={styles.subheading}>
        Run output
      </h4>
      <pre ref={pane} className={styles.outputPane} role="log" aria-label="Program output">
        {run.dropped > 0 && `… ${run.dropped} earlier lines not shown\n`}
        {run.lines.length > 0 ? run.lines.join('\n') : running ? 'Waiting for output…' : 'No output.'}
      </pre>
      {summary && <p className={styles.outputSummary}>{summary}</p>}
      {run.grade?.core && <CoreReport report={run.grade.core} />}
      {recorded && <RecordedEvents labId={labId} recorded={recorded} />}
      {(recorded || run.liveMaps) && (
        <LiveMaps
          labId={labId}
          maps={recorded?.maps ?? run.liveMaps?.maps ?? []}
          history={run.liveMaps}
          final={recorded !== undefined}
        />
      )}
    </section>
  );
}

function RecordedEvents({ labId, recorded }: { labId: string; recorded: RunRecorded }) {
  const eventsId = `lab-${labId}-run-events`;
  const { events, eventCount } = recorded;
  return (
    <section className={styles.runRecorded} aria-labelledby={eventsId}>
      <h5 id={eventsId} className={styles.subheading}>
        Ring-buffer records
      </h5>
      {eventCount === 0 ? (
        <p className={styles.runRecordedNone}>The program submitted no ring-buffer records.</p>
      ) : (
        <>
          <p className={styles.runRecordedCount}>
            {eventCount === 1 ? '1 record' : `${eventCount} records`}
            {events.length < eventCount ? `, the first ${events.length} shown` : ''}.
          </p>
          <pre className={styles.outputPane}>{events.join('\n')}</pre>
        </>
      )}
    </section>
  );
}
