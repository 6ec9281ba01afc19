import { describe, expect, it } from 'vitest';
import type { Grade, LabView } from '@/server/protocol/lab';
import {
  editableFiles,
  initialLabState,
  type LabAction,
  type LabState,
  labReducer,
  liveAnnouncement,
  MAX_OUTPUT_LINES,
  saveStatus,
  solutionDifferences,
} from './lab-state';

const view: LabView = {
  id: 'hello-execve',
  title: 'Hello, execve',
  summary: 'A tracepoint on every new process.',
  files: [
    { path: 'common.h', readonly: true, content: '#pragma once\n' },
    { path: 'hello.bpf.c', readonly: false, content: 'int x;\n' },
    { path: 'hello.h', readonly: false, content: 'struct event {};\n' },
  ],
  hintCount: 2,
  labTimeMs: 15_000,
  solutionAvailable: false,
  requires: ['tracepoint', 'ringbuf'],
  missing: [],
  otherDriver: null,
  progress: null,
};

function grade(overrides: Partial<Grade> = {}): Grade {
  return {
    gradable: true,
    score: 10,
    maxScore: 10,
    checks: [{ id: 'compile', title: 'It compiles', status: 'passed', points: 10, maxPoints: 10 }],
    diagnostics: [],
    timings: { compile: 40, total: 400 },
    message: 'All checks passed.',
    log: '',
    ...overrides,
  };
}

/** A Check's reply that changed nothing but the grade. */
function checked(grade: Grade): LabAction {
  return { type: 'checked', reply: { grade, progress: null, solutionAvailable: false } };
}

const failing = grade({
  score: 0,
  message: '0 of 1 checks passed (0/10 points).',
  checks: [{ id: 'compile', title: 'It compiles', status: 'failed', points: 0, maxPoints: 10 }],
  diagnostics: [
    { file: 'hello.h', line: 1, column: 8, severity: 'error', source: 'clang', message: 'expected ;' },
    { file: 'hello.bpf.c', line: 1, column: 5, severity: 'warning', source: 'clang', message: 'unused' },
  ],
});

function run(...actions: LabAction[]): LabState {
  return actions.reduce(labReducer, initialLabState);
}

describe('opening a lab', () => {
  it('shows the first editable file, saved', () => {
    const state = run({ type: 'opened', view });
    expect(state.active).toBe('hello.bpf.c');
    expect(saveStatus(state)).toBe('saved');
    expect(editableFiles(state)).toEqual({ 'hello.bpf.c': 'int x;\n', 'hello.h': 'struct event {};\n' });
  });
});

describe('editing and saving', () => {
  it('ignores edits to read-only files', () => {
    const opened = run({ type: 'opened', view });
    expect(labReducer(opened, { type: 'edited', path: 'common.h', content: 'oops' })).toBe(opened);
  });

  it('stays unsaved when the learner typed while a save was in flight', () => {
    let state = run({ type: 'opened', view }, { type: 'edited', path: 'hello.bpf.c', content: 'int y;\n' });
    expect(saveStatus(state)).toBe('unsaved');
    state = labReducer(state, { type: 'save-started', revision: state.revision });
    expect(saveStatus(state)).toBe('saving');
    const inFlight = state.revision;
    state = labReducer(state, { type: 'edited', path: 'hello.bpf.c', content: 'int z;\n' });
    state = labReducer(state, { type: 'save-finished', revision: inFlight, error: null });
    expect(saveStatus(state)).toBe('unsaved');
    state = labReducer(state, { type: 'save-started', revision: state.revision });
    state = labReducer(state, { type: 'save-finished', revision: state.revision, error: null });
    expect(saveStatus(state)).toBe('saved');
  });

  it('reports a failed save until a later one succeeds', () => {
    let state = run({ type: 'opened', view }, { type: 'edited', path: 'hello.bpf.c', content: 'a' });
    state = labReducer(state, { type: 'save-started', revision: 1 });
    state = labReducer(state, { type: 'save-finished', revision: 1, error: 'disconnected' });
    expect(saveStatus(state)).toBe('failed');
    state = labReducer(state, { type: 'save-started', revision: 1 });
    state = labReducer(state, { type: 'save-finished', revision: 1, error: null });
    expect(saveStatus(state)).toBe('saved');
  });
});

