'use client';
/**
 * The learner's lab progress on the home page. The server answers `GET /api/progress` for the
 * learner of the session cookie; the page is rendered without it and fills it in after load, and
 * when the request fails (no server API, an error) the list simply shows no progress.
 */
import { createContext, type ReactNode, useContext, useEffect, useState } from 'react';
import { z } from 'zod';
import type { LabProgress } from '@/server/protocol/lab';

const ProgressResponse = z.object({
  labs: z.record(
    z.string(),
    z.object({
      attempts: z.number().int().min(0),
      bestScore: z.number(),
      maxScore: z.number(),
      passed: z.boolean(),
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
 * "2 of 3 labs passed" for one lesson's labs, then each started lab's best score and attempts
 * ("hello-execve: best 8/8, 2 attempts"); nothing until progress has loaded.
 */
export function LessonProgress({ labs }: { labs: readonly string[] }) {
  const progress = useContext(ProgressContext);
  if (!progress || labs.length === 0) return null;
  const passed = labs.filter((id) => progress[id]?.passed).length;
  const started = labs.filter((id) => (progress[id]?.attempts ?? 0) > 0);
  if (started.length === 0) return null;
  const done = passed === labs.length;
  return (
    <>
      <span className={done ? 'progress progress-done' : 'progress'}>
        {done ? 'Done' : `${passed} of ${labs.length} ${labs.length === 1 ? 'lab' : 'labs'} passed`}
      </span>
      {started.map((id) => {
        const { bestScore, maxScore, attempts } = progress[id]!;
        return (
          <span key={id} className="progress-detail">
            {`${id}: best ${bestScore}/${maxScore}, ${attempts} ${attempts === 1 ? 'attempt' : 'attempts'}`}
          </span>
        );
      })}
    </>
  );
}
