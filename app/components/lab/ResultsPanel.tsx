/**
 * The last check's grade: each check with its status in words, points, expected and actual (a
 * failed map check's entries as a diff table), feedback; a verifier rejection explained
 * (VerifierExplainer); the compiler and verifier messages (each one jumps to its line); the CO-RE
 * relocations on request (CoreReport); the raw log. A
 * grade the platform could not produce says so, and that it is not the learner's fault.
 */
'use client';

import { Fragment } from 'react';
import type { Diagnostic, Grade } from '@/server/protocol/lab';
import { CoreReport } from './CoreReport';
import styles from './lab.module.css';
import { MapTable } from './MapTable';
import { labFileOf, type SourcePosition } from './markers';
import { type DiagnosticRow, type MapDiffView, resultsView } from './results';
import { VerifierExplainer } from './VerifierExplainer';

export interface ResultsPanelProps {
  labId: string;
  grade: Grade;
  filePaths: readonly string[];
  onReveal(at: SourcePosition): void;
}

export function ResultsPanel({ labId, grade, filePaths, onReveal }: ResultsPanelProps) {
  const view = resultsView(grade);
  const headingId = `lab-${labId}-results`;
  if (view.kind === 'platform') {
    return (
      <section
        className={`${styles.results} ${styles.platformFault}`}
        aria-labelledby={headingId}
        role="alert"
      >
        <h4 id={headingId} className={styles.resultsHeadline}>
          The platform could not grade this attempt
        </h4>
        <p>This is a problem on our side, not in your code. Try Check again in a moment.</p>
        <p className={styles.faultMessage}>{view.message}</p>
        <Log log={view.log} />
      </section>
    );
  }
  return (
    // The lab gives the results a scrolling box of their own, so the keyboard must reach it (Tab, after Check).
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region is focusable to be scrolled by keys
    <section className={styles.results} aria-labelledby={headingId} data-passed={view.passed} tabIndex={0}>
      <header className={styles.resultsHeader}>
        <h4 id={headingId} className={styles.resultsHeadline}>
          {view.headline}
        </h4>
        <span className={styles.score}>{view.scoreText}</span>
      </header>
      {view.message && <p className={styles.resultsMessage}>{view.message}</p>}
      <ol className={styles.checks} aria-label="Checks">
        {view.checks.map((check) => (
          <li key={check.id} className={styles.check} data-status={check.status}>
            <div className={styles.checkLine}>
              <span className={styles.checkIcon} aria-hidden="true" />
              <span className={styles.checkStatus}>{check.statusText}</span>
              <span className={styles.checkTitle}>{check.title}</span>
              <span className={styles.checkPoints}>{check.pointsText}</span>
            </div>
            {check.mapDiff && <MapDiffTable diff={check.mapDiff} />}
            {!check.mapDiff && (check.expected !== undefined || check.actual !== undefined) && (
              <dl className={styles.comparison}>
                {check.expected !== undefined && (
                  <>
                    <dt>Expected</dt>
                    <dd>{check.expected}</dd>
                  </>
                )}
                {check.actual !== undefined && (
                  <>
                    <dt>Actual</dt>
                    <dd>{check.actual}</dd>
                  </>
                )}
              </dl>
            )}
            {check.feedback && check.status !== 'passed' && (
              <p className={styles.feedback}>{check.feedback}</p>
            )}
          </li>
        ))}
      </ol>
      {grade.verifier && (
        <VerifierExplainer
          labId={labId}
          explanation={grade.verifier}
          filePaths={filePaths}
          onReveal={onReveal}
        />
      )}
      {view.diagnostics.length > 0 && (
        <Diagnostics rows={view.diagnostics} filePaths={filePaths} onReveal={onReveal} />
      )}
      {grade.core && <CoreReport report={grade.core} />}
      <Log log={view.log} />
      {view.timings && <p className={styles.timings}>{view.timings}</p>}
    </section>
  );
}

function Diagnostics({
  rows,
  filePaths,
  onReveal,
}: {
  rows: DiagnosticRow[];
  filePaths: readonly string[];
  onReveal(at: SourcePosition): void;
}) {
  const target = (d: Diagnostic) => labFileOf(d.file, filePaths);
  return (
    <div className={styles.diagnostics}>
      <h5 className={styles.subheading}>Compiler and verifier messages</h5>
      <ul className={styles.diagnosticList}>
        {rows.map((row, i) => {
          const path = target(row.diagnostic);
          return (
            // One grade's messages never reorder, and two may share a location and text.
            // biome-ignore lint/suspicious/noArrayIndexKey: static list per grade
            <li key={i} className={styles.diagnostic} data-severity={row.diagnostic.severity}>
              {path === undefined ? (
                <span className={styles.location}>{row.location}</span>
              ) : (
                <button
                  type="button"
                  className={styles.locationButton}
                  onClick={() =>
                    onReveal({ path, line: row.diagnostic.line, column: Math.max(1, row.diagnostic.column) })
                  }
                  aria-label={`Go to ${row.location}`}
                >
                  {row.location}
                </button>
              )}
              <pre className={styles.diagnosticText}>{row.text}</pre>
            </li>
          );
        })}
      </ul>
    </div>
  );
}

/**
 * A failed map check as a table: each expected entry beside what the map held (a differing field
 * shows "yours: …" under the expected value), then the map's other entries. Every row says its
 * status in words, and a recognised mistake has its note on a row of its own below.
 */
function MapDiffTable({ diff }: { diff: MapDiffView }) {
  return (
    <>
      <MapTable
        label="Map entries beside the expected ones"
        caption={diff.caption}
        alert={diff.empty}
        columns={['Entry', ...diff.columns]}
      >
        {diff.rows.map((row, i) => (
          // Rows never reorder within one grade, and two extra entries may look alike.
          // biome-ignore lint/suspicious/noArrayIndexKey: static list per grade
          <Fragment key={i}>
            <tr className={styles.mapDiffRow} data-kind={row.kind}>
              <th scope="row" className={styles.mapDiffStatus}>
                {row.statusText}
              </th>
              {row.cells.map((cell, j) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: cells follow the columns
                <td key={j} data-differs={cell.yours !== undefined}>
                  {cell.text}
                  {cell.yours !== undefined && (
                    <>
                      {' '}
                      <span className={styles.mapDiffYours}>yours: {cell.yours}</span>
                    </>
                  )}
                </td>
              ))}
            </tr>
            {row.note && (
              <tr className={styles.mapDiffNote} data-kind={row.kind}>
                <td colSpan={diff.columns.length + 1}>
                  <span className={styles.mapDiffNoteText}>{row.note}</span>
                </td>
              </tr>
            )}
          </Fragment>
        ))}
      </MapTable>
      {diff.omitted && <p className={styles.mapDiffOmitted}>{diff.omitted}</p>}
    </>
  );
}

function Log({ log }: { log: string }) {
  if (!log.trim()) return null;
  return (
    <details className={styles.log}>
      <summary>Full output (compiler, verifier, events)</summary>
      <pre>{log}</pre>
    </details>
  );
}
