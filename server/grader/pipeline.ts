/**
 * One grade run: compile → load → workload → collect → assert, in the learner's sandbox, in a run
 * directory of its own. Every stage is bounded and returns a value; the whole run is bounded by the
 * lab's own time plus the platform's overhead. Whatever happens, the runner is stopped (its
 * programs detach with it), the trace subscription closed and the run directory removed before the
 * grade is returned. Platform faults yield `gradable: false`; everything the learner's code does
 * (fail to build, be rejected, emit nothing, hang the workload) is graded.
 */
import type { Lab } from '../labs/loader.js';
import type { Diagnostic, Grade } from '../protocol/lab.js';
import { type Sandbox, SandboxError } from '../sandbox/types.js';
import { evaluateChecks, type ScriptRunner } from './checks.js';
import { compile } from './compile-stage.js';
import type { Evidence, LoadEvidence, RunEvidence } from './evidence.js';
import {
  GradeLog,
  gradeOf,
  notGradable,
  type ProgressListener,
  stageTimer,
  type Timings,
} from './grade-report.js';
import { LIMITS } from './limits.js';
import { newNonce } from './nonce.js';
import { removeRunDir, runDirFiles, runDirOf, sourcesFor, writeRunDir } from './run-dir.js';
import { type LoadOutcome, RunnerSession } from './runner-session.js';
import { parseTraceLine, type TraceLine, type TraceSubscriber, type TraceSubscription } from './trace.js';
import { parseVerifierLog, toDiagnostic } from './verifier-log.js';

export interface GradeRequest {
  lab: Lab;
  /** The learner's editable files by path (already checked against the lab's file list). */
  files: Readonly<Record<string, string>>;
  sandbox: Sandbox;
  onProgress?: ProgressListener;
  /** Run mode: what the program emits, line by line, as it happens. */
  onOutput?: (line: string) => void;
  /** Called after the grade with the kernel ids of the programs and maps it loaded (for leak checks). */
  onLoaded?: (ids: { programs: number[]; maps: number[] }) => void;
}

/** Trace routing for sandboxes that share the server's kernel; absent when the sandbox has its own. */
export interface SharedKernelTrace {
  subscribe(subscriber: TraceSubscriber): Promise<TraceSubscription>;
  /** The sandbox's pid namespace, for lines of programs the learner loaded by hand. */
  pidNamespace(sandbox: Sandbox): Promise<string | undefined>;
}

