/**
 * One grade run as the stages see it: the run context every stage takes (the lab, the learner's
 * files, the sandbox, the run's nonce and deadline, the log and stage timings) and the outcome
 * every stage returns. The context also holds what the run started that cleanup must stop (the
 * runner, the trace subscription), and turns a run's end into the Grade: judged, or not gradable
 * with the platform's reason.
 */
import type { Lab } from '../labs/loader.js';
import { type LabManifest, labTimeMs } from '../labs/schema.js';
import { gradeDeadlineMs } from '../protocol/grade-deadline.js';
import type {
  CheckResult,
  Diagnostic,
  Grade,
  Stage,
  StageEnd,
  VerifierExplanation,
} from '../protocol/lab.js';
import { type ExecOptions, type Sandbox, SandboxError } from '../sandbox/types.js';
import type { CompileCache } from './compile-cache.js';
import type { Evidence } from './evidence.js';
import {
  GradeLog,
  gradeOf,
  notGradable,
  type ProgressListener,
  stageTimer,
  type Timings,
} from './grade-report.js';
import { LIMITS } from './limits.js';
import type { LiveMaps } from './live-maps.js';
import { newNonce, nonceNumbers, type RunNonces } from './nonce.js';
import { removeRunDirLater, runDirOf } from './run-dir.js';
import type { RunnerSession } from './runner-session.js';
import type { TraceSubscriber, TraceSubscription } from './trace.js';

export interface GradeRequest {
  lab: Lab;
  /** The learner's editable files by path (already checked against the lab's file list). */
  files: Readonly<Record<string, string>>;
  sandbox: Sandbox;
  onProgress?: ProgressListener;
  /** Run mode: what the program emits, line by line, as it happens. */
  onOutput?: (line: string) => void;
  /** Run mode: the maps while the workload runs, as the runner snapshots them (live-maps.ts). */
  onMaps?: (maps: LiveMaps) => void;
  /** Called after the grade with what a lab's author needs beyond it (`bpflab validate`, tests). */
  onFinished?: (record: RunRecord) => void;
}

/** What a run tells a lab's author beyond the grade. */
export interface RunRecord {
  /** Kernel ids of the programs and maps the runner loaded, to prove none outlived the run. */
  loaded: { programs: number[]; maps: number[] };
  /** Names of the loaded object's maps, as the runner reported them (empty when nothing loaded). */
  maps: string[];
  /** The workload was stopped at its `timeoutMs` instead of finishing on its own. */
  workloadTimedOut: boolean;
}

/** Trace routing for sandboxes that share the server's kernel; absent when the sandbox has its own. */
export interface SharedKernelTrace {
  subscribe(subscriber: TraceSubscriber): Promise<TraceSubscription>;
  /** The sandbox's pid namespace, for lines of programs the learner loaded by hand. */
  pidNamespace(sandbox: Sandbox): Promise<string | undefined>;
}

/** The compile cache, for a sandbox whose toolchain tree the server knows (grader.ts). */
export interface RunCompileCache {
  cache: CompileCache;
  /** The tree the sandbox's BPF objects are built with, on the host: its identity is in the key. */
  toolsDir: string;
}

/** What the stages found out, for the assert stage to judge. */
export interface Findings {
  evidence: Evidence;
  diagnostics: Diagnostic[];
  /** The first thing that went wrong in the learner's run, in words; the grade's message ends with it. */
  problem?: string;
  /** A rejected load, explained (verifier-explain.ts); the grade carries it as `verifier`. */
  verifier?: VerifierExplanation;
}

/** What a stage returns: go on with its value, or stop the stages there. */
export type StageOutcome<T> =
  | { kind: 'continue'; value: T }
  /** Nothing more to run (the code did not build or load, the lab attaches nothing): judge this. */
  | { kind: 'judge'; findings: Findings }
  /** The platform failed: the grade is not gradable, for this reason. */
  | { kind: 'fault'; reason: string };

/** How the stages before the assert stage end: with findings to judge, or a fault. */
export type StagesEnd = Exclude<StageOutcome<unknown>, { kind: 'continue' }>;

export class GradeRun {
  readonly lab: Lab;
  readonly manifest: LabManifest;
  readonly files: Readonly<Record<string, string>>;
  readonly sandbox: Sandbox;
  /** Names the run directory and tags the run's bpf_printk lines. */
  readonly nonce = newNonce();
  /** BPFLAB_NONCE_NUMBER: claimed last in the constructor, released last in release(). */
  readonly nonceNumber: number;
  /** The lab's own time (labTimeMs): its workload's and check scripts' limits. */
  readonly labMs: number;
  /** Aborts when the whole run overruns gradeDeadlineMs of the lab's time. */
  readonly deadline: AbortSignal;
  readonly log = new GradeLog();
  readonly timings: Timings = {};
  /** The server's trace_pipe reader, for a sandbox on the server's kernel; null when it has its own. */
  readonly trace: SharedKernelTrace | null;
  /** Where compiled objects are kept by content; null: this run always compiles. */
  readonly compileCache: RunCompileCache | null;
  /** Trace lines are routed only when someone will read them: a trace check, a script, or Run. */
  readonly wantsTrace: boolean;
  /** Run mode's live output (a no-op for Check), cut after LIMITS.streamedLines. */
  readonly stream: (line: string) => void;
  /** What the load stage started; cleanup stops all of it, whatever happened. */
  readonly held: {
    runner: RunnerSession | null;
    subscription: TraceSubscription | null;
    /** Puts kernel.bpf_stats_enabled back (bpf-stats.ts), once the runner has stopped. */
    releaseStats: (() => Promise<void>) | null;
  } = {
    runner: null,
    subscription: null,
    releaseStats: null,
  };
  private readonly started = performance.now();
  private readonly timer: (stage: Stage) => (status: StageEnd) => void;
  private readonly onFinished: GradeRequest['onFinished'];
  /** Run mode's live maps; undefined for Check, which then never asks the runner for them. */
  readonly onMaps: GradeRequest['onMaps'];
  /** Set by the workload stage when the lab's workload had to be stopped at its limit. */
  workloadTimedOut = false;

