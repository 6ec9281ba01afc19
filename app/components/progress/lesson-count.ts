/**
 * How the course counts a lesson's labs for the learner: a lab their sandbox cannot run (the
 * progress API's `unavailable`) is unavailable here, not unfinished, unless they passed it
 * already (somewhere it could run); a lesson whose other labs are all passed is done.
 */
import type { KernelFeature } from '@/server/protocol/kernel-features';
import type { LabProgress } from '@/server/protocol/lab';

export interface LessonCount {
  /** Labs the lesson counts: all but the unavailable ones. */
  counted: number;
  /** Labs passed. */
  passed: number;
  /** Labs the learner's sandbox cannot run and they have not passed, with the features missing. */
  unavailable: { id: string; missing: readonly KernelFeature[] }[];
  /** Every counted lab passed, and there is one. */
  done: boolean;
}

export function countLesson(
  labs: readonly string[],
  progress: Readonly<Record<string, LabProgress>>,
  unavailableLabs: Readonly<Record<string, readonly KernelFeature[]>>,
): LessonCount {
  const passed = labs.filter((id) => progress[id]?.passed).length;
  const unavailable = labs.flatMap((id) => {
    const missing = unavailableLabs[id];
    return missing && !progress[id]?.passed ? [{ id, missing }] : [];
  });
  const counted = labs.length - unavailable.length;
  return { counted, passed, unavailable, done: counted > 0 && passed === counted };
}

/** "Done", or "1 of 2 labs passed" of the counted labs; null when none is counted. */
export function passedText({ counted, passed, done }: LessonCount): string | null {
  if (counted === 0) return null;
  return done ? 'Done' : `${passed} of ${counted} ${counted === 1 ? 'lab' : 'labs'} passed`;
}

/** "1 unavailable here" (or "2 labs unavailable here" alone); null when every lab can run. */
export function unavailableText({ counted, unavailable }: LessonCount): string | null {
  const n = unavailable.length;
  if (n === 0) return null;
  return counted > 0
    ? `${n} unavailable here`
    : `${n === 1 ? 'Its lab is' : `All ${n} labs are`} unavailable here`;
}