export async function runGrade(req: GradeRequest, trace: SharedKernelTrace | null): Promise<Grade> {
  const { lab, sandbox } = req;
  const { manifest } = lab;
  const nonce = newNonce();
  const started = performance.now();
  const timings: Timings = {};
  const log = new GradeLog();
  const stage = stageTimer(timings, req.onProgress);
  const labMs =
    (manifest.workload?.timeoutMs ?? 0) +
    manifest.checks.reduce((t, c) => t + (c.type === 'script' ? c.timeoutMs : 0), 0);
  // An emulated sandbox stretches every command's time limit (Sandbox.slowdown); the run's too.
  const deadline = AbortSignal.timeout((labMs + LIMITS.overheadMs) * (sandbox.slowdown ?? 1));
  const stream = streamTo(req.onOutput);
  let runner: RunnerSession | null = null;
  let subscription: TraceSubscription | null = null;

  const finish = (grade: Grade): Grade => ({
    ...grade,
    timings: { ...timings, total: Math.round(performance.now() - started) },
  });
  // Whatever a stage reports once the deadline has passed, the deadline is the reason.
  const fault = (reason: string) =>
    finish(notGradable(manifest.checks, deadline.aborted ? overran(labMs) : reason, timings, log));
  deadline.addEventListener('abort', () => runner?.kill(), { once: true });

  try {
    const sources = await sourcesFor(lab, req.files);

    let done = stage('compile');
    const built = await compile(sandbox, manifest, nonce, await runDirFiles(lab, sources, nonce), deadline);
    log.add('build', built.output);
    done(built.kind === 'built' ? 'done' : 'failed');
    if (built.kind === 'fault') return fault(built.reason);
    const evidence: Evidence = { build: { ok: built.kind === 'built' }, load: null, run: null };
    const diagnostics: Diagnostic[] = [];
    let problem: string | undefined;
    if (built.kind === 'failed') {
      evidence.build.error = built.error;
      diagnostics.push(...built.diagnostics);
      problem = `The program did not compile: ${built.error}`;
    }

    if (built.kind === 'built' && manifest.attach) {
      const traceLines: TraceLine[] = [];
      const onTrace = (line: TraceLine) => {
        if (traceLines.length < LIMITS.keptTraceLines) traceLines.push(line);
        stream(line.raw);
      };
      if (trace && wantsTrace(req)) {
        subscription = await trace.subscribe({
          nonce,
          pidNamespace: await trace.pidNamespace(sandbox),
          onLine: onTrace,
        });
      }
      done = stage('load');
      runner = new RunnerSession(sandbox, manifest.attach, nonce, trace === null && wantsTrace(req), {
        onEvent: (data) => stream(JSON.stringify(data)),
        onTraceLine: (raw) => {
          const line = parseTraceLine(raw);
          if (line && line.event === 'bpf_trace_printk' && (line.tag === undefined || line.tag === nonce))
            onTrace(line);
        },
      });
      const loaded = await runner.loaded();
      done(loaded.kind === 'ready' ? 'done' : 'failed');
      if (loaded.kind === 'fault') {
        log.add('runner', runner.errors.join('\n'));
        return fault(loaded.reason);
      }
      if (loaded.kind === 'rejected') {
        log.add(`verifier log${loaded.program ? ` of ${loaded.program}` : ''}`, loaded.verifierLog ?? '');
        const rejection = rejectionEvidence(loaded, sources);
        evidence.load = rejection.load;
        diagnostics.push(...rejection.diagnostics);
        problem = `The program was not loaded: ${loaded.error}`;
      } else {
        evidence.load = { ok: true, programs: runner.programs };
        const run = await driveAndCollect(req, nonce, runner, subscription, stage, log, deadline);
        if ('fault' in run) return fault(run.fault);
        run.trace = traceLines.map((l) => l.message);
        evidence.run = run;
        problem = run.workloadProblem;
        if (runner.droppedEvents > 0) log.add('events', `${runner.droppedEvents} more events were not kept`);
        await writeRunFiles(
          sandbox,
          nonce,
          run,
          traceLines,
          manifest.checks.some((c) => c.type === 'script'),
        );
      }
    }

    done = stage('assert');
    const checks = await evaluateChecks(
      manifest.checks,
      evidence,
      nonce,
      scriptRunner(sandbox, nonce, deadline, log),
    );
    done(checks.every((c) => c.status === 'passed') ? 'done' : 'failed');
    if (deadline.aborted) return fault(overran(labMs));
    return finish(gradeOf(checks, diagnostics, timings, log, problem ? { problem } : {}));
  } catch (error) {
    if (deadline.aborted) return fault(overran(labMs));
    if (error instanceof SandboxError) {
      console.error(`bpflab: grading ${lab.id} in ${sandbox.name}: ${error.operatorDetail}`);
      return fault(error.learnerMessage);
    }
    console.error(`bpflab: grading ${lab.id} in ${sandbox.name} failed:`, error);
    return fault('the grader failed unexpectedly');
  } finally {
    runner?.kill();
    await runner?.finished;
    subscription?.close();
    await removeRunDir(sandbox, nonce);
    if (runner) req.onLoaded?.(runner.loadedIds);
  }
}

/** A rejected load as evidence: the verifier's first words and line, and its diagnostic. */
function rejectionEvidence(
  loaded: Extract<LoadOutcome, { kind: 'rejected' }>,
  sources: ReadonlyMap<string, string>,
): { load: LoadEvidence; diagnostics: Diagnostic[] } {
  const rejection = loaded.verifierLog ? parseVerifierLog(loaded.verifierLog, sources) : null;
  const marker = rejection && toDiagnostic(rejection);
  const why = rejection?.message.split('\n')[0] ?? loaded.error;
  return {
    load: { ok: false, programs: [], error: marker ? `${why} (line ${marker.line})` : why },
    diagnostics: marker ? [marker] : [],
  };
}

