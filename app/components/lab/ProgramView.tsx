/**
 * The program as the kernel sees it (issue 12, item 2), in the lab's right column: the source
 * beside clang's instructions, the instructions after the verifier rewrote them (marked where they
 * differ from clang's) and the JIT's machine code, or why the kernel does not show it. Choosing a
 * source line, here or by moving the editor's cursor, highlights its instructions in every column
 * and scrolls them into view (program-sync.ts holds the rule). "Build and load" asks the server
 * (`lab:program`) for the editor's files built and loaded in the learner's sandbox.
 *
 * `TerminalOrProgram` is the switch above the right column: the terminal stays mounted (its shell
 * keeps running) while the Program view is shown, and the other way round.
 */
'use client';

import { type KeyboardEvent, type ReactNode, useEffect, useMemo, useRef, useState } from 'react';
import type { PlatformSocket } from '@/app/lib/socket';
import type { CodeLine, LabView, ProgramView as ProgramViewReply } from '@/server/protocol/lab';
import { labRequest } from './lab-requests';
import styles from './ProgramView.module.css';
import {
  COLUMN_TITLES,
  type ColumnId,
  columnSummary,
  hasCode,
  instructionsOf,
  linesWithCode,
  programToShow,
  type SourceLine,
} from './program-sync';

type Shown = 'terminal' | 'program';
const PANES: { id: Shown; label: string }[] = [
  { id: 'terminal', label: 'Terminal' },
  { id: 'program', label: 'Program' },
];

export function TerminalOrProgram({
  labId,
  terminal,
  program,
}: {
  labId: string;
  terminal: ReactNode;
  program: ReactNode;
}) {
  const [shown, setShown] = useState<Shown>('terminal');
  const tabId = (id: Shown) => `lab-${labId}-pane-${id}`;
  const move = (event: KeyboardEvent<HTMLButtonElement>) => {
    if (event.key !== 'ArrowLeft' && event.key !== 'ArrowRight') return;
    event.preventDefault();
    const next: Shown = shown === 'terminal' ? 'program' : 'terminal';
    setShown(next);
    document.getElementById(tabId(next))?.focus();
  };
  return (
    <div className={styles.switcher}>
      <div role="tablist" aria-label="Right column" className={styles.paneTabs}>
        {PANES.map((pane) => (
          <button
            key={pane.id}
            id={tabId(pane.id)}
            type="button"
            role="tab"
            aria-selected={shown === pane.id}
            aria-controls={`${tabId(pane.id)}-panel`}
            tabIndex={shown === pane.id ? 0 : -1}
            className={styles.paneTab}
            onClick={() => setShown(pane.id)}
            onKeyDown={move}
          >
            {pane.label}
          </button>
        ))}
      </div>
      {PANES.map((pane) => (
        <div
          key={pane.id}
          id={`${tabId(pane.id)}-panel`}
          role="tabpanel"
          aria-labelledby={tabId(pane.id)}
          className={styles.panePanel}
          hidden={shown !== pane.id}
        >
          {pane.id === 'terminal' ? terminal : program}
        </div>
      ))}
    </div>
  );
}

export interface ProgramViewProps {
  labId: string;
  socket: PlatformSocket | null;
  /** The lab as opened (null while it opens): the view asks nothing before that. */
  lab: Pick<LabView, 'labTimeMs'> | null;
  /** The editable files as the editor holds them now. */
  files(): Record<string, string>;
  /** The line the editor's cursor is on: the view follows it. */
  editorLine: SourceLine | null;
  /** Why the program cannot be built here, when it cannot (the lab cannot run in this sandbox). */
  unavailable: string | null;
}

type Request = { kind: 'idle' } | { kind: 'loading' } | { kind: 'failed'; error: string };

export function ProgramView({ labId, socket, lab, files, editorLine, unavailable }: ProgramViewProps) {
  const [request, setRequest] = useState<Request>({ kind: 'idle' });
  const [view, setView] = useState<Extract<ProgramViewReply, { ok: true }> | null>(null);
  const [programName, setProgramName] = useState<string | null>(null);
  const [sourcePath, setSourcePath] = useState<string | null>(null);
  const [selected, setSelected] = useState<SourceLine | null>(null);

  useEffect(() => {
    if (editorLine) setSelected(editorLine);
  }, [editorLine]);

  const program = view ? programToShow(view.programs, programName) : null;
  const source = view?.sources.find((s) => s.path === (selected?.file ?? sourcePath)) ?? view?.sources[0];
  const withCode = useMemo(() => (program ? linesWithCode(program) : new Set<string>()), [program]);

  const build = async () => {
    if (!socket || !lab) return;
    setRequest({ kind: 'loading' });
    const reply = await labRequest(socket, 'lab:program', { labId, files: files() }, lab);
    if (!reply.ok) return setRequest({ kind: 'failed', error: reply.error });
    if (!reply.value.ok) return setRequest({ kind: 'failed', error: reply.value.error });
    setView(reply.value);
    setRequest({ kind: 'idle' });
  };

  const status =
    request.kind === 'loading'
      ? 'Building and loading your program in your sandbox…'
      : view && program
        ? `${program.name} (${program.section}): ${program.xlated.length} instructions after the verifier.`
        : view
          ? 'The object has no programs.'
          : 'Build and load your code to see it as clang wrote it, as the verifier left it and as the JIT compiled it.';

  return (
    <div className={styles.view}>
      <div className={styles.bar}>
        <button
          type="button"
          className={styles.build}
          onClick={() => void build()}
          disabled={request.kind === 'loading' || !socket || !lab || unavailable !== null}
          title={unavailable ?? undefined}
        >
          {view ? 'Build and load again' : 'Build and load'}
        </button>
        {view && view.programs.length > 1 && (
          <Picker
            label="Program"
            value={program?.name ?? ''}
            options={view.programs.map((p) => p.name)}
            onChange={setProgramName}
          />
        )}
        {view && view.sources.length > 1 && (
          <Picker
            label="File"
            value={source?.path ?? ''}
            options={view.sources.map((s) => s.path)}
            onChange={(path) => {
              setSourcePath(path);
              setSelected(null);
            }}
          />
        )}
        <p className={styles.status} role="status">
          {status}
        </p>
      </div>
      {unavailable !== null && <p className={styles.note}>{unavailable}</p>}
      {request.kind === 'failed' && (
        <p className={styles.error} role="alert">
          {request.error}
        </p>
      )}
      {program?.notes.map((note) => (
        <p key={note} className={styles.note}>
          {note}
        </p>
      ))}
      {program && source && (
        <div className={styles.columns}>
          <SourceColumn
            path={source.path}
            text={source.text}
            selected={selected}
            hasCode={(line) => hasCode(withCode, { file: source.path, line })}
            onSelect={setSelected}
          />
          <InstructionColumn id="clang" column={program.clang} selected={selected} />
          <InstructionColumn id="xlated" column={program.xlated} selected={selected} />
          <InstructionColumn
            id="jited"
            column={program.jited}
            selected={selected}
            unavailable={program.jitUnavailable}
          />
        </div>
      )}
    </div>
  );
}

