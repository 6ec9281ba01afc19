/**
 * The load stage: `bpflab-runner run` opens, verifies, loads and attaches the lab's object
 * (runner-session.ts), and the run waits until it is ready. bpf_printk lines are routed to the run
 * from before the runner starts: through the server's trace_pipe reader on a shared kernel, or
 * read by the runner itself in a sandbox with a kernel of its own. A rejected object stops the
 * run to be judged, the verifier's message pinned to the learner's line and explained
 * (verifier-explain.ts); anything else that keeps
 * the runner from getting ready is a fault. A lab that attaches nothing is judged on its build.
 */
import { needsRunStats } from '../labs/schema.js';
import type { Diagnostic, StageEnd } from '../protocol/lab.js';
import { holdBpfStats } from './bpf-stats.js';
import type { Sources } from './compile-stage.js';
import type { LoadEvidence } from './evidence.js';
import type { GradeRun, StageOutcome } from './grade-run.js';
import { LIMITS } from './limits.js';
import { liveMapsOf } from './live-maps.js';
import type { MapsSnapshot } from './runner-protocol.js';
import { type LoadOutcome, RunnerSession } from './runner-session.js';
import { parseTraceLine, type TraceLine, type TraceSubscription } from './trace.js';
import { explainRejection } from './verifier-explain.js';
import { parseVerifierLog, toDiagnostic } from './verifier-log.js';

/** The attached programs, reporting until the collect stage stops them. */
export interface Loaded {
  runner: RunnerSession;
  subscription: TraceSubscription | null;
  /** The run's bpf_printk lines, the first LIMITS.keptTraceLines of them; filled until collect. */
  trace: TraceLine[];
}

/** How the stage reads to the learner: a rejected object is theirs, a runner that breaks ours. */
const LOAD_END: Record<LoadOutcome['kind'], StageEnd> = {
  ready: 'done',
  rejected: 'rejected',
  fault: 'fault',
};

export async function loadStage(run: GradeRun, sources: Sources): Promise<StageOutcome<Loaded>> {
  const { manifest, nonce } = run;
  if (!manifest.attach) {
    return {
      kind: 'judge',
      findings: { evidence: { build: { ok: true }, load: null, run: null }, diagnostics: [] },
    };
  }
  const trace: TraceLine[] = [];
  const onTrace = (line: TraceLine) => {
    if (trace.length < LIMITS.keptTraceLines) trace.push(line);
    run.stream(line.raw);
  };
  if (run.trace && run.wantsTrace) {
    run.held.subscription = await run.trace.subscribe({
      nonce,
      pidNamespace: await run.trace.pidNamespace(run.sandbox),
      onLine: onTrace,
    });
  }
  const done = run.stage('load');
  const { onMaps } = run;
  const runStats = needsRunStats(manifest);
  // A local sandbox cannot turn run statistics on itself; on the server's kernel the server does.
  if (runStats && run.sandbox.driver === 'local') run.held.releaseStats = await holdBpfStats();
  const runner = new RunnerSession(
    run.sandbox,
    manifest.attach,
    run.nonces,
    run.trace === null && run.wantsTrace,
    {
      onEvent: (data) => run.stream(JSON.stringify(data)),
      ...(onMaps ? { onMaps: (snapshot: MapsSnapshot) => onMaps(liveMapsOf(manifest, snapshot)) } : {}),
      onTraceLine: (raw) => {
        const line = parseTraceLine(raw);
        if (line && line.event === 'bpf_trace_printk' && (line.tag === undefined || line.tag === nonce))
          onTrace(line);
      },
    },
    runStats,
  );
  run.held.runner = runner;
  const loaded = await runner.loaded();
  done(LOAD_END[loaded.kind]);
  switch (loaded.kind) {
    case 'fault':
      run.log.add('runner', runner.errors.join('\n'));
      return { kind: 'fault', reason: loaded.reason };
    case 'rejected': {
      run.log.add(`verifier log${loaded.program ? ` of ${loaded.program}` : ''}`, loaded.verifierLog ?? '');
      const rejection = rejectionEvidence(loaded, sources);
      const verifier = explainRejection({ ...loaded, sources });
      return {
        kind: 'judge',
        findings: {
          evidence: { build: { ok: true }, load: rejection.load, run: null },
          diagnostics: rejection.diagnostics,
          problem: `The program was not loaded: ${loaded.error}`,
          ...(verifier ? { verifier } : {}),
        },
      };
    }
    case 'ready':
      return { kind: 'continue', value: { runner, subscription: run.held.subscription, trace } };
  }
}

/** A rejected load as evidence: the verifier's first words and line, and its diagnostic. */
function rejectionEvidence(
  loaded: Extract<LoadOutcome, { kind: 'rejected' }>,
  sources: Sources,
): { load: LoadEvidence; diagnostics: Diagnostic[] } {
  const rejection = loaded.verifierLog ? parseVerifierLog(loaded.verifierLog, sources) : null;
  const marker = rejection && toDiagnostic(rejection);
  const why = rejection?.message.split('\n')[0] ?? loaded.error;
  return {
    load: { ok: false, programs: [], error: marker ? `${why} (line ${marker.line})` : why },
    diagnostics: marker ? [marker] : [],
  };
}
