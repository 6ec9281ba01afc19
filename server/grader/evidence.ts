/**
 * What a grade run found out, stage by stage; the checks are judged against it. A stage that did
 * not happen (because an earlier one failed) leaves its part null, and checks that need it are
 * skipped with the reason instead of failing twice.
 */

export interface BuildEvidence {
  ok: boolean;
  /** The most telling failure line, verbatim (when !ok). */
  error?: string;
}

export interface LoadedProgram {
  name: string;
  /** Program type as bpftool names it, e.g. `tracepoint`. */
  type: string;
  section: string;
}

export interface LoadEvidence {
  ok: boolean;
  programs: LoadedProgram[];
  /** Names of the loaded object's maps (ring buffers too, which are not dumped). */
  maps?: string[];
  /** The verifier's or libbpf's words when the load or attach failed. */
  error?: string;
}

export interface MapEntry {
  key: unknown;
  value: unknown;
}

/** One program as the kernel reported it after the run (the runner's program_stats line). */
export interface ProgramStats {
  name: string;
  /** Program type as bpftool names it, e.g. `tracepoint`. */
  type: string;
  section: string;
  /** What the runner attached it to (`syscalls/sys_enter_execve`, `lo/ingress`), when it did. */
  target?: string;
  /** Instructions after the verifier's rewrites (xlated). */
  instructions: number;
  /** Instructions the verifier processed; null when neither the kernel nor its log said. */
  processedInstructions: number | null;
  /** Whether the kernel counted runs (kernel.bpf_stats_enabled) during the run. */
  statsEnabled: boolean;
  runCount: number;
  runTimeNs: number;
}

export interface RunEvidence {
  /** Ring-buffer records, decoded through BTF when the lab names the event type. */
  events: unknown[];
  /** bpf_printk messages of this run, without the trace_pipe prefix. */
  trace: string[];
  /** What the object's BPF iterators printed when read at the end of the run, line by line. */
  iter: string[];
  /** Maps dumped after the workload, by name. */
  maps: Map<string, MapEntry[]>;
  /** Each dumped map's type as the runner names it (`hash`, `percpu_array`…), by name. */
  mapTypes?: ReadonlyMap<string, string>;
  /** Every loaded program as the kernel reported it after the workload (absent: none reported). */
  programs?: ProgramStats[];
  /** The workload's outcome in words when it did not finish cleanly (timeout, exit status). */
  workloadProblem?: string;
}

export interface Evidence {
  build: BuildEvidence;
  load: LoadEvidence | null;
  run: RunEvidence | null;
}

export interface ScriptOutcome {
  exitCode: number | null;
  timedOut: boolean;
  stdout: string;
  stderr: string;
}
