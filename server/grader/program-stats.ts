/**
 * A loaded program as the kernel reported it after the run (the runner's `program_stats` line),
 * turned into evidence for program checks: what it was attached to comes from its `attached`
 * line, and the verifier's processed-instruction count, which kernels before 5.16 do not report,
 * from the statistics line of its verifier log.
 */
import type { ProgramStats } from './evidence.js';
import type { RunnerLine } from './runner-protocol.js';

/** The verifier log's statistics line: `processed 29 insns (limit 1000000) max_states_per_insn …`. */
const PROCESSED = /^processed (\d+) insns/m;

/** "processed N insns" from a verifier log, or null when the log has no statistics line. */
export function processedInsnsOf(log: string): number | null {
  const m = PROCESSED.exec(log);
  return m ? Number(m[1]) : null;
}

export function programStatsOf(
  line: Extract<RunnerLine, { type: 'program_stats' }>,
  target: string | undefined,
  verifierLog: string | undefined,
): ProgramStats {
  return {
    name: line.program,
    type: line.prog_type,
    section: line.section,
    ...(target !== undefined ? { target } : {}),
    instructions: line.xlated_insns,
    processedInstructions:
      line.verified_insns > 0 ? line.verified_insns : verifierLog ? processedInsnsOf(verifierLog) : null,
    statsEnabled: line.stats_enabled,
    runCount: line.run_cnt,
    runTimeNs: line.run_time_ns,
  };
}