async function driveAndCollect(
  req: GradeRequest,
  nonce: string,
  runner: RunnerSession,
  subscription: TraceSubscription | null,
  stage: ReturnType<typeof stageTimer>,
  log: GradeLog,
  deadline: AbortSignal,
): Promise<RunEvidence | { fault: string }> {
  const workload = req.lab.manifest.workload;
  let workloadProblem: string | undefined;
  if (workload) {
    const done = stage('workload');
    const result = await req.sandbox.exec(workload.run, {
      cwd: runDirOf(nonce),
      env: { BPFLAB_NONCE: nonce },
      timeoutMs: workload.timeoutMs,
      maxOutputBytes: LIMITS.outputBytes,
      signal: deadline,
    });
    log.add('workload output', `${result.stdout}${result.stderr}`);
    if (result.timedOut) {
      workloadProblem = `The workload did not finish within ${workload.timeoutMs / 1000} s and was stopped.`;
    } else if (result.exitCode !== 0) {
      workloadProblem = `The workload ended with ${result.signal ?? `status ${result.exitCode}`}.`;
    }
    done(workloadProblem ? 'failed' : 'done');
  }

  const done = stage('collect');
  const stopped = await runner.stop();
  const traceComplete = (await subscription?.flush(LIMITS.traceFlushMs)) ?? true;
  if (runner.errors.length > 0) log.add('runner', runner.errors.join('\n'));
  const traceChecked = req.lab.manifest.checks.some((c) => c.type === 'output' && c.source === 'trace');
  const fault =
    stopped.kind === 'fault'
      ? stopped.reason
      : !traceComplete && traceChecked
        ? (subscription?.problem() ?? 'bpf_printk output did not arrive in time')
        : null;
  if (fault) {
    done('failed');
    return { fault };
  }
  done('done');
  return {
    events: runner.events,
    trace: [],
    maps: runner.maps,
    ...(workloadProblem ? { workloadProblem } : {}),
  };
}

/** events.jsonl, maps.json and trace.log, for the lab's check scripts (only when it has some). */
async function writeRunFiles(
  sandbox: Sandbox,
  nonce: string,
  run: RunEvidence,
  trace: TraceLine[],
  needed: boolean,
): Promise<void> {
  if (!needed) return;
  const jsonLines = (items: unknown[]) => items.map((i) => `${JSON.stringify(i)}\n`).join('');
  await writeRunDir(sandbox, nonce, [
    { path: 'events.jsonl', content: jsonLines(run.events) },
    { path: 'maps.json', content: `${JSON.stringify(Object.fromEntries(run.maps), null, 1)}\n` },
    { path: 'trace.log', content: trace.map((l) => `${l.raw}\n`).join('') },
  ]);
}

function scriptRunner(sandbox: Sandbox, nonce: string, deadline: AbortSignal, log: GradeLog): ScriptRunner {
  return async (check) => {
    const result = await sandbox.exec([`./${check.run}`], {
      cwd: runDirOf(nonce),
      env: { BPFLAB_NONCE: nonce },
      timeoutMs: check.timeoutMs,
      maxOutputBytes: LIMITS.outputBytes,
      signal: deadline,
    });
    log.add(`check ${check.id}`, `${result.stdout}${result.stderr}`);
    return result;
  };
}

/** Trace lines are routed only when someone will read them: a trace check, a script, or Run. */
function wantsTrace(req: GradeRequest): boolean {
  return (
    req.onOutput !== undefined ||
    req.lab.manifest.checks.some((c) => (c.type === 'output' && c.source === 'trace') || c.type === 'script')
  );
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

function overran(labMs: number): string {
  return `grading took longer than ${Math.round((labMs + LIMITS.overheadMs) / 1000)} s`;
}
