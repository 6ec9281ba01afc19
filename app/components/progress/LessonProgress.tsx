'use client';
/**
 * The learner's lab progress on the home page. The server answers `GET /api/progress` for the
 * learner of the session cookie; the page is rendered without it and fills it in after load, and
 * when the request fails (no server API, an error) the list simply shows no progress.
 */
import { createContext, type ReactNode, useContext, useEffect, useState } from 'react';
import { z } from 'zod';
import { featureName, KernelFeature } from '@/server/protocol/kernel-features';
import type { LabProgress } from '@/server/protocol/lab';
import { labVerdict } from './lab-verdict';
import { LastWorkedOn } from './last-worked-on';
import { countLesson, passedText, unavailableText } from './lesson-count';

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
  /**
   * Labs the learner's sandbox cannot run, with the features it lacks (server/labs/availability.ts);
   * absent or empty, every lab counts.
   */
  unavailable: z.record(z.string(), z.array(KernelFeature)).default({}),
  /** The lab the learner last worked on (their latest save), for Continue; null for a new learner. */
  last: LastWorkedOn.nullable().default(null),
});

type Progress = Record<string, LabProgress> | null;

const ProgressContext = createContext<Progress>(null);
const UnavailableContext = createContext<Record<string, KernelFeature[]>>({});
/** undefined until the answer came (or did not: then null, as for a learner who never saved). */
const LastWorkedOnContext = createContext<LastWorkedOn | null | undefined>(undefined);

export function ProgressProvider({ children }: { children: ReactNode }) {
  const [progress, setProgress] = useState<Progress>(null);
  const [unavailable, setUnavailable] = useState<Record<string, KernelFeature[]>>({});
  const [last, setLast] = useState<LastWorkedOn | null | undefined>(undefined);
  useEffect(() => {
    const abort = new AbortController();
    fetch('/api/progress', { cache: 'no-store', signal: abort.signal })
      .then(async (response) => {
        if (!response.ok) return;
        const parsed = ProgressResponse.safeParse(await response.json());
        if (!parsed.success) return;
        setProgress(parsed.data.labs);
        setUnavailable(parsed.data.unavailable);
        setLast(parsed.data.last);
      })
      .catch(() => {
        // Progress is a nicety on this page: without it the lesson list is still complete.
      })
      .finally(() => setLast((known) => known ?? null));
    return () => abort.abort();
  }, []);
  return (
    <ProgressContext value={progress}>
      <UnavailableContext value={unavailable}>
        <LastWorkedOnContext value={last}>{children}</LastWorkedOnContext>
      </UnavailableContext>
    </ProgressContext>
  );
}

/** The lab the learner last worked on: undefined while progress loads, null when there is none. */
export function useLastWorkedOn(): LastWorkedOn | null | undefined {
  return useContext(LastWorkedOnContext);
}

/**
 * "2 of 3 labs passed" for one lesson's labs (saying how many of those passes came with the
 * solution shown), then each started lab's best score and attempts ("hello-execve: best 8/8,
 * 2 attempts"), ending "passed with the solution shown" or "solution shown" when it was; nothing
 * until progress has loaded. A lab the learner's sandbox cannot run counts as unavailable here, not
 * unfinished ("1 of 2 labs passed", "1 unavailable here", "bcc-hello: unavailable here, needs BCC";
 * lesson-count.ts).
 */
export function LessonProgress({ labs }: { labs: readonly string[] }) {
  const progress = useContext(ProgressContext);
  const unavailableLabs = useContext(UnavailableContext);
  if (!progress || labs.length === 0) return null;
  const count = countLesson(labs, progress, unavailableLabs);
  const withSolution = labs.filter((id) => labVerdict(progress[id]) === 'passed-with-solution').length;
  const started = labs.filter((id) => {
    const lab = progress[id];
    return lab !== undefined && (lab.attempts > 0 || lab.solutionShown);
  });
  const summary = passedText(count);
  const unavailable = unavailableText(count);
  if (started.length === 0 && unavailable === null) return null;
  return (
    <>
      {summary !== null && started.length > 0 && (
        <span className={count.done ? 'progress progress-done' : 'progress'}>
          {withSolution === 0 ? summary : `${summary} (${withSolution} with the solution shown)`}
        </span>
      )}
      {unavailable !== null && <span className="progress progress-unavailable">{unavailable}</span>}
      {started.map((id) => (
        <span key={id} className="progress-detail">
          {labDetail(id, progress[id]!)}
        </span>
      ))}
      {count.unavailable.map(({ id, missing }) => (
        <span key={id} className="progress-detail">
          {`${id}: unavailable here, needs ${missing.map(featureName).join(', ')}`}
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
