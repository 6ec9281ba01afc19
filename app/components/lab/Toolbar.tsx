/**
 * The lab's actions. `Toolbar`, under the editor: Check, the main one (Ctrl/Cmd+Enter), Run and
 * Hint; when the sandbox lacks a kernel feature the lab needs, Check and Run give way to a plain
 * sentence saying which and why. `FileActions`, in the lab's header: Show solution (recorded in
 * the learner's progress) and Reset to starter (replaces their files), which so ask first. Both
 * take the same props.
 */
'use client';

import { ConfirmButton } from './ConfirmButton';
import styles from './lab.module.css';
import type { Busy } from './lab-state';

export interface ToolbarProps {
  /**
   * Why the actions that need the server (all of them) cannot be used now, e.g. the connection is
   * down; shown next to them, and their description (aria-describedby). Null when they can.
   */
  unavailable: string | null;
  /** The id of the element that shows `unavailable`, unique in the page. */
  unavailableId: string;
  busy: Busy | null;
  /** Why Check and Run are off because the lab cannot run here; empty when it can. */
  missing: readonly string[];
  hintsLeft: number;
  hintCount: number;
  solutionAllowed: boolean;
  onCheck(): void;
  onRun(): void;
  onHint(): void;
  onReset(): void;
  onSolution(): void;
}

const BUSY_TEXT: Record<Busy, string> = {
  check: 'Checking…',
  run: 'Running…',
  reset: 'Resetting…',
  solution: 'Loading the solution…',
  hint: 'Loading a hint…',
};

export function Toolbar(props: ToolbarProps) {
  const { unavailable, busy, missing, hintsLeft, hintCount } = props;
  const idle = unavailable === null && busy === null;
  const runnable = missing.length === 0;
  const describedBy = unavailable === null ? undefined : props.unavailableId;
  return (
    <div className={styles.toolbar}>
      <div className={styles.toolbarGroup}>
        {runnable && (
          <>
            <button
              type="button"
              className={`${styles.button} ${styles.primary}`}
              disabled={!idle}
              aria-describedby={describedBy}
              onClick={props.onCheck}
              aria-keyshortcuts="Control+Enter Meta+Enter"
              title="Check (Ctrl+Enter)"
            >
              {busy === 'check' ? BUSY_TEXT.check : 'Check'}
            </button>
            <button
              type="button"
              className={styles.button}
              disabled={!idle}
              aria-describedby={describedBy}
              onClick={props.onRun}
            >
              {busy === 'run' ? BUSY_TEXT.run : 'Run'}
            </button>
          </>
        )}
        {hintCount > 0 && (
          <button
            type="button"
            className={styles.button}
            disabled={!idle || hintsLeft === 0}
            aria-describedby={describedBy}
            onClick={props.onHint}
          >
            {hintsLeft === hintCount
              ? 'Hint'
              : hintsLeft === 0
                ? 'No more hints'
                : `Another hint (${hintsLeft} left)`}
          </button>
        )}
      </div>
      {unavailable !== null && (
        <p id={props.unavailableId} className={styles.unavailable}>
          {unavailable}
        </p>
      )}
      {busy !== null && busy !== 'check' && busy !== 'run' && (
        <span className={styles.busyText} role="status">
          {BUSY_TEXT[busy]}
        </span>
      )}
      {!runnable && (
        <div className={styles.missing}>
          {missing.map((sentence) => (
            <p key={sentence}>{sentence}</p>
          ))}
        </div>
      )}
    </div>
  );
}

export function FileActions(props: ToolbarProps) {
  const idle = props.unavailable === null && props.busy === null;
  const describedBy = props.unavailable === null ? undefined : props.unavailableId;
  const solutionAllowed = props.solutionAllowed;
  return (
    <div className={styles.fileActions}>
      <ConfirmButton
        label="Show solution"
        question="Show the solution?"
        detail="Showing the solution is recorded in your progress: a lab you pass after seeing it counts as passed with the solution shown. It opens beside your code, which stays as it is unless you apply the solution."
        confirmLabel="Show solution"
        disabled={!idle || !solutionAllowed}
        describedBy={describedBy}
        onConfirm={props.onSolution}
      />
      <ConfirmButton
        label="Reset to starter"
        question="Reset every file to the starter code?"
        detail="Your changes will be lost."
        confirmLabel="Reset"
        disabled={!idle}
        describedBy={describedBy}
        onConfirm={props.onReset}
      />
    </div>
  );
}
