/**
 * The lab's solution shown beside the learner's code instead of over it: a Monaco diff editor
 * per file that differs (their code on the left, the solution on the right, neither editable
 * here), "Apply solution to <file>" for each, "Apply to every file" when several differ, and
 * Close. Nothing of the learner's changes until they apply; applying is an edit like any other
 * (autosaved, undoable in the editor, and Reset to starter still brings the starter back).
 */
'use client';

import { useEffect, useId, useRef, useState } from 'react';
import { languageOf } from './CodeEditor';
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
  const heading = useRef<HTMLHeadingElement>(null);
  const [monaco, setMonaco] = useState<Monaco | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);

  useEffect(() => {
    let cancelled = false;
    loadMonaco().then(
      (m) => !cancelled && setMonaco(m),
      (error: unknown) => !cancelled && setLoadError(error instanceof Error ? error.message : String(error)),
    );
    // The learner asked for it: the keyboard and a screen reader go to it.
    heading.current?.focus();
    return () => {
      cancelled = true;
    };
  }, []);

  return (
    <section className={styles.solution} aria-labelledby={titleId}>
      <header className={styles.solutionHeader}>
        <h4 id={titleId} ref={heading} tabIndex={-1} className={styles.solutionTitle}>
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
          <button type="button" className={styles.button} onClick={onClose}>
            Close
          </button>
        </div>
      </header>
      {differences.length === 0 ? (
        <p role="status">Your files match the solution.</p>
      ) : (
        <p className={styles.solutionNote}>
          Your code is on the left, the solution on the right. Your files stay as they are until you apply the
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
    </section>
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
      readOnly: true,
      originalEditable: false,
      automaticLayout: true,
      // Side by side where there is room, one column of removed and added lines where there is not.
      useInlineViewWhenSpaceIsLimited: true,
      fontFamily: "'JetBrains Mono', ui-monospace, monospace",
      fontSize: 14,
      lineHeight: 21,
      minimap: { enabled: false },
      scrollBeyondLastLine: false,
      scrollbar: { alwaysConsumeMouseWheel: false },
      readOnlyMessage: { value: 'Apply the solution to change your file.' },
      originalAriaLabel: `Your ${path}`,
      modifiedAriaLabel: `The solution's ${path}`,
    });
    diff.setModel({ original, modified });
    setModels({ original, modified });
    return () => {
      diff.dispose();
      original.dispose();
      modified.dispose();
      setModels(null);
    };
  }, [monaco, path]);

  // The learner may keep typing in the lab's editor while the solution is open.
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
