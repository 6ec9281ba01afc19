/**
 * The collect stage: stdin EOF stops the runner, which detaches, drains the ring buffers and dumps
 * the maps (killed after LIMITS.stopMs); a trace_marker flush makes sure every bpf_printk line
 * printed before it has been routed. What was seen becomes the run's evidence, and for a lab with
 * check scripts also files in the run directory. A runner that does not stop cleanly, or trace
 * output a trace check needs that never arrived, is a fault.
 */
import type { RunEvidence } from './evidence.js';
import type { GradeRun, StagesEnd } from './grade-run.js';
import { LIMITS } from './limits.js';
import type { Loaded } from './load-stage.js';
import { writeRunDir } from './run-dir.js';
import type { TraceLine } from './trace.js';
import type { WorkloadResult } from './workload-stage.js';

/** The last stage before the assert stage: it never continues, the run is judged or faulted. */
export async function collectStage(
  run: GradeRun,
  loaded: Loaded,
  workload: WorkloadResult,
): Promise<StagesEnd> {
  const { runner, subscription } = loaded;
  const done = run.stage('collect');
  const stopped = await runner.stop();
  const traceComplete = (await subscription?.flush(LIMITS.traceFlushMs)) ?? true;
  if (runner.errors.length > 0) run.log.add('runner', runner.errors.join('\n'));
  if (runner.warnings.length > 0) run.log.add('runner warnings', runner.warnings.join('\n'));
  for (const line of runner.iterLines) run.stream(line); // Run mode: iterators print as the run stops
  const traceChecked = run.manifest.checks.some((c) => c.type === 'output' && c.source === 'trace');
  const fault =
    stopped.kind === 'fault'
      ? stopped.reason
      : !traceComplete && traceChecked
        ? (subscription?.problem() ?? 'bpf_printk output did not arrive in time')
        : null;
  if (fault) {
    done('fault');
    return { kind: 'fault', reason: fault };
  }
  done('done');

  const evidence: RunEvidence = {
    events: runner.events,
    trace: loaded.trace.map((l) => l.message),
    iter: runner.iterLines,
    maps: runner.maps,
    mapTypes: runner.mapTypes,
    programs: runner.programStats,
    ...(workload.problem ? { workloadProblem: workload.problem } : {}),
  };
  if (runner.droppedEvents > 0) run.log.add('events', `${runner.droppedEvents} more events were not kept`);
  if (run.manifest.checks.some((c) => c.type === 'script')) await writeRunFiles(run, evidence, loaded.trace);
  return {
    kind: 'judge',
    findings: {
      evidence: {
        build: { ok: true },
        load: { ok: true, programs: runner.programs, maps: runner.mapNames },
        run: evidence,
      },
      diagnostics: [],
      ...(workload.problem ? { problem: workload.problem } : {}),
    },
  };
}

/** events.jsonl, maps.json, trace.log and iter.log, for the lab's check scripts. */
async function writeRunFiles(run: GradeRun, evidence: RunEvidence, trace: TraceLine[]): Promise<void> {
  const jsonLines = (items: unknown[]) => items.map((i) => `${JSON.stringify(i)}\n`).join('');
  await writeRunDir(run.sandbox, run.nonce, [
    { path: 'events.jsonl', content: jsonLines(evidence.events) },
    { path: 'maps.json', content: `${JSON.stringify(Object.fromEntries(evidence.maps), null, 1)}\n` },
    { path: 'trace.log', content: trace.map((l) => `${l.raw}\n`).join('') },
    { path: 'iter.log', content: evidence.iter.map((l) => `${l}\n`).join('') },
  ]);
}
