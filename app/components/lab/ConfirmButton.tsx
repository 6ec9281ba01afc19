/**
 * A button whose action cannot be taken back (it replaces the learner's code, or is recorded in
 * their progress), so it asks first, in a modal <dialog> (focus moves to its first button,
 * Cancel, and Escape cancels, as the platform provides).
 */
'use client';

import { useId, useRef } from 'react';
import styles from './lab.module.css';

export interface ConfirmButtonProps {
  label: string;
  question: string;
  detail: string;
  confirmLabel: string;
  disabled?: boolean;
  /** The id of text that says why the button is disabled (aria-describedby). */
  describedBy?: string;
  onConfirm(): void;
}

export function ConfirmButton({
  label,
  question,
  detail,
  confirmLabel,
  disabled,
  describedBy,
  onConfirm,
}: ConfirmButtonProps) {
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const detailId = useId();
  return (
    <>
      <button
        type="button"
        className={styles.button}
        disabled={disabled}
        aria-describedby={describedBy}
        onClick={() => dialog.current?.showModal()}
      >
        {label}
      </button>
      <dialog ref={dialog} className={styles.dialog} aria-labelledby={titleId} aria-describedby={detailId}>
        <h4 id={titleId} className={styles.dialogTitle}>
          {question}
        </h4>
        <p id={detailId}>{detail}</p>
        <form method="dialog" className={styles.dialogActions}>
          <button type="submit" className={styles.button} value="cancel">
            Cancel
          </button>
          <button
            type="submit"
            className={`${styles.button} ${styles.danger}`}
            value="confirm"
            onClick={() => onConfirm()}
          >
            {confirmLabel}
          </button>
        </form>
      </dialog>
    </>
  );
}
