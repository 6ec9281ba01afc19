/**
 * `<Lab id="…">` in a lesson: the learner's files in Monaco, a terminal into their sandbox, and
 * Check / Run / Hint / Show solution / Reset, with the grade shown check by check. The lab is as
 * wide as the window (use-full-bleed.ts), laid out by LabWorkspace (editor beside terminal, the
 * verdict beside Check), and Focus mode shows it alone (use-focus-mode.ts).
 *
 * Where things go: notes about the whole lab between the header and the workspace; what the
 * last Check or Run said in the workspace's `feedback`; actions in Toolbar.tsx; the terminal and
 * the Program view (ProgramView.tsx, which follows the editor's cursor) share the right column.
 */
'use client';

import { type KeyboardEvent, useMemo, useRef, useState } from 'react';
import { labActionsUnavailable } from '@/app/components/connection/connection-notice';
import { Terminal } from '@/app/components/terminal/Terminal';
import { useConnectionStatus, usePlatformSocket } from '@/app/lib/socket';
import { CheckProgress } from './CheckProgress';
import { CodeEditor } from './CodeEditor';
import { FileTabs } from './FileTabs';
import { explainUnavailable } from './features';
import { Hints } from './Hints';
import { LabProgressBadge } from './LabProgressBadge';
import { LabWorkspace } from './LabWorkspace';
import styles from './lab.module.css';
import { labAnchor } from './lab-anchor';
import { editableFiles, liveAnnouncement, saveStatus, solutionDifferences } from './lab-state';
import { placeDiagnostics } from './markers';
import { ProgramView, TerminalOrProgram } from './ProgramView';
import type { SourceLine } from './program-sync';
import { ResultsPanel } from './ResultsPanel';
import { RunOutput } from './RunOutput';
import { SolutionDiff } from './SolutionDiff';
import { FileActions, Toolbar, type ToolbarProps } from './Toolbar';
import { UnavailableNotice } from './UnavailableNotice';
import { useFocusMode } from './use-focus-mode';
import { useFullBleed } from './use-full-bleed';
import { useLab } from './useLab';