/** A labelled choice among names (the object's programs, the lab's source files). */
function Picker(props: { label: string; value: string; options: string[]; onChange(value: string): void }) {
  return (
    <label className={styles.picker}>
      {props.label}{' '}
      <select value={props.value} onChange={(event) => props.onChange(event.target.value)}>
        {props.options.map((option) => (
          <option key={option} value={option}>
            {option}
          </option>
        ))}
      </select>
    </label>
  );
}

interface SourceColumnProps {
  path: string;
  text: string;
  selected: SourceLine | null;
  hasCode(line: number): boolean;
  onSelect(at: SourceLine): void;
}

function SourceColumn({ path, text, selected, hasCode, onSelect }: SourceColumnProps) {
  const lines = text.split('\n');
  const list = useRef<HTMLOListElement>(null);
  useEffect(() => {
    if (selected) scrollToCurrent(list.current);
  }, [selected]);
  return (
    <section className={styles.column} aria-label={`Source: ${path}`}>
      <h4 className={styles.columnTitle}>{path}</h4>
      <p className={styles.summary}>Lines with instructions can be chosen.</p>
      <ol className={styles.lines} ref={list}>
        {lines.map((code, index) => {
          const line = index + 1;
          const current = selected?.file === path && selected.line === line;
          return (
            <li key={line} aria-current={current ? 'true' : undefined} className={styles.sourceLine}>
              <button
                type="button"
                className={styles.lineButton}
                aria-pressed={current}
                disabled={!hasCode(line)}
                onClick={() => onSelect({ file: path, line })}
              >
                <span className={styles.lineNumber}>{line}</span>
                <span className={styles.code}>{code || ' '}</span>
              </button>
            </li>
          );
        })}
      </ol>
    </section>
  );
}

interface InstructionColumnProps {
  id: ColumnId;
  column: readonly CodeLine[] | null;
  selected: SourceLine | null;
  /** Why there is no column (the JIT's, hidden by the kernel), in words. */
  unavailable?: string | undefined;
}

function InstructionColumn({ id, column, selected, unavailable }: InstructionColumnProps) {
  const highlighted = new Set(instructionsOf(column, selected));
  const list = useRef<HTMLOListElement>(null);
  useEffect(() => {
    if (selected && column) scrollToCurrent(list.current);
  }, [selected, column]);
  const title = COLUMN_TITLES[id];
  return (
    <section className={styles.column} aria-label={title}>
      <h4 className={styles.columnTitle}>{title}</h4>
      {column ? (
        <>
          <p className={styles.summary}>
            {columnSummary(highlighted.size, selected, id === 'xlated' ? 'verifier' : 'instruction')}
          </p>
          {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolled list of text only: the keyboard scrolls it once focused */}
          <ol className={styles.lines} ref={list} tabIndex={0} aria-label={`${title} instructions`}>
            {column.map((insn, index) => (
              <li
                key={insn.offset}
                aria-current={highlighted.has(index) ? 'true' : undefined}
                className={styles.insn}
                data-changed={insn.changed ? 'true' : undefined}
                title={insn.line ? `line ${insn.line}` : undefined}
              >
                <span className={styles.lineNumber}>
                  {id === 'jited' ? insn.offset.toString(16) : insn.offset}
                </span>
                <span className={styles.code}>
                  {insn.text}
                  {insn.changed && <span className={styles.changedTag}> rewritten</span>}
                </span>
              </li>
            ))}
          </ol>
        </>
      ) : (
        <p className={styles.note}>No JIT code: {unavailable ?? 'the kernel did not return any.'}</p>
      )}
    </section>
  );
}

/** Scrolls `box` so that its first current item is in view, if it is not already. */
function scrollToCurrent(box: HTMLOListElement | null): void {
  const item = box?.querySelector<HTMLElement>('[aria-current="true"]');
  if (!box || !item) return;
  const top = item.offsetTop; // .lines is positioned: offsets are within the list
  if (top < box.scrollTop || top + item.offsetHeight > box.scrollTop + box.clientHeight)
    box.scrollTop = Math.max(0, top - box.clientHeight / 3);
}
