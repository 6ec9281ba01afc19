/**
 * The JSON lines `bpflab-runner run` prints (bpf/README.md), parsed at the edge. Lines the
 * grader does not know (a newer runner) are ignored rather than failing the grade.
 */
import { z } from 'zod';

const Verifier = z.looseObject({
  type: z.literal('verifier'),
  program: z.string(),
  section: z.string(),
  accepted: z.boolean(),
  /** The log was cut to its tail by `--log-limit`. */
  truncated: z.boolean().optional(),
  log: z.string(),
});

const Loaded = z.looseObject({
  type: z.literal('loaded'),
  programs: z.array(
    z.looseObject({ name: z.string(), section: z.string(), prog_type: z.string(), id: z.number() }),
  ),
  maps: z.array(z.looseObject({ name: z.string(), map_type: z.string(), id: z.number() })),
});

const Attached = z.looseObject({
  type: z.literal('attached'),
  program: z.string(),
  section: z.string(),
  target: z.string(),
});

/** bpf_prog_info of one program after the run; run_cnt and run_time_ns count only with stats_enabled. */
const ProgramStatsLine = z.looseObject({
  type: z.literal('program_stats'),
  program: z.string(),
  section: z.string(),
  prog_type: z.string(),
  xlated_insns: z.number(),
  jited_bytes: z.number(),
  /** 0 before Linux 5.16, which did not report it. */
  verified_insns: z.number(),
  stats_enabled: z.boolean(),
  run_cnt: z.number(),
  run_time_ns: z.number(),
});

const Ready = z.looseObject({ type: z.literal('ready') });

const Event = z.looseObject({ type: z.literal('event'), map: z.string(), data: z.unknown() });

const Trace = z.looseObject({ type: z.literal('trace'), line: z.string() });

/** One line a BPF iterator printed (BPF_SEQ_PRINTF), read when the run stops. */
const Iter = z.looseObject({ type: z.literal('iter'), program: z.string(), line: z.string() });

/** libbpf's CO-RE relocation lines from the load (server/grader/core-report.ts reads them). */
const Core = z.looseObject({ type: z.literal('core'), lines: z.array(z.string()), omitted: z.number() });

const MapContents = {
  name: z.string(),
  map_type: z.string(),
  entries: z.array(z.looseObject({ key: z.unknown(), value: z.unknown() })),
  truncated: z.boolean(),
};

const MapDump = z.looseObject({ type: z.literal('map'), ...MapContents });

/** With `--map-every`: the maps while the run streams, `t_ms` after ready (bpf/runner/map_watch.c). */
const MapsSnapshot = z.looseObject({
  type: z.literal('maps'),
  t_ms: z.number(),
  maps: z.array(z.looseObject(MapContents)),
});
export type MapsSnapshot = z.infer<typeof MapsSnapshot>;

/** Something the run goes on without, such as ring-buffer records shown as hex for want of their type. */
const RunnerWarning = z.looseObject({
  type: z.literal('warning'),
  stage: z.string(),
  message: z.string(),
});

const RunnerError = z.looseObject({
  type: z.literal('error'),
  stage: z.string(),
  program: z.string().optional(),
  message: z.string(),
});

/** `bpflab-runner code`: this kernel's helper names, indexed by helper id. */
const Helpers = z.looseObject({ type: z.literal('helpers'), names: z.array(z.string()) });

/** `bpflab-runner code`: one program as the kernel holds it after the verifier (prog_code.c). */
const Code = z.looseObject({
  type: z.literal('code'),
  program: z.string(),
  section: z.string(),
  id: z.number(),
  machine: z.string().optional(),
  /** xlated instructions in hex; null when the kernel hides them (a blinded program). */
  xlated: z.string().nullable(),
  calls: z.array(z.looseObject({ insn: z.number(), target: z.string() })),
  lines: z.array(
    z.looseObject({
      insn: z.number(),
      file: z.string(),
      line: z.number(),
      col: z.number(),
      source: z.string(),
    }),
  ),
  jited_len: z.number(),
  jited: z.string().nullable(),
  /** Offset in the JIT image where each of `lines` starts. */
  jited_lines: z.array(z.number()),
  jit_unavailable: z.string().optional(),
});
export type RunnerCode = z.infer<typeof Code>;

export const RunnerLine = z.discriminatedUnion('type', [
  Verifier,
  Loaded,
  Attached,
  Ready,
  Event,
  Trace,
  Iter,
  Core,
  MapDump,
  MapsSnapshot,
  ProgramStatsLine,
  RunnerWarning,
  RunnerError,
  Helpers,
  Code,
]);
export type RunnerLine = z.infer<typeof RunnerLine>;

/** bpf/runner/exit_codes.h */
export const RunnerExit = {
  ok: 0,
  usage: 64,
  open: 65,
  load: 66,
  attach: 67,
  run: 68,
  dump: 69,
} as const;

/** Exit codes that mean the learner's object was at fault (not the platform). */
export const LEARNER_EXITS: ReadonlySet<number> = new Set([
  RunnerExit.open,
  RunnerExit.load,
  RunnerExit.attach,
]);

/** A runner line, or null for lines that are not JSON or not a known message. */
export function parseRunnerLine(text: string): RunnerLine | null {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return null;
  }
  const parsed = RunnerLine.safeParse(json);
  return parsed.success ? parsed.data : null;
}
