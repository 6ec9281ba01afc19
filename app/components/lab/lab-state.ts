/**
 * Everything one <Lab> shows, as a pure reducer: the learner's files and which tab is open,
 * whether edits are saved, the check in flight and its stages, the last grade and its
 * diagnostics, Run output, revealed hints and progress. Socket calls live in useLab; this file
 * only decides what the learner sees next.
 */
import type {
  CheckReply,
  Diagnostic,
  Grade,
  LabView,
  LiveMapsEvent,
  SolutionReply,
} from '@/server/protocol/lab';
import {
  applyProgress,
  finishProgress,
  type ProgressEvent,
  progressAnnouncement,
  queueAnnouncement,
  type StageProgress,
  startProgress,
} from './check-progress';
import { type LiveMapsHistory, withSnapshot } from './live-maps';
import { firstError, labFileOf, placeDiagnostics, type SourcePosition } from './markers';
import { resultsView } from './results';

/** Run output beyond this many lines is dropped from the top; the pane says how many. */
export const MAX_OUTPUT_LINES = 1000;

export type LabFile = LabView['files'][number];
export type Busy = 'check' | 'run' | 'reset' | 'solution' | 'hint';

export interface RunOutput {
  lines: string[];
  dropped: number;
  grade: Grade | null;
  /** The program's maps while it runs (`lab:maps`), and each entry's readings so far. */
  liveMaps?: LiveMapsHistory;
}

export interface LabState {
  view: LabView | null;
  openError: string | null;
  files: LabFile[];
  active: string | null;
  /** Bumped by every change to the files; a save is current when it carried this revision. */
  revision: number;
  /**
   * Bumped when the files were replaced (reset, an applied solution): only then does the editor
   * write the state's contents into its models; otherwise the models are ahead of the state.
   */
  replacement: number;
  savedRevision: number;
  savingRevision: number | null;
  saveError: string | null;
  busy: Busy | null;
  /** The stages of the check (or run) in flight, or of the last one. */
  stages: StageProgress[] | null;
  /** The check's place in the server's grading queue while it waits (1 is next), else null. */
  queuePosition: number | null;
  grade: Grade | null;
  /** Shown as editor markers; cleared per file when the learner edits it. */
  diagnostics: Diagnostic[];
  /**
   * Where the editor should scroll to next (a new object each time, so it scrolls again); it
   * takes the keyboard focus only when the learner asked to go there.
   */
  reveal: Reveal | null;
  run: RunOutput | null;
  hints: string[];
  /**
   * The solution's editable files while they are shown beside the learner's (a diff per file
   * that differs), or null. Nothing of the learner's changes until they apply a file.
   */
  solution: LabFile[] | null;
  /** Why the last action could not be done (the server refused or did not answer). */
  notice: string | null;
}

export type Reveal = SourcePosition & { focus: boolean };

export type LabAction =
  | { type: 'opened'; view: LabView }
  | { type: 'open-failed'; error: string }
  | { type: 'edited'; path: string; content: string }
  | { type: 'selected'; path: string }
  | { type: 'revealed'; at: SourcePosition }
  | { type: 'save-started'; revision: number }
  | { type: 'save-finished'; revision: number; error: string | null }
  | { type: 'started'; busy: Busy }
  | { type: 'progress'; event: ProgressEvent }
  | { type: 'output'; line: string }
  | { type: 'maps'; event: LiveMapsEvent }
  /** A Check's reply: the grade, and the progress and solution rule it changed on the server. */
  | { type: 'checked'; reply: CheckReply }
  | { type: 'ran'; grade: Grade }
  | { type: 'files-replaced'; files: LabFile[] }
  /** Show solution answered: its files to show beside the learner's, the progress recording it. */
  | { type: 'solution-shown'; reply: SolutionReply }
  /** The learner applied the solution to these files: their contents become the solution's. */
  | { type: 'solution-applied'; paths: string[] }
  | { type: 'solution-closed' }
  | { type: 'hint-revealed'; text: string }
  | { type: 'failed'; error: string };

