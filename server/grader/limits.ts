/**
 * The platform's own limits for a grade run. The lab sets how long its workload and check scripts
 * may take; everything else (building, loading, stopping, cleaning up) is bounded here, and the
 * whole run by gradeDeadlineMs of the lab's time (server/protocol/grade-deadline.ts, which the
 * page waits by too). Overrunning a platform limit is the platform's fault (the grade is not
 * gradable); overrunning the lab's is reported to the learner as what it is.
 */
export const LIMITS = {
  /** Writing the run directory, making files executable. */
  prepareMs: 10_000,
  /** clang and make, PCH included; a lab builds in well under a second. */
  compileMs: 30_000,
  /** Open, verify, load and attach every program. */
  loadMs: 20_000,
  /** After stdin EOF: detach, drain the ring buffers, dump the maps; then SIGKILL. */
  stopMs: 5_000,
  /** Wait for the trace flush marker to come back through trace_pipe. */
  traceFlushMs: 500,
  /** Removing the run directory. */
  cleanupMs: 10_000,
  /** Compiler, workload and script output kept per stream. */
  outputBytes: 256 * 1024,
  /**
   * The tail of a verifier log the runner prints (`--log-limit`): the verdict and the walk
   * leading to it, but not the megabytes of a program that exhausts the verifier, which would
   * otherwise be read, parsed and searched here.
   */
  verifierLogBytes: 256 * 1024,
  /** Runner output (events, trace lines, map dumps) before it is cut. */
  runnerOutputBytes: 64 * 1024 * 1024,
  /** Ring-buffer events and trace lines kept for the checks; the rest are counted, not kept. */
  keptEvents: 20_000,
  keptTraceLines: 20_000,
  /** Size of the log returned to the browser. */
  logBytes: 64 * 1024,
  /** Lines streamed to the browser during Run. */
  streamedLines: 500,
} as const;
