/**
 * Monaco for one lab: a model per file (so undo history and scroll position survive tab
 * switches), read-only files locked, grade diagnostics as markers, Ctrl/Cmd+Enter to Check, and
 * Escape to leave (Monaco keeps Tab for indenting): focus moves to the key hint under the editor,
 * from where Tab goes on to Check. Long lines wrap, so no code is cut off at the editor's edge.
 * Monaco itself is bundled into this site's chunks and loaded on first use (load-monaco.ts), once
 * the lab's shell is on screen (first-shell.ts).
 */
'use client';

import { useEffect, useRef, useState } from 'react';
import { afterFirstShell } from '@/app/components/terminal/first-shell';
import type { Diagnostic } from '@/server/protocol/lab';
import styles from './lab.module.css';
import type { LabFile, Reveal } from './lab-state';
import { type EditorMarker, placeDiagnostics } from './markers';
import { loadMonaco, type Monaco } from './monaco/load-monaco';

type Editor = ReturnType<Monaco['editor']['create']>;
type Model = NonNullable<ReturnType<Editor['getModel']>>;
type ViewState = ReturnType<Editor['saveViewState']>;

const MARKER_OWNER = 'bpflab-grade';
/** How long Monaco's load waits for the lab's shell to be drawn first (first-shell.ts). */
const MONACO_WAITS_FOR_SHELL_MS = 1500;
const DARK_THEME = 'bpflab-dark';

/**
 * When Escape leaves the editor: only when Monaco has no use for it (closing completion, find,
 * parameter hints, a hover, the problem peek or an inline message, collapsing a selection or
 * several cursors, leaving a snippet).
 */
const ESCAPE_LEAVES = [
  'suggestWidgetVisible',
  'findWidgetVisible',
  'parameterHintsVisible',
  'renameInputVisible',
  'markersNavigationVisible',
  'editorHoverVisible',
  'messageVisible',
  'editorHasSelection',
  'editorHasMultipleSelections',
  'inSnippetMode',
]
  .map((key) => `!${key}`)
  .join(' && ');

export interface CodeEditorProps {
  labId: string;
  files: readonly LabFile[];
  active: string | null;
  /** Shown in place of the editor while there are no files (the lab is opening, or failed to). */
  emptyText: string;
  /** Changes when the server replaced the files; see LabState.replacement. */
  replacement: number;
  diagnostics: readonly Diagnostic[];
  reveal: Reveal | null;
  /** When set, every file is read-only and typing shows this (the lab cannot run here). */
  locked: string | null;
  onEdit(path: string, content: string): void;
  onCheck(): void;
  /** The learner moved the cursor to `line` (1-based) of `path` (the Program view follows it). */
  onCursorLine?(path: string, line: number): void;
}

/**
 * How the lab's code reads in every Monaco view of it (the editor, the solution's diff): the
 * course's font, no minimap, long lines wrapped rather than run out of sight, and the wheel
 * handed back to the page once a view is at an end (the lab sits in a long lesson).
 */
export const CODE_VIEW = {
  automaticLayout: true,
  fontFamily: "'JetBrains Mono', ui-monospace, monospace",
  fontSize: 14,
  lineHeight: 21,
  minimap: { enabled: false },
  scrollBeyondLastLine: false,
  wordWrap: 'on',
  wrappingIndent: 'indent',
  scrollbar: { alwaysConsumeMouseWheel: false },
  // Monaco dims the number of an empty last line to a contrast of 1.75:1 (axe: color-contrast).
  renderFinalNewline: 'on',
} as const;

export function languageOf(path: string): string {
  if (/\.[ch]$/.test(path)) return 'c';
  if (/\.(sh|bash)$/.test(path)) return 'shell';
  if (/\.py$/.test(path)) return 'python';
  if (/\.ya?ml$/.test(path)) return 'yaml';
  return 'plaintext';
}

