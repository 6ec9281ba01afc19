/**
 * What the learner's program did during Run: its output streamed line by line (ring-buffer
 * records as JSON, bpf_printk lines), newest at the bottom; then, from the Run's reply, the
 * ring-buffer records it kept and every map after the workload as a table, fields formatted as
 * the lab declares. The last Check's grade stays shown beside it (lab-state.ts).
 */
'use client';

import { useEffect, useRef } from 'react';
import type { RunRecorded } from '@/server/protocol/lab';
import styles from './lab.module.css';
import type { RunOutput as RunState } from './lab-state';
import { MapTable } from './MapTable';
import { recordedMapView } from './results';

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
      {recorded && <Recorded labId={labId} recorded={recorded} />}
    </section>
  );
}

function Recorded({ labId, recorded }: { labId: string; recorded: RunRecorded }) {
  const eventsId = `lab-${labId}-run-events`;
  const mapsId = `lab-${labId}-run-maps`;
  const { events, eventCount, maps } = recorded;
  return (
    <>
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
      <section className={styles.runRecorded} aria-labelledby={mapsId}>
        <h5 id={mapsId} className={styles.subheading}>
          Maps after the workload
        </h5>
        {maps.length === 0 && <p className={styles.runRecordedNone}>The program has no maps to show.</p>}
        {maps.map(recordedMapView).map((map) => (
          <MapTable
            key={map.name}
            label={`Map ${map.name}`}
            caption={map.caption}
            columns={map.rows.length > 0 ? map.columns : []}
          >
            {map.rows.map((row, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: one run's entries never reorder
              <tr key={i}>
                {row.map((cell, j) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: cells follow the columns
                  <td key={j}>{cell}</td>
                ))}
              </tr>
            ))}
          </MapTable>
        ))}
      </section>
    </>
  );
}
