'use client';
/**
 * The learner's lab progress on the home page. The server answers `GET /api/progress` for the
 * learner of the session cookie; the page is rendered without it and fills it in after load, and
 * when the request fails (no server API, an error) the list simply shows no progress.
 */
import { createContext, type ReactNode, useContext, useEffect, useState } from 'react';
import { z } from 'zod';
import type { LabProgress } from '@/server/protocol/lab';
import { labVerdict } from './lab-verdict';

const ProgressResponse = z.object({
  labs: z.record(
    z.string(),
    z.object({
      attempts: z.number().int().min(0),
      bestScore: z.number(),
      maxScore: z.number(),
      passed: z.boolean(),
      solutionShown: z.boolean(),
      passedOnOwn: z.boolean(),
    }) satisfies z.ZodType<LabProgress>,
  ),
});

type Progress = Record<string, LabProgress> | null;

const ProgressContext = createContext<Progress>(null);

export function ProgressProvider({ children }: { children: ReactNode }) {
  const [progress, setProgress] = useState<Progress>(null);
  useEffect(() => {
    const abort = new AbortController();
    fetch('/api/progress', { cache: 'no-store', signal: abort.signal })
      .then(async (response) => {
        if (!response.ok) return;
        const parsed = ProgressResponse.safeParse(await response.json());
        if (parsed.success) setProgress(parsed.data.labs);
      })
      .catch(() => {
        // Progress is a nicety on this page: without it the lesson list is still complete.
      });
    return () => abort.abort();
  }, []);
  return <ProgressContext value={progress}>{children}</ProgressContext>;
}

/**
 * "2 of 3 labs passed" for one lesson's labs (saying how many of those passes came with the
 * solution shown), then each started lab's best score and attempts ("hello-execve: best 8/8,
 * 2 attempts"), ending "passed with the solution shown" or "solution shown" when it was; nothing
 * until progress has loaded.
 */
export function LessonProgress({ labs }: { labs: readonly string[] }) {
  const progress = useContext(ProgressContext);
  if (!progress || labs.length === 0) return null;
  const passed = labs.filter((id) => progress[id]?.passed).length;
  const withSolution = labs.filter((id) => labVerdict(progress[id]) === 'passed-with-solution').length;
  const started = labs.filter((id) => {
    const lab = progress[id];
    return lab !== undefined && (lab.attempts > 0 || lab.solutionShown);
  });
  if (started.length === 0) return null;
  const done = passed === labs.length;
  const summary = done ? 'Done' : `${passed} of ${labs.length} ${labs.length === 1 ? 'lab' : 'labs'} passed`;
  return (
    <>
      <span className={done ? 'progress progress-done' : 'progress'}>
        {withSolution === 0 ? summary : `${summary} (${withSolution} with the solution shown)`}
      </span>
      {started.map((id) => (
        <span key={id} className="progress-detail">
          {labDetail(id, progress[id]!)}
        </span>
      ))}
    </>
  );
}

/** "hello-execve: best 8/8, 2 attempts, passed with the solution shown". */
function labDetail(id: string, lab: LabProgress): string {
  const parts =
    lab.attempts > 0
      ? [
          `best ${lab.bestScore}/${lab.maxScore}`,
          `${lab.attempts} ${lab.attempts === 1 ? 'attempt' : 'attempts'}`,
        ]
      : [];
  const verdict = labVerdict(lab);
  if (verdict === 'passed-with-solution') parts.push('passed with the solution shown');
  if (verdict === 'solution-shown') parts.push('solution shown');
  return `${id}: ${parts.join(', ')}`;
}
