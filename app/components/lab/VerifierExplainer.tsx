/**
 * Why the verifier refused the learner's program, in the verdict: the refused instruction, the
 * source line it came from (a button that moves the editor there), the verifier's own words, the
 * catalogue's explanation and fix (or an honest "no entry matches"), and a table of the registers
 * and stack slots as the verifier knew them at that instruction, each in plain words, the one the
 * message names marked. The explanation is made on the server (server/grader/verifier-explain.ts).
 */
'use client';

import type { VerifierExplanation, VerifierStateEntry } from '@/server/protocol/lab';
import { MapTable } from './MapTable';
import { labFileOf, type SourcePosition } from './markers';
import styles from './VerifierExplainer.module.css';
import { WithCode } from './WithCode';

export interface VerifierExplainerProps {
  labId: string;
  explanation: VerifierExplanation;
  filePaths: readonly string[];
  onReveal(at: SourcePosition): void;
}

export function VerifierExplainer({ labId, explanation, filePaths, onReveal }: VerifierExplainerProps) {
  const { entry, instruction, source, message } = explanation;
  const headingId = `lab-${labId}-verifier`;
  const path = source && labFileOf(source.file, filePaths);
  const rows = [...explanation.registers, ...explanation.stack];
  return (
    <section className={styles.explainer} aria-labelledby={headingId}>
      <h5 id={headingId} className={styles.heading}>
        {entry ? `Why the verifier refused it: ${entry.title}` : 'The verifier refused the program'}
      </h5>
      <dl className={styles.facts}>
        {instruction && (
          <>
            <dt>Refused instruction</dt>
            <dd>
              <code>
                {instruction.index}: {instruction.text}
              </code>
            </dd>
          </>
        )}
        {source && (
          <>
            <dt>From your code</dt>
            <dd>
              {path === undefined ? (
                <span>
                  {source.file} line {source.line}
                </span>
              ) : (
                <button
                  type="button"
                  className={styles.lineButton}
                  onClick={() => onReveal({ path, line: source.line, column: source.column })}
                >
                  {source.file} line {source.line}
                </button>
              )}
              {source.text && (
                <>
                  {' '}
                  <code>{source.text}</code>
                </>
              )}
            </dd>
          </>
        )}
        <dt>The verifier said</dt>
        <dd>
          <pre className={styles.message}>{message}</pre>
        </dd>
      </dl>
      {entry ? (
        <>
          <p className={styles.explanation}>
            <WithCode text={entry.explanation} />
          </p>
          <p className={styles.fix}>
            <strong>How to fix it: </strong>
            <WithCode text={entry.fix} />
          </p>
        </>
      ) : (
        <p className={styles.explanation}>
          No entry of the explainer&rsquo;s catalogue matches this message. The instruction and the registers
          here are what the verifier saw; the whole log is under &ldquo;Full output&rdquo;.
        </p>
      )}
      {rows.length > 0 && <StateTable rows={rows} />}
    </section>
  );
}

function StateTable({ rows }: { rows: VerifierStateEntry[] }) {
  return (
    <MapTable
      label="Registers at the refused instruction"
      caption="Registers and stack just before the refused instruction (a register not listed holds nothing)"
      columns={['Register', 'Verifier\u2019s notation', 'In words']}
    >
      {rows.map((row) => (
        <tr key={row.name} className={styles.stateRow} data-named={row.named}>
          <th scope="row">
            {row.name}
            {row.named && <span className={styles.namedNote}> (named in the error)</span>}
          </th>
          <td>{row.value}</td>
          <td className={styles.words}>
            <WithCode text={row.words} />
          </td>
        </tr>
      ))}
    </MapTable>
  );
}
