/**
 * The lab's files as tabs (ARIA tabs pattern: arrow keys move between them), with read-only
 * files marked and a count of errors the last check found in each, plus the save status.
 */
'use client';

import type { KeyboardEvent } from 'react';
import styles from './lab.module.css';
import type { LabFile, SaveStatus } from './lab-state';

export interface FileTabsProps {
  labId: string;
  files: readonly LabFile[];
  active: string | null;
  errorCounts: ReadonlyMap<string, number>;
  save: SaveStatus;
  onSelect(path: string): void;
}

const SAVE_TEXT: Record<SaveStatus, string> = {
  saved: 'All changes saved',
  unsaved: 'Unsaved changes',
  saving: 'Saving…',
  failed: 'Not saved yet; retrying',
};

export function tabId(labId: string, path: string): string {
  return `lab-${labId}-tab-${path.replace(/[^A-Za-z0-9_-]/g, '_')}`;
}

export function FileTabs({ labId, files, active, errorCounts, save, onSelect }: FileTabsProps) {
  const move = (event: KeyboardEvent<HTMLButtonElement>, index: number) => {
    const step = { ArrowRight: 1, ArrowLeft: -1 }[event.key];
    if (step === undefined || files.length === 0) return;
    event.preventDefault();
    const next = files[(index + step + files.length) % files.length];
    if (next) {
      onSelect(next.path);
      document.getElementById(tabId(labId, next.path))?.focus();
    }
  };
  return (
    <div className={styles.tabBar}>
      <div role="tablist" aria-label="Lab files" className={styles.tabs}>
        {files.map((file, index) => {
          const errors = errorCounts.get(file.path) ?? 0;
          const selected = file.path === active;
          return (
            <button
              key={file.path}
              id={tabId(labId, file.path)}
              type="button"
              role="tab"
              aria-selected={selected}
              aria-controls={`lab-${labId}-editor`}
              tabIndex={selected ? 0 : -1}
              className={styles.tab}
              onClick={() => onSelect(file.path)}
              onKeyDown={(event) => move(event, index)}
            >
              <span className={styles.tabName}>{file.path}</span>
              {file.readonly && <span className={styles.tabTag}>read-only</span>}
              {errors > 0 && (
                <span className={styles.tabErrors}>
                  {errors} {errors === 1 ? 'error' : 'errors'}
                </span>
              )}
            </button>
          );
        })}
      </div>
      <span className={styles.saveStatus} data-state={save} role="status">
        {SAVE_TEXT[save]}
      </span>
    </div>
  );
}