export function CodeEditor(props: CodeEditorProps) {
  const {
    labId,
    files,
    emptyText,
    active,
    replacement,
    diagnostics,
    reveal,
    locked,
    onEdit,
    onCheck,
    onCursorLine,
  } = props;
  const host = useRef<HTMLDivElement>(null);
  const exit = useRef<HTMLParagraphElement>(null);
  const [monaco, setMonaco] = useState<Monaco | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [editor, setEditor] = useState<Editor | null>(null);
  const models = useRef(new Map<string, Model>());
  const viewStates = useRef(new Map<string, ViewState>());
  const syncedReplacement = useRef(replacement);
  const callbacks = useRef({ onEdit, onCheck, onCursorLine });
  callbacks.current = { onEdit, onCheck, onCursorLine };

  useEffect(() => {
    let cancelled = false;
    afterFirstShell(MONACO_WAITS_FOR_SHELL_MS)
      .then(loadMonaco)
      .then(
        (m) => !cancelled && setMonaco(m),
        (error: unknown) =>
          !cancelled && setLoadError(error instanceof Error ? error.message : String(error)),
      );
    return () => {
      cancelled = true;
    };
  }, []);

  useEffect(() => {
    if (!monaco || !host.current) return;
    const created = monaco.editor.create(host.current, {
      model: null,
      ...CODE_VIEW,
      tabSize: 8,
      insertSpaces: false,
      fixedOverflowWidgets: true,
      ariaLabel: 'Lab code editor. Escape leaves the editor; Control+Enter checks.',
    });
    // An action, not addCommand: commands are global to the page and the last lab would win.
    created.addAction({
      id: 'bpflab.check',
      label: 'Check my solution',
      keybindings: [monaco.KeyMod.CtrlCmd | monaco.KeyCode.Enter],
      run: () => callbacks.current.onCheck(),
    });
    created.addAction({
      id: 'bpflab.leaveEditor',
      label: 'Leave the editor',
      keybindings: [monaco.KeyCode.Escape],
      keybindingContext: ESCAPE_LEAVES,
      run: () => exit.current?.focus(),
    });
    created.onDidChangeCursorPosition((event) => {
      const path = [...models.current].find(([, m]) => m === created.getModel())?.[0];
      if (path !== undefined) callbacks.current.onCursorLine?.(path, event.position.lineNumber);
    });
    setEditor(created);
    // JetBrains Mono may arrive after Monaco measured a fallback font.
    void document.fonts?.ready.then(() => monaco.editor.remeasureFonts());
    const owned = models.current;
    return () => {
      created.dispose();
      for (const model of owned.values()) model.dispose();
      owned.clear();
      setEditor(null);
    };
  }, [monaco]);

  useEffect(() => {
    if (!monaco) return;
    // vs-dark with comments at 5:1 on its background (its own #608b4e is 4.2:1, under WCAG AA).
    monaco.editor.defineTheme(DARK_THEME, {
      base: 'vs-dark',
      inherit: true,
      rules: [{ token: 'comment', foreground: '6a9955' }],
      colors: {},
    });
    const dark = window.matchMedia('(prefers-color-scheme: dark)');
    const apply = () => monaco.editor.setTheme(dark.matches ? DARK_THEME : 'vs');
    apply();
    dark.addEventListener('change', apply);
    return () => dark.removeEventListener('change', apply);
  }, [monaco]);

  // Models are created from the lab state once; after that Monaco is ahead of the state (it
  // reports each keystroke), so contents flow back into the models only when the server replaced
  // the files (reset, solution), as one undoable edit.
  useEffect(() => {
    if (!monaco || !editor) return;
    const replaced = syncedReplacement.current !== replacement;
    syncedReplacement.current = replacement;
    for (const file of files) {
      const existing = models.current.get(file.path);
      if (!existing) {
        const uri = monaco.Uri.from({ scheme: 'bpflab', path: `/${labId}/${file.path}` });
        const model =
          monaco.editor.getModel(uri) ?? monaco.editor.createModel(file.content, languageOf(file.path), uri);
        model.onDidChangeContent(() => callbacks.current.onEdit(file.path, model.getValue()));
        models.current.set(file.path, model);
      } else if (replaced && existing.getValue() !== file.content) {
        existing.pushEditOperations(
          [],
          [{ range: existing.getFullModelRange(), text: file.content }],
          () => null,
        );
      }
    }
  }, [monaco, editor, labId, files, replacement]);

  useEffect(() => {
    const model = active === null ? undefined : models.current.get(active);
    if (!editor || !model || active === null) return;
    if (editor.getModel() !== model) {
      const previous = [...models.current].find(([, m]) => m === editor.getModel())?.[0];
      if (previous !== undefined) viewStates.current.set(previous, editor.saveViewState());
      editor.setModel(model);
      const saved = viewStates.current.get(active);
      if (saved) editor.restoreViewState(saved);
    }
    const lockedFile = files.find((f) => f.path === active)?.readonly ?? false;
    editor.updateOptions({
      readOnly: locked !== null || lockedFile,
      readOnlyMessage: { value: locked ?? 'This file belongs to the lab and cannot be edited.' },
    });
  }, [editor, active, files, locked]);

  useEffect(() => {
    if (!monaco || !editor) return;
    const contents = Object.fromEntries(files.map((f) => [f.path, f.content]));
    const { byFile } = placeDiagnostics(diagnostics, contents);
    for (const [path, model] of models.current) {
      monaco.editor.setModelMarkers(
        model,
        MARKER_OWNER,
        (byFile.get(path) ?? []).map((m) => toMonaco(monaco, m)),
      );
    }
  }, [monaco, editor, diagnostics, files]);

  useEffect(() => {
    if (!editor || !reveal || reveal.path !== active) return;
    const position = { lineNumber: reveal.line, column: reveal.column };
    editor.setPosition(position);
    editor.revealPositionInCenter(position);
    if (reveal.focus) editor.focus();
  }, [editor, reveal, active]);

  return (
    <div className={styles.editor}>
      <div className={styles.editorSurface}>
        {loadError !== null ? (
          <p className={styles.editorPlaceholder} role="alert">
            The editor could not load: {loadError}
          </p>
        ) : (
          (!editor || files.length === 0) && (
            <p className={styles.editorPlaceholder} role="status">
              {files.length === 0 ? emptyText : 'Loading the editor…'}
            </p>
          )
        )}
        <div ref={host} className={styles.editorHost} data-testid="lab-editor" />
      </div>
      {/* Where Escape puts the keyboard: outside the editor, just before the lab's actions. */}
      <p ref={exit} className={styles.editorKeys} tabIndex={-1}>
        <kbd>Esc</kbd> leaves the editor · <kbd>Ctrl</kbd>+<kbd>Enter</kbd> checks
      </p>
    </div>
  );
}

function toMonaco(monaco: Monaco, marker: EditorMarker) {
  const severity = {
    error: monaco.MarkerSeverity.Error,
    warning: monaco.MarkerSeverity.Warning,
    note: monaco.MarkerSeverity.Info,
  }[marker.severity];
  return { ...marker, severity };
}
