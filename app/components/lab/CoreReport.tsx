/**
 * The CO-RE report under a grade, on request: a "CO-RE relocations (N)" disclosure listing each
 * relocation libbpf applied when it loaded the learner's program on this kernel (the field, type
 * or enum value the program accessed, its value in the compiled object and on this kernel, the
 * program and instruction) and each that found nothing here, with why and what follows, in words.
 */
'use client';

import type { CoreRelocation, CoreReport as Report } from '@/server/protocol/core-report';
import styles from './CoreReport.module.css';

const STATUS_TEXT: Record<CoreRelocation['status'], string> = {
  applied: 'Applied',
  poisoned: 'Not on this kernel',
  failed: 'Failed',
};

export function CoreReport({ report }: { report: Report }) {
  const { relocations, omitted, complete } = report;
  const failed = relocations.filter((r) => r.status !== 'applied').length;
  const total = relocations.length + omitted;
  return (
    <details className={styles.core}>
      <summary>
        CO-RE relocations ({complete ? total : `${total}+`}
        {failed > 0 && `, ${failed} failed`})
      </summary>
      <p className={styles.intro}>
        What libbpf adjusted in your program for this kernel when it loaded it: each field, type or enum value
        read through CO-RE, with its value in the compiled object and on this kernel.
      </p>
      <ol className={styles.list} aria-label="CO-RE relocations">
        {relocations.map((r) => (
          <li key={`${r.program}#${r.index}`} className={styles.relocation} data-status={r.status}>
            <p className={styles.head}>
              <span className={styles.status}>{STATUS_TEXT[r.status]}</span> <code>{r.access}</code>{' '}
              <span className={styles.kind}>{r.kindText}</span>
            </p>
            <p className={styles.values}>
              {r.kernelValue !== undefined && (
                <>
                  in the object <strong>{r.objectValue}</strong>, on this kernel{' '}
                  <strong>{r.kernelValue}</strong>
                  {' · '}
                </>
              )}
              {r.program}
              {r.instruction !== undefined && `, instruction #${r.instruction}`}
            </p>
            <p className={styles.explanation}>
              <WithCode text={r.explanation} />
            </p>
          </li>
        ))}
      </ol>
      {(omitted > 0 || !complete) && (
        <p className={styles.more}>
          {complete
            ? `${omitted} more relocations are not shown.`
            : 'More relocations are not shown: the program has more than the report keeps.'}
        </p>
      )}
    </details>
  );
}

/** Text whose `backticked` parts are code. */
function WithCode({ text }: { text: string }) {
  return (
    <>
      {text.split('`').map((part, i) =>
        // Parts alternate text and code, in a fixed order.
        // biome-ignore lint/suspicious/noArrayIndexKey: static list per text
        i % 2 === 1 ? <code key={i}>{part}</code> : part,
      )}
    </>
  );
}