export const initialLabState: LabState = {
  view: null,
  openError: null,
  files: [],
  active: null,
  revision: 0,
  replacement: 0,
  savedRevision: 0,
  savingRevision: null,
  saveError: null,
  busy: null,
  stages: null,
  queuePosition: null,
  grade: null,
  diagnostics: [],
  reveal: null,
  run: null,
  hints: [],
  solution: null,
  notice: null,
};

export function labReducer(state: LabState, action: LabAction): LabState {
  switch (action.type) {
    case 'opened':
      return {
        ...initialLabState,
        view: action.view,
        files: action.view.files,
        active: action.view.files.find((f) => !f.readonly)?.path ?? action.view.files[0]?.path ?? null,
        // A lab opened again (a new socket) may bring other contents than the editor holds.
        replacement: state.replacement + 1,
      };
    case 'open-failed':
      return { ...state, openError: action.error };
    case 'edited': {
      const file = state.files.find((f) => f.path === action.path);
      if (!file || file.readonly || file.content === action.content) return state;
      return {
        ...state,
        files: state.files.map((f) => (f.path === action.path ? { ...f, content: action.content } : f)),
        revision: state.revision + 1,
        diagnostics: state.diagnostics.filter((d) => labFileOf(d.file, [action.path]) === undefined),
      };
    }
    case 'selected':
      return state.files.some((f) => f.path === action.path)
        ? { ...state, active: action.path, reveal: null }
        : state;
    case 'revealed':
      return state.files.some((f) => f.path === action.at.path)
        ? { ...state, active: action.at.path, reveal: { ...action.at, focus: true } }
        : state;
    case 'save-started':
      return { ...state, savingRevision: action.revision };
    case 'save-finished':
      return {
        ...state,
        savingRevision: null,
        saveError: action.error,
        savedRevision:
          action.error === null ? Math.max(state.savedRevision, action.revision) : state.savedRevision,
      };
    case 'started':
      return action.busy === 'check' || action.busy === 'run'
        ? {
            ...state,
            busy: action.busy,
            notice: null,
            stages: startProgress(),
            queuePosition: null,
            diagnostics: [],
            // A Check replaces the last grade; a Run shows its output beside the last Check's grade.
            grade: action.busy === 'run' ? state.grade : null,
            run: action.busy === 'run' ? { lines: [], dropped: 0, grade: null } : null,
          }
        : { ...state, busy: action.busy, notice: null };
    case 'progress':
      if (!state.stages || (state.busy !== 'check' && state.busy !== 'run')) return state;
      return action.event.stage === 'queued'
        ? { ...state, queuePosition: action.event.position }
        : { ...state, queuePosition: null, stages: applyProgress(state.stages, action.event) };
    case 'output':
      return state.run ? { ...state, run: appendLine(state.run, action.line) } : state;
    case 'maps':
      // Only while the Run is in flight: its reply's final maps are newer than any snapshot.
      return state.run && state.busy === 'run' && !state.run.grade
        ? { ...state, run: { ...state.run, liveMaps: withSnapshot(state.run.liveMaps, action.event) } }
        : state;
    case 'checked': {
      const { grade, progress, solutionAvailable } = action.reply;
      return {
        ...withDiagnostics(state, grade),
        busy: null,
        queuePosition: null,
        grade,
        // The server decides both; the files in the editor stay the learner's.
        view: state.view && { ...state.view, progress, solutionAvailable },
      };
    }
    case 'ran':
      return {
        ...withDiagnostics(state, action.grade),
        busy: null,
        queuePosition: null,
        run: { ...(state.run ?? { lines: [], dropped: 0 }), grade: action.grade },
      };
    case 'files-replaced':
      return { ...replaceContents(state, action.files), busy: null };
    case 'solution-shown': {
      const editable = new Set(state.files.filter((f) => !f.readonly).map((f) => f.path));
      return {
        ...state,
        busy: null,
        solution: action.reply.files.filter((f) => editable.has(f.path)),
        view: state.view && { ...state.view, progress: action.reply.progress },
      };
    }
    case 'solution-applied': {
      const applied = (state.solution ?? []).filter((f) => action.paths.includes(f.path));
      return applied.length === 0 ? state : replaceContents(state, applied);
    }
    case 'solution-closed':
      return { ...state, solution: null };
    case 'hint-revealed':
      return { ...state, busy: null, hints: [...state.hints, action.text] };
    case 'failed':
      return {
        ...state,
        busy: null,
        queuePosition: null,
        notice: action.error,
        stages:
          state.stages && (state.busy === 'check' || state.busy === 'run')
            ? finishProgress(state.stages, null)
            : state.stages,
      };
  }
}