  constructor(
    req: GradeRequest,
    trace: SharedKernelTrace | null,
    compileCache: RunCompileCache | null = null,
  ) {
    this.lab = req.lab;
    this.manifest = req.lab.manifest;
    this.files = req.files;
    this.sandbox = req.sandbox;
    this.trace = trace;
    this.compileCache = compileCache;
    this.onFinished = req.onFinished;
    this.onMaps = req.onMaps;
    this.labMs = labTimeMs(this.manifest);
    // An emulated sandbox stretches every command's time limit (Sandbox.slowdown); the run's too.
    this.deadline = AbortSignal.timeout(gradeDeadlineMs(this.labMs) * (this.sandbox.slowdown ?? 1));
    this.deadline.addEventListener('abort', () => this.held.runner?.kill(), { once: true });
    this.wantsTrace =
      req.onOutput !== undefined ||
      this.manifest.checks.some((c) => (c.type === 'output' && c.source === 'trace') || c.type === 'script');
    this.stream = streamTo(req.onOutput);
    this.timer = stageTimer(this.timings, req.onProgress);
    // Last, so that nothing thrown above leaves a number claimed.
    this.nonceNumber = nonceNumbers.claim();
  }

  /** What `{{nonce}}` and `{{nonce_number}}` stand for in this run. */
  get nonces(): RunNonces {
    return { text: this.nonce, number: this.nonceNumber };
  }

  /** Starts a stage (a `running` progress event); call the result with how it ended. */
  stage(stage: Stage): (status: StageEnd) => void {
    return this.timer(stage);
  }

  /** How a lab's own command (workload, check script) runs: in the run directory, within the deadline. */
  inRunDir(timeoutMs: number): ExecOptions {
    return {
      cwd: runDirOf(this.nonce),
      env: { BPFLAB_NONCE: this.nonce, BPFLAB_NONCE_NUMBER: String(this.nonceNumber) },
      timeoutMs,
      maxOutputBytes: LIMITS.outputBytes,
      signal: this.deadline,
    };
  }

  graded(checks: CheckResult[], findings: Findings): Grade {
    const { diagnostics, problem, verifier } = findings;
    const grade = gradeOf(checks, diagnostics, this.timings, this.log, problem ? { problem } : {});
    return this.finish(verifier ? { ...grade, verifier } : grade);
  }

  /** Whatever a stage reports once the deadline has passed, the deadline is the reason. */
  notGradable(reason: string): Grade {
    const why = this.deadline.aborted ? this.overran() : reason;
    return this.finish(notGradable(this.manifest.checks, why, this.timings, this.log));
  }

  overran(): string {
    return `grading took longer than ${Math.round(gradeDeadlineMs(this.labMs) / 1000)} s`;
  }

  /** A stage threw: a broken sandbox says so in its own words; anything else is a bug, logged. */
  crashed(error: unknown): Grade {
    if (this.deadline.aborted) return this.notGradable(this.overran());
    const where = `bpflab: grading ${this.lab.id} in ${this.sandbox.name}`;
    if (error instanceof SandboxError) {
      console.error(`${where}: ${error.operatorDetail}`);
      return this.notGradable(error.learnerMessage);
    }
    console.error(`${where} failed:`, error);
    return this.notGradable('the grader failed unexpectedly');
  }

  /**
   * Stops the runner (its programs detach with it), closes the trace subscription and frees the
   * nonce number, which nothing of the run uses any more; the run directory is then removed in
   * the background (run-dir.ts removeRunDirLater): the grade is not held for it. `removeRunDir`
   * false: the run never wrote one.
   */
  async release({ removeRunDir = true }: { removeRunDir?: boolean } = {}): Promise<void> {
    const { runner, subscription, releaseStats } = this.held;
    try {
      runner?.kill();
      await runner?.finished;
      await releaseStats?.();
      subscription?.close();
      this.onFinished?.({
        loaded: runner?.loadedIds ?? { programs: [], maps: [] },
        maps: runner?.mapNames ?? [],
        workloadTimedOut: this.workloadTimedOut,
      });
    } finally {
      nonceNumbers.release(this.nonceNumber);
      if (removeRunDir) removeRunDirLater(this.sandbox, this.nonce);
    }
  }

  private finish(grade: Grade): Grade {
    return { ...grade, timings: { ...this.timings, total: Math.round(performance.now() - this.started) } };
  }
}

function streamTo(onOutput: ((line: string) => void) | undefined): (line: string) => void {
  let sent = 0;
  return (line) => {
    if (!onOutput || sent > LIMITS.streamedLines) return;
    sent++;
    onOutput(
      sent > LIMITS.streamedLines ? `… more output not shown (over ${LIMITS.streamedLines} lines)` : line,
    );
  };
}
