/**
 * `<Lab id="…">` in a lesson: the learner's files in Monaco, a terminal into their sandbox, and
 * Check / Run / Hint / Show solution / Reset, with the grade shown check by check.
 */
'use client';

import { type KeyboardEvent, useMemo } from 'react';
import { labActionsUnavailable } from '@/app/components/connection/connection-notice';
import { Terminal } from '@/app/components/terminal/Terminal';
import { useConnectionStatus, usePlatformSocket } from '@/app/lib/socket';
import { CheckProgress } from './CheckProgress';
import { CodeEditor } from './CodeEditor';
import { FileTabs } from './FileTabs';
import { explainUnavailable } from './features';
import { Hints } from './Hints';
import { LabProgressBadge } from './LabProgressBadge';
import styles from './lab.module.css';
import { labAnchor } from './lab-anchor';
import { liveAnnouncement, saveStatus, solutionDifferences } from './lab-state';
import { placeDiagnostics } from './markers';
import { ResultsPanel } from './ResultsPanel';
import { RunOutput } from './RunOutput';
import { SolutionDiff } from './SolutionDiff';
import { Toolbar } from './Toolbar';
import { UnavailableNotice } from './UnavailableNotice';
import { useLab } from './useLab';

export function Lab({ id }: { id: string }) {
  const socket = usePlatformSocket();
  const [state, lab] = useLab(id, socket);
  const connection = useConnectionStatus();
  const { view, files, active, diagnostics } = state;
  const titleId = `lab-${id}-title`;

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

  return (
    <section id={labAnchor(id)} className={styles.lab} aria-labelledby={titleId} onKeyDown={onKeyDown}>
      <header className={styles.header}>
        <div>
          <p className={styles.kicker}>Lab</p>
          <h3 id={titleId} className={styles.title}>
            {view?.title ?? id}
          </h3>
          {view?.summary && <p className={styles.summary}>{view.summary}</p>}
        </div>
        {view && <LabProgressBadge progress={view.progress} />}
      </header>

      {cannotRun !== null && <UnavailableNotice explanation={cannotRun} />}

      {state.openError !== null && (
        <p className={styles.error} role="alert">
          This lab could not be opened: {state.openError}
        </p>
      )}

      <div className={styles.workspace}>
        <div className={styles.editorPane} id={`lab-${id}-editor`}>
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
          />
        </div>
        <div className={styles.terminalPane} data-lab-terminal>
          <Terminal />
        </div>
      </div>

      <Toolbar
        unavailable={labActionsUnavailable(connection, {
          opened: view !== null,
          openFailed: state.openError !== null,
        })}
        unavailableId={`lab-${id}-unavailable`}
        busy={state.busy}
        missing={cannotRun === null ? [] : ['Check and Run are off: this lab cannot run in your sandbox.']}
        hintsLeft={(view?.hintCount ?? 0) - state.hints.length}
        hintCount={view?.hintCount ?? 0}
        solutionAllowed={view?.solutionAvailable ?? false}
        onCheck={lab.check}
        onRun={lab.run}
        onHint={lab.revealHint}
        onReset={lab.reset}
        onSolution={lab.showSolution}
      />

      {state.solution && (
        <SolutionDiff
          differences={solutionDifferences(state)}
          onApply={lab.applySolution}
          onClose={lab.closeSolution}
        />
      )}

      {state.notice !== null && (
        <p className={styles.error} role="alert">
          {state.notice}
        </p>
      )}
      <Hints hints={state.hints} />
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
      {state.run && <RunOutput labId={id} run={state.run} running={state.busy === 'run'} />}
    </section>
  );
}