/**
 * New contents for some files, as one replacement: saved like an edit (a new revision), written
 * into the editor's models (undoable there), their markers cleared.
 */
function replaceContents(state: LabState, files: readonly LabFile[]): LabState {
  const replaced = new Map(files.map((f) => [f.path, f.content]));
  const changed = state.files.filter((f) => replaced.has(f.path) && replaced.get(f.path) !== f.content);
  if (changed.length === 0) return state;
  return {
    ...state,
    files: state.files.map((f) => ({ ...f, content: replaced.get(f.path) ?? f.content })),
    revision: state.revision + 1,
    replacement: state.replacement + 1,
    diagnostics: state.diagnostics.filter(
      (d) =>
        labFileOf(
          d.file,
          changed.map((f) => f.path),
        ) === undefined,
    ),
  };
}

/** A learner's file beside the solution's, for each editable file whose contents differ. */
export interface SolutionDifference {
  path: string;
  mine: string;
  solution: string;
}

export function solutionDifferences(state: LabState): SolutionDifference[] {
  if (!state.solution) return [];
  const mine = new Map(state.files.map((f) => [f.path, f.content]));
  return state.solution
    .filter((f) => mine.has(f.path) && mine.get(f.path) !== f.content)
    .map((f) => ({ path: f.path, mine: mine.get(f.path)!, solution: f.content }));
}

export type SaveStatus = 'saved' | 'unsaved' | 'saving' | 'failed';

export function saveStatus(state: LabState): SaveStatus {
  if (state.savingRevision !== null) return 'saving';
  if (state.saveError !== null) return 'failed';
  return state.revision > state.savedRevision ? 'unsaved' : 'saved';
}

/** The learner's files as the protocol sends them (read-only files are the server's own). */
export function editableFiles(state: LabState): Record<string, string> {
  return Object.fromEntries(state.files.filter((f) => !f.readonly).map((f) => [f.path, f.content]));
}

function withDiagnostics(state: LabState, grade: Grade): LabState {
  const contents = Object.fromEntries(state.files.map((f) => [f.path, f.content]));
  const first = firstError(placeDiagnostics(grade.diagnostics, contents));
  return {
    ...state,
    stages: state.stages ? finishProgress(state.stages, grade) : null,
    diagnostics: grade.diagnostics,
    ...(first ? { active: first.path, reveal: { ...first, focus: false } } : {}),
  };
}

function appendLine(run: RunOutput, line: string): RunOutput {
  const lines = [...run.lines, line];
  const excess = lines.length - MAX_OUTPUT_LINES;
  return excess > 0
    ? { ...run, lines: lines.slice(excess), dropped: run.dropped + excess }
    : { ...run, lines };
}

/** The sentence the live region speaks now: the running stage, then the verdict. */
export function liveAnnouncement(state: LabState): string {
  if ((state.busy === 'check' || state.busy === 'run') && state.stages)
    return state.queuePosition !== null
      ? queueAnnouncement(state.queuePosition)
      : progressAnnouncement(state.stages);
  if (state.busy !== null || state.notice !== null) return '';
  // A Run's output is newer than the Check grade kept beside it (a Check clears the Run's).
  if (state.run?.grade) return `Run finished. ${state.run.grade.message}`;
  if (state.grade) {
    const view = resultsView(state.grade);
    return view.kind === 'platform'
      ? 'The platform could not grade this attempt.'
      : `${view.headline}. ${view.message}`;
  }
  return '';
}
