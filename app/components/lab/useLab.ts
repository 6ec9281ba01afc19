/**
 * One lab's conversation with the server: open it, autosave edits (debounced), Check, Run,
 * Reset, Show solution, Hint, and the `lab:progress` / `lab:output` / `lab:maps` streams for this lab.
 * Decisions about what to show live in lab-state.ts; this hook only does the talking.
 */
import { useCallback, useEffect, useMemo, useReducer, useRef } from 'react';
import { type PlatformSocket, useConnectionStatus } from '@/app/lib/socket';
import { type LabPayload, type LabValue, labRequest } from './lab-requests';
import { type Busy, editableFiles, initialLabState, type LabState, labReducer } from './lab-state';
import type { SourcePosition } from './markers';

/** Typing pauses this long before the files are saved. */
export const AUTOSAVE_DELAY_MS = 800;
/** After a failed save, wait longer before the next try (the server may be restarting). */
const RETRY_SAVE_DELAY_MS = 5_000;
/** Said when a Check (Ctrl+Enter) or another request is asked for while the connection is down. */
const NOT_SENT_OFFLINE =
  'Not connected to the server, so nothing was sent; try again once the connection is back.';

/** The requests a learner starts with a button; each makes the lab busy until it is answered. */
type LabCommand = 'lab:check' | 'lab:run' | 'lab:reset' | 'lab:solution' | 'lab:hint';

const BUSY: Record<LabCommand, Busy> = {
  'lab:check': 'check',
  'lab:run': 'run',
  'lab:reset': 'reset',
  'lab:solution': 'solution',
  'lab:hint': 'hint',
};

export interface LabControls {
  edit(path: string, content: string): void;
  select(path: string): void;
  reveal(at: SourcePosition): void;
  check(): void;
  run(): void;
  reset(): void;
  /** Asks for the solution, to show beside the learner's files; it replaces nothing. */
  showSolution(): void;
  /** Replaces these files' contents with the shown solution's, as an edit (saved, undoable). */
  applySolution(paths: string[]): void;
  closeSolution(): void;
  revealHint(): void;
}

export function useLab(labId: string, socket: PlatformSocket | null): [LabState, LabControls] {
  const [state, dispatch] = useReducer(labReducer, initialLabState);
  const latest = useRef(state);
  latest.current = state;

  useEffect(() => {
    if (!socket) return;
    let current = true;
    const open = () =>
      void labRequest(socket, 'lab:open', { labId }).then((reply) => {
        if (current)
          dispatch(
            reply.ok ? { type: 'opened', view: reply.value } : { type: 'open-failed', error: reply.error },
          );
      });
    open();
    // A lab that could not be opened (the server was out of reach) opens once the connection is back.
    const reopen = () => {
      if (latest.current.openError !== null) open();
    };
    socket.on('connect', reopen);
    const onProgress: Parameters<typeof socket.on<'lab:progress'>>[1] = (event) => {
      if (event.labId === labId) dispatch({ type: 'progress', event });
    };
    const onOutput: Parameters<typeof socket.on<'lab:output'>>[1] = (event) => {
      if (event.labId === labId) dispatch({ type: 'output', line: event.line });
    };
    const onMaps: Parameters<typeof socket.on<'lab:maps'>>[1] = (event) => {
      if (event.labId === labId) dispatch({ type: 'maps', event });
    };
    socket.on('lab:progress', onProgress);
    socket.on('lab:output', onOutput);
    socket.on('lab:maps', onMaps);
    return () => {
      current = false;
      socket.off('connect', reopen);
      socket.off('lab:progress', onProgress);
      socket.off('lab:output', onOutput);
      socket.off('lab:maps', onMaps);
    };
  }, [socket, labId]);

  // Saves wait for the connection (socket.io would hold them and send stale copies later); once it
  // is back, what was edited meanwhile is saved without the retry delay.
  const connected = useConnectionStatus().state === 'connected';
  const failedOffline = useRef(false);
  const { revision, savedRevision, savingRevision, saveError, view } = state;
  useEffect(() => {
    if (!socket || !connected || !view || savingRevision !== null || revision <= savedRevision) return;
    const timer = setTimeout(
      async () => {
        const snapshot = latest.current;
        dispatch({ type: 'save-started', revision: snapshot.revision });
        const reply = await labRequest(socket, 'lab:save', { labId, files: editableFiles(snapshot) });
        failedOffline.current = !reply.ok && !socket.connected;
        dispatch({
          type: 'save-finished',
          revision: snapshot.revision,
          error: reply.ok ? null : reply.error,
        });
      },
      saveError === null || failedOffline.current ? AUTOSAVE_DELAY_MS : RETRY_SAVE_DELAY_MS,
    );
    return () => clearTimeout(timer);
  }, [socket, connected, labId, view, revision, savedRevision, savingRevision, saveError]);

  // Closing the tab within the autosave delay must not lose the last keystrokes.
  useEffect(() => {
    if (!socket) return;
    const flush = () => {
      const s = latest.current;
      if (s.view && s.revision > s.savedRevision)
        socket.emit('lab:save', { labId, files: editableFiles(s) }, () => {});
    };
    // Offline, that last save cannot leave the page: the browser asks before the edits are lost.
    const warnOffline = (event: BeforeUnloadEvent) => {
      const s = latest.current;
      if (!socket.connected && s.view && s.revision > s.savedRevision) event.preventDefault();
    };
    window.addEventListener('pagehide', flush);
    window.addEventListener('beforeunload', warnOffline);
    return () => {
      window.removeEventListener('pagehide', flush);
      window.removeEventListener('beforeunload', warnOffline);
      flush();
    };
  }, [socket, labId]);

  const perform = useCallback(
    async <E extends LabCommand>(
      event: E,
      payload: () => LabPayload<E>,
      done: (value: LabValue<E>) => void,
    ) => {
      const { view, busy } = latest.current;
      if (!socket || !view || busy !== null) return;
      // socket.io would hold the request and send it whenever the connection returns.
      if (!socket.connected) return dispatch({ type: 'failed', error: NOT_SENT_OFFLINE });
      dispatch({ type: 'started', busy: BUSY[event] });
      const reply = await labRequest(socket, event, payload(), view);
      if (reply.ok) done(reply.value);
      else dispatch({ type: 'failed', error: reply.error });
    },
    [socket],
  );

  const controls = useMemo<LabControls>(() => {
    const files = () => ({ labId, files: editableFiles(latest.current) });
    return {
      edit: (path, content) => dispatch({ type: 'edited', path, content }),
      select: (path) => dispatch({ type: 'selected', path }),
      reveal: (at) => dispatch({ type: 'revealed', at }),
      // The reply carries the progress and solution rule the Check changed on the server.
      check: () => void perform('lab:check', files, (reply) => dispatch({ type: 'checked', reply })),
      run: () => void perform('lab:run', files, (grade) => dispatch({ type: 'ran', grade })),
      reset: () =>
        void perform(
          'lab:reset',
          () => ({ labId }),
          (files) => dispatch({ type: 'files-replaced', files }),
        ),
      showSolution: () =>
        void perform(
          'lab:solution',
          () => ({ labId }),
          (reply) => dispatch({ type: 'solution-shown', reply }),
        ),
      applySolution: (paths) => dispatch({ type: 'solution-applied', paths }),
      closeSolution: () => dispatch({ type: 'solution-closed' }),
      revealHint: () =>
        void perform(
          'lab:hint',
          () => ({ labId, index: latest.current.hints.length }),
          (text) => dispatch({ type: 'hint-revealed', text }),
        ),
    };
  }, [perform, labId]);

  return [state, controls];
}
