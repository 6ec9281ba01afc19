'use client';
/**
 * Reads one of the instructor's API routes (server/http/class-api.ts) and says what came back:
 * the answer, a request to sign in (401), the class view being off (404 with the operator's
 * how-to), or another error in the server's words.
 */
import { useCallback, useEffect, useState } from 'react';
import type { ClassLabProgress } from '@/server/protocol/class';

export type ClassApiState<T> =
  | { kind: 'loading' }
  | { kind: 'signed-out' }
  | { kind: 'disabled'; message: string }
  | { kind: 'error'; message: string }
  | { kind: 'ready'; value: T };

export function useClassApi<T>(path: string): { state: ClassApiState<T>; reload: () => void } {
  const [state, setState] = useState<ClassApiState<T>>({ kind: 'loading' });
  const [generation, setGeneration] = useState(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: generation asks for a fresh read.
  useEffect(() => {
    const abort = new AbortController();
    fetch(path, { cache: 'no-store', signal: abort.signal })
      .then(async (response) => {
        const body = (await response.json().catch(() => ({}))) as { error?: string };
        if (response.ok) setState({ kind: 'ready', value: body as T });
        else if (response.status === 401) setState({ kind: 'signed-out' });
        else if (response.status === 404 && body.error?.includes('BPFLAB_INSTRUCTOR_SECRET')) {
          setState({ kind: 'disabled', message: body.error });
        } else setState({ kind: 'error', message: body.error ?? `the server answered ${response.status}` });
      })
      .catch((error: unknown) => {
        if (!abort.signal.aborted)
          setState({ kind: 'error', message: `the server did not answer (${String(error)})` });
      });
    return () => abort.abort();
  }, [path, generation]);
  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  return { state, reload };
}

/** When a learner last did something, in the reader's locale. */
export function formatWhen(at: number): string {
  return new Date(at).toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'short' });
}

/** How a learner is named in the class view: their chosen name, or anonymous, with the pseudonym. */
export function learnerName(learner: { displayName: string | null }): string {
  return learner.displayName ?? 'Anonymous';
}

/** One lab's outcome in words, keeping a pass of one's own apart from one with the solution shown. */
export function labStatus(progress: ClassLabProgress): string {
  if (progress.passed) {
    if (!progress.passedOnOwn) return 'Passed with the solution shown';
    return progress.solutionShown ? 'Passed, solution shown after' : 'Passed';
  }
  if (progress.attempts === 0)
    return progress.solutionShown ? 'Solution shown, not checked' : 'Not checked yet';
  return progress.solutionShown ? 'Not passed, solution shown' : 'Not passed';
}
