/**
 * How long a Check or Run may take, one rule for both sides: the grader stops a grade run at
 * `gradeDeadlineMs` of the lab's time (server/grader/grade-run.ts), and the page waits that long
 * plus a margin before it gives up on the answer (app/components/lab/lab-requests.ts). The lab's
 * time (its workload's and check scripts' limits) comes with the lab on `lab:open`. Both stretch
 * by an emulated sandbox's slowdown, the server per command and the page in `request`
 * (app/lib/socket.ts). Pure: the browser imports it.
 */

/** The platform's own share of a grade run: building, loading, stopping, cleaning up. */
export const GRADE_OVERHEAD_MS = 90_000;

/**
 * What the page allows beyond the grader's deadline: saving the files before the run and the
 * answer's way back. Time in the grading queue does not count (app/components/lab/lab-requests.ts).
 */
export const GRADE_ANSWER_MARGIN_MS = 30_000;

/** When the grader stops a run of a lab whose own commands may take `labTimeMs`. */
export function gradeDeadlineMs(labTimeMs: number): number {
  return labTimeMs + GRADE_OVERHEAD_MS;
}

/** How long the page waits for the answer to a Check or Run of that lab. */
export function gradeAnswerWithinMs(labTimeMs: number): number {
  return gradeDeadlineMs(labTimeMs) + GRADE_ANSWER_MARGIN_MS;
}