describe('checking', () => {
  it('opens the tab of the first error and marks its line', () => {
    const state = run({ type: 'opened', view }, { type: 'started', busy: 'check' }, checked(failing));
    expect(state.busy).toBeNull();
    expect(state.active).toBe('hello.h');
    expect(state.reveal).toEqual({ path: 'hello.h', line: 1, column: 8, focus: false });
    expect(state.diagnostics).toHaveLength(2);
  });

  it('clears the markers of a file when the learner edits it, and all of them on the next check', () => {
    let state = run({ type: 'opened', view }, { type: 'started', busy: 'check' }, checked(failing));
    state = labReducer(state, { type: 'edited', path: 'hello.h', content: 'struct event {};\n' + ' ' });
    expect(state.diagnostics.map((d) => d.file)).toEqual(['hello.bpf.c']);
    state = labReducer(state, { type: 'started', busy: 'check' });
    expect(state.diagnostics).toEqual([]);
    expect(state.grade).toBeNull();
  });

  it('keeps the last Check grade beside a Run, and a new Check replaces both', () => {
    const afterCheck = run({ type: 'opened', view }, { type: 'started', busy: 'check' }, checked(failing));
    const running = labReducer(afterCheck, { type: 'started', busy: 'run' });
    expect(running.grade).toBe(failing);
    expect(running.run).toEqual({ lines: [], dropped: 0, grade: null });
    const ran = labReducer(running, { type: 'ran', grade: grade() });
    expect(ran.grade).toBe(failing);
    expect(liveAnnouncement(ran)).toMatch(/^Run finished\./);
    const checking = labReducer(ran, { type: 'started', busy: 'check' });
    expect(checking.run).toBeNull();
    expect(checking.grade).toBeNull();
  });

  it('takes progress and whether the solution may be shown from the Check reply, keeping the files', () => {
    const edited = run(
      { type: 'opened', view },
      { type: 'edited', path: 'hello.bpf.c', content: 'mine' },
      { type: 'started', busy: 'check' },
    );
    const progress = {
      attempts: 1,
      bestScore: 0,
      maxScore: 10,
      passed: false,
      solutionShown: false,
      passedOnOwn: false,
    };
    const after = labReducer(edited, {
      type: 'checked',
      reply: { grade: failing, progress, solutionAvailable: true },
    });
    expect(after.view).toMatchObject({ solutionAvailable: true, progress });
    expect(after.grade).toBe(failing);
    expect(editableFiles(after)['hello.bpf.c']).toBe('mine');
  });

  it('settles the stages and keeps the reason when the server does not answer', () => {
    const state = run(
      { type: 'opened', view },
      { type: 'started', busy: 'check' },
      { type: 'progress', event: { labId: view.id, stage: 'compile', status: 'running' } },
      { type: 'failed', error: 'The server did not answer within 120 s.' },
    );
    expect(state.notice).toBe('The server did not answer within 120 s.');
    expect(state.stages?.map((s) => s.status)).toEqual(['fault', 'not-run', 'not-run', 'not-run', 'not-run']);
  });
});

describe('run output', () => {
  it('keeps the newest lines and counts the dropped ones', () => {
    const lines = Array.from(
      { length: MAX_OUTPUT_LINES + 5 },
      (_, i): LabAction => ({ type: 'output', line: `${i}` }),
    );
    const state = run({ type: 'opened', view }, { type: 'started', busy: 'run' }, ...lines);
    expect(state.run?.lines[0]).toBe('5');
    expect(state.run?.dropped).toBe(5);
  });
});

describe('reset and solution', () => {
  it('replaces the contents, keeps read-only flags and needs saving', () => {
    const state = run(
      { type: 'opened', view },
      { type: 'started', busy: 'reset' },
      { type: 'files-replaced', files: [{ path: 'hello.bpf.c', readonly: false, content: 'starter' }] },
    );
    expect(state.files.map((f) => [f.path, f.readonly, f.content])).toEqual([
      ['common.h', true, '#pragma once\n'],
      ['hello.bpf.c', false, 'starter'],
      ['hello.h', false, 'struct event {};\n'],
    ]);
    expect(saveStatus(state)).toBe('unsaved');
    expect(state.replacement).toBe(2);
  });

  it('leaves the editor alone on ordinary edits', () => {
    expect(
      run({ type: 'opened', view }, { type: 'edited', path: 'hello.bpf.c', content: 'x' }).replacement,
    ).toBe(1);
  });
});

