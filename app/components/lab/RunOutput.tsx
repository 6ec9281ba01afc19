/**
 * What the learner's program printed during Run, streamed line by line, newest at the bottom.
 */
'use client';

import { useEffect, useRef } from 'react';
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
    </section>
  );
}
