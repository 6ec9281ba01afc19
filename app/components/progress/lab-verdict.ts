/**
 * The words for a learner's record on one lab, used by the lab's badge and the home page alike,
 * so a pass with the solution shown never reads as a pass of one's own, and never by colour
 * alone. Which pass counts as one's own is the server's rule (LabProgress): the first pass
 * before the solution was first shown.
 */
import type { LabProgress } from '@/server/protocol/lab';

export type LabVerdict =
  | 'not-attempted'
  | 'not-passed'
  | 'solution-shown'
  | 'passed-with-solution'
  | 'passed';

export const VERDICT_TEXT: Record<LabVerdict, string> = {
  'not-attempted': 'Not attempted yet',
  'not-passed': 'Not passed yet',
  'solution-shown': 'Solution shown',
  'passed-with-solution': 'Passed with the solution shown',
  passed: 'Passed',
};

export function labVerdict(progress: LabProgress | null | undefined): LabVerdict {
  if (!progress) return 'not-attempted';
  if (progress.passedOnOwn) return 'passed';
  if (progress.passed) return 'passed-with-solution';
  if (progress.solutionShown) return 'solution-shown';
  return progress.attempts > 0 ? 'not-passed' : 'not-attempted';
}