describe("the solution, shown beside the learner's code", () => {
  const shownProgress = {
    attempts: 1,
    bestScore: 2,
    maxScore: 10,
    passed: false,
    solutionShown: true,
    passedOnOwn: false,
  };
  const shown = (): LabState =>
    run(
      { type: 'opened', view },
      { type: 'edited', path: 'hello.bpf.c', content: 'int mine;\n' },
      { type: 'started', busy: 'solution' },
      {
        type: 'solution-shown',
        reply: {
          files: [
            { path: 'common.h', readonly: true, content: '#pragma once\n' },
            { path: 'hello.bpf.c', readonly: false, content: 'int solved;\n' },
            { path: 'hello.h', readonly: false, content: 'struct event { int pid; };\n' },
          ],
          progress: shownProgress,
        },
      },
    );

  it("changes none of the learner's files, lists each that differs, and records the reveal", () => {
    const state = shown();
    expect(editableFiles(state)).toEqual({ 'hello.bpf.c': 'int mine;\n', 'hello.h': 'struct event {};\n' });
    expect(state.replacement).toBe(1);
    expect(state.busy).toBeNull();
    expect(state.view?.progress).toEqual(shownProgress);
    expect(solutionDifferences(state)).toEqual([
      { path: 'hello.bpf.c', mine: 'int mine;\n', solution: 'int solved;\n' },
      { path: 'hello.h', mine: 'struct event {};\n', solution: 'struct event { int pid; };\n' },
    ]);
  });

  it('compares with what the learner types while the solution is open', () => {
    const state = labReducer(shown(), { type: 'edited', path: 'hello.bpf.c', content: 'int solved;\n' });
    expect(solutionDifferences(state).map((d) => d.path)).toEqual(['hello.h']);
  });

  it('applies one file as an edit to be saved and written into the editor, the other untouched', () => {
    const before = shown();
    const state = labReducer(before, { type: 'solution-applied', paths: ['hello.bpf.c'] });
    expect(editableFiles(state)).toEqual({ 'hello.bpf.c': 'int solved;\n', 'hello.h': 'struct event {};\n' });
    expect(saveStatus(state)).toBe('unsaved');
    expect(state.revision).toBe(before.revision + 1);
    expect(state.replacement).toBe(before.replacement + 1);
    expect(solutionDifferences(state).map((d) => d.path)).toEqual(['hello.h']);

    const all = labReducer(state, { type: 'solution-applied', paths: ['hello.bpf.c', 'hello.h'] });
    expect(solutionDifferences(all)).toEqual([]);
    expect(all.files.find((f) => f.path === 'common.h')?.content).toBe('#pragma once\n');
    // Applying what is already there changes nothing, so nothing is saved again.
    expect(labReducer(all, { type: 'solution-applied', paths: ['hello.h'] })).toBe(all);
  });

  it('closes without touching the files', () => {
    const before = shown();
    const state = labReducer(before, { type: 'solution-closed' });
    expect(state.solution).toBeNull();
    expect(state.files).toBe(before.files);
    expect(solutionDifferences(state)).toEqual([]);
  });
});

describe('live announcements', () => {
  it('speaks the running stage, then the verdict', () => {
    let state = run({ type: 'opened', view }, { type: 'started', busy: 'check' });
    state = labReducer(state, {
      type: 'progress',
      event: { labId: view.id, stage: 'load', status: 'running' },
    });
    expect(liveAnnouncement(state)).toBe('Load and verify…');
    state = labReducer(state, checked(failing));
    expect(liveAnnouncement(state)).toBe('Not passed yet. 0 of 1 checks passed (0/10 points).');
  });
});

describe('the grading queue', () => {
  it('shows the place in line while the check waits, and the stages once it runs', () => {
    const waiting = run(
      { type: 'opened', view },
      { type: 'started', busy: 'check' },
      { type: 'progress', event: { labId: view.id, stage: 'queued', position: 3 } },
      { type: 'progress', event: { labId: view.id, stage: 'queued', position: 2 } },
    );
    expect(waiting.queuePosition).toBe(2);
    expect(liveAnnouncement(waiting)).toBe('Waiting for a free grader: 1 ahead of yours.');
    const running = labReducer(waiting, {
      type: 'progress',
      event: { labId: view.id, stage: 'compile', status: 'running' },
    });
    expect(running.queuePosition).toBeNull();
    expect(liveAnnouncement(running)).toBe('Compile…');
  });
});
