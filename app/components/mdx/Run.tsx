/**
 * `<Run cmd="…">caption</Run>` in lessons: a shell command shown as the learner would type it, with
 * Run, which types it and Enter into the terminal of the lab on this page (run-bus.ts), and Copy.
 * When no terminal can take it (none on the page, not connected, still starting) the reason shows
 * beside the buttons instead of the click doing nothing.
 */
'use client';

import { type ReactNode, useRef, useState } from 'react';
import { runInTerminal } from '@/app/components/terminal/run-bus';
import styles from './run.module.css';

type Outcome = { kind: 'sent' | 'copied' } | { kind: 'problem'; text: string } | null;

export function Run({ cmd, children }: { cmd: string; children?: ReactNode }) {
  const block = useRef<HTMLElement>(null);
  const [outcome, setOutcome] = useState<Outcome>(null);

  const run = () => {
    if (!block.current) return;
    const delivery = runInTerminal(cmd, block.current);
    setOutcome(delivery.ok ? { kind: 'sent' } : { kind: 'problem', text: delivery.reason });
  };

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(cmd);
      setOutcome({ kind: 'copied' });
    } catch {
      setOutcome({
        kind: 'problem',
        text: 'The browser did not allow copying: select the command and copy it.',
      });
    }
  };

  return (
    <figure ref={block} className={styles.run}>
      {children && <figcaption className={styles.caption}>{children}</figcaption>}
      <div className={styles.line}>
        <code className={styles.command}>
          <span className={styles.prompt} aria-hidden="true">
            ${' '}
          </span>
          {cmd}
        </code>
        <button
          type="button"
          className={styles.runButton}
          aria-label={`Run in terminal: ${cmd}`}
          onClick={run}
        >
          Run
        </button>
        <button
          type="button"
          className={styles.copyButton}
          aria-label={`Copy: ${cmd}`}
          onClick={() => void copy()}
        >
          Copy
        </button>
      </div>
      <p className={styles.outcome} data-kind={outcome?.kind} role="status">
        {outcome?.kind === 'sent' && 'Typed into the terminal.'}
        {outcome?.kind === 'copied' && 'Copied.'}
        {outcome?.kind === 'problem' && outcome.text}
      </p>
    </figure>
  );
}
