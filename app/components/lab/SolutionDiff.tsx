/**
 * The lab's solution shown beside the learner's code instead of over it, in a modal dialog over
 * the lab (which fills the window, so the comparison gets the whole of it): a Monaco diff editor
 * per file that differs (their code on the left, the solution on the right, neither editable
 * here), "Apply solution to <file>" for each, "Apply to every file" when several differ, and
 * Close (or Escape). Nothing of the learner's changes until they apply; applying is an edit like
 * any other (autosaved, undoable in the editor, and Reset to starter still brings the starter back).
 */
'use client';

import { useEffect, useId, useRef, useState } from 'react';
import { CODE_VIEW, languageOf } from './CodeEditor';
import styles from './lab.module.css';
import type { SolutionDifference } from './lab-state';
import { loadMonaco, type Monaco } from './monaco/load-monaco';

export interface SolutionDiffProps {
  /** The learner's editable files that differ from the solution's (lab-state solutionDifferences). */
  differences: readonly SolutionDifference[];
  onApply(paths: string[]): void;
  onClose(): void;
}

export function SolutionDiff({ differences, onApply, onClose }: SolutionDiffProps) {
  const titleId = useId();
  const dialog = useRef<HTMLDialogElement>(null);
  const [monaco, setMonaco] = useState<Monaco | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);

  useEffect(() => {
    let cancelled = false;
    loadMonaco().then(
      (m) => !cancelled && setMonaco(m),
      (error: unknown) => !cancelled && setLoadError(error instanceof Error ? error.message : String(error)),
    );
    // Shown as soon as it exists; the platform moves focus into it and Escape closes it.
    if (dialog.current && !dialog.current.open) dialog.current.showModal();
    return () => {
      cancelled = true;
    };
  }, []);

  return (
    <dialog ref={dialog} className={styles.solution} aria-labelledby={titleId} onClose={onClose}>
      <header className={styles.solutionHeader}>
        <h4 id={titleId} className={styles.solutionTitle}>
          Solution
        </h4>
        <div className={styles.solutionActions}>
          {differences.length > 1 && (
            <button
              type="button"
              className={styles.button}
              onClick={() => onApply(differences.map((d) => d.path))}
            >
              Apply to every file
            </button>
          )}
          <button type="button" className={styles.button} onClick={() => dialog.current?.close()}>
            Close
          </button>
        </div>
      </header>
      {differences.length === 0 ? (
        <p role="status">Your files match the solution.</p>
      ) : (
        <p className={styles.solutionNote}>
          Your code is on the left, the solution on the right (in a narrow window, one column: your lines
          marked as removed, the solution's as added). Your files stay as they are until you apply the
          solution to them.
        </p>
      )}
      {loadError !== null && (
        <p className={styles.error} role="alert">
          The comparison could not load: {loadError}
        </p>
      )}
      {differences.map((difference) => (
        <FileDiff key={difference.path} monaco={monaco} difference={difference} onApply={onApply} />
      ))}
    </dialog>
  );
}

function FileDiff({
  monaco,
  difference,
  onApply,
}: {
  monaco: Monaco | null;
  difference: SolutionDifference;
  onApply(paths: string[]): void;
}) {
  const { path, mine, solution } = difference;
  const host = useRef<HTMLDivElement>(null);
  const [models, setModels] = useState<{ original: Model; modified: Model } | null>(null);

  useEffect(() => {
    if (!monaco || !host.current) return;
    const language = languageOf(path);
    const original = monaco.editor.createModel('', language);
    const modified = monaco.editor.createModel('', language);
    for (const model of [original, modified]) model.updateOptions({ tabSize: 8, insertSpaces: false });
    const diff = monaco.editor.createDiffEditor(host.current, {
      ...CODE_VIEW,
      readOnly: true,
      originalEditable: false,
      // Side by side where there is room, one column of removed and added lines where there is not.
      useInlineViewWhenSpaceIsLimited: true,
      readOnlyMessage: { value: 'Apply the solution to change your file.' },
      originalAriaLabel: `Your ${path}`,
      modifiedAriaLabel: `The solution's ${path}`,
    });
    diff.setModel({ original, modified });
    setModels({ original, modified });
    // As tall as the comparison, up to most of the window: the page scrolls, not a small box.
    const sides = [diff.getOriginalEditor(), diff.getModifiedEditor()];
    const fitContent = () => {
      const content = Math.max(...sides.map((side) => side.getContentHeight()));
      if (host.current)
        host.current.style.height = `${Math.min(content, window.innerHeight * MAX_WINDOW_SHARE)}px`;
    };
    const listeners = sides.map((side) => side.onDidContentSizeChange(fitContent));
    fitContent();
    return () => {
      for (const listener of listeners) listener.dispose();
      diff.dispose();
      original.dispose();
      modified.dispose();
      setModels(null);
    };
  }, [monaco, path]);

  // The models take both contents once they exist, and follow them should they change.
  useEffect(() => {
    if (!models) return;
    if (models.original.getValue() !== mine) models.original.setValue(mine);
    if (models.modified.getValue() !== solution) models.modified.setValue(solution);
  }, [models, mine, solution]);

  return (
    <div className={styles.solutionFile}>
      <div className={styles.solutionFileHeader}>
        <h5 className={styles.solutionFileName}>{path}</h5>
        <button
          type="button"
          className={`${styles.button} ${styles.primary}`}
          onClick={() => onApply([path])}
        >
          Apply solution to {path}
        </button>
      </div>
      <div ref={host} className={styles.solutionEditor} data-testid={`solution-diff-${path}`} />
    </div>
  );
}

type Model = ReturnType<Monaco['editor']['createModel']>;

/** A comparison is at most this share of the window's height. */
const MAX_WINDOW_SHARE = 0.75;