/** `title`: the manifest's, shown until the server has opened the lab (LazyLab.tsx passes it). */
export function Lab({ id, title }: { id: string; title?: string }) {
  const socket = usePlatformSocket();
  const [state, lab] = useLab(id, socket);
  const connection = useConnectionStatus();
  const { view, files, active, diagnostics } = state;
  const titleId = `lab-${id}-title`;
  const root = useRef<HTMLElement>(null);
  useFullBleed(root);
  const [focusMode, setFocusMode] = useFocusMode(root);
  /** Where the editor's cursor is, for the Program view to follow. */
  const [editorLine, setEditorLine] = useState<SourceLine | null>(null);
  const latest = useRef(state);
  latest.current = state;

  const errorCounts = useMemo(() => {
    const contents = Object.fromEntries(files.map((f) => [f.path, f.content]));
    const counts = new Map<string, number>();
    for (const [path, markers] of placeDiagnostics(diagnostics, contents).byFile) {
      counts.set(path, markers.filter((m) => m.severity === 'error').length);
    }
    return counts;
  }, [files, diagnostics]);

  // A lab this sandbox cannot run is shown read-only, without Check and Run.
  const cannotRun = view ? explainUnavailable(view.missing, view.otherDriver) : null;

  // Ctrl/Cmd+Enter anywhere in the lab checks; the editor binds it itself, the terminal keeps it.
  const onKeyDown = (event: KeyboardEvent<HTMLElement>) => {
    if (event.key !== 'Enter' || !(event.ctrlKey || event.metaKey) || event.defaultPrevented) return;
    if (event.target instanceof Element && event.target.closest('[data-lab-terminal]')) return;
    if (cannotRun !== null) return;
    event.preventDefault();
    lab.check();
  };

  const actions: ToolbarProps = {
    unavailable: labActionsUnavailable(connection, {
      opened: view !== null,
      openFailed: state.openError !== null,
    }),
    unavailableId: `lab-${id}-unavailable`,
    busy: state.busy,
    missing: cannotRun === null ? [] : ['Check and Run are off: this lab cannot run in your sandbox.'],
    hintsLeft: (view?.hintCount ?? 0) - state.hints.length,
    hintCount: view?.hintCount ?? 0,
    solutionAllowed: view?.solutionAvailable ?? false,
    onCheck: lab.check,
    onRun: lab.run,
    onHint: lab.revealHint,
    onReset: lab.reset,
    onSolution: lab.showSolution,
  };

  return (
    <section
      ref={root}
      id={labAnchor(id)}
      className={styles.lab}
      data-focus-mode={focusMode}
      aria-labelledby={titleId}
      onKeyDown={onKeyDown}
    >
      <header className={styles.header}>
        <div className={styles.heading}>
          <div className={styles.titleLine}>
            <p className={styles.kicker}>Lab</p>
            <h3 id={titleId} className={styles.title}>
              {view?.title ?? title ?? id}
            </h3>
          </div>
          {view?.summary && <p className={styles.summary}>{view.summary}</p>}
        </div>
        <div className={styles.headerActions}>
          {view && <LabProgressBadge progress={view.progress} />}
          <FileActions {...actions} />
          <button
            type="button"
            className={styles.button}
            onClick={() => setFocusMode(!focusMode)}
            aria-keyshortcuts={focusMode ? 'Escape' : undefined}
          >
            {focusMode ? 'Leave focus mode' : 'Focus mode'}
          </button>
          {focusMode && (
            <span className={styles.keyHint}>
              <kbd>Esc</kbd> leaves it
            </span>
          )}
        </div>
      </header>

      {cannotRun !== null && <UnavailableNotice explanation={cannotRun} />}

      {state.openError !== null && (
        <p className={styles.error} role="alert">
          This lab could not be opened: {state.openError}
        </p>
      )}

      <LabWorkspace
        editorId={`lab-${id}-editor`}
        editor={
          <>
            {view && (
              <FileTabs
                labId={id}
                files={files}
                active={active}
                errorCounts={errorCounts}
                save={saveStatus(state)}
                onSelect={lab.select}
              />
            )}
            <CodeEditor
              labId={id}
              files={files}
              emptyText={state.openError === null ? 'Opening the lab…' : 'The lab is not available.'}
              active={active}
              replacement={state.replacement}
              diagnostics={diagnostics}
              reveal={state.reveal}
              onEdit={lab.edit}
              locked={
                cannotRun === null ? null : 'This lab cannot run in your sandbox, so its code is read-only.'
              }
              onCheck={() => cannotRun === null && lab.check()}
              onCursorLine={(file, line) => setEditorLine({ file, line })}
            />
          </>
        }
        actions={<Toolbar {...actions} />}
        feedback={
          <>
            {state.notice !== null && (
              <p className={styles.error} role="alert">
                {state.notice}
              </p>
            )}
            <CheckProgress
              stages={state.stages}
              queuePosition={state.queuePosition}
              announcement={liveAnnouncement(state)}
            />
            {state.grade && (
              <ResultsPanel
                labId={id}
                grade={state.grade}
                filePaths={files.map((f) => f.path)}
                onReveal={lab.reveal}
              />
            )}
            <Hints hints={state.hints} />
            {state.run && <RunOutput labId={id} run={state.run} running={state.busy === 'run'} />}
            {!state.grade && !state.run && state.stages === null && (
              <p className={styles.feedbackEmpty}>
                Check (Ctrl+Enter) grades your code; the verdict shows here.
              </p>
            )}
          </>
        }
        terminal={
          <TerminalOrProgram
            labId={id}
            terminal={<Terminal />}
            program={
              <ProgramView
                labId={id}
                socket={socket}
                lab={view}
                files={() => editableFiles(latest.current)}
                editorLine={editorLine}
                unavailable={cannotRun === null ? null : 'This lab cannot run in your sandbox.'}
              />
            }
          />
        }
      />

      {state.solution && (
        <SolutionDiff
          differences={solutionDifferences(state)}
          onApply={lab.applySolution}
          onClose={lab.closeSolution}
        />
      )}
    </section>
  );
}
