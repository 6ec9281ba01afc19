/**
 * Lab events between the browser's <Lab> and the grader. Client payloads are zod schemas (the
 * server parses every one); server payloads are plain types (the server is trusted by the page).
 */
import { z } from 'zod';
import { request } from './contract.js';
import type { CoreReport } from './core-report.js';
import type { KernelFeature } from './kernel-features.js';
import { LabId } from './lab-id.js';

const MAX_FILE_BYTES = 64 * 1024;

/** The learner's editable files, by path. Unknown or read-only paths are refused by the server. */
export const LabFiles = z
  .record(z.string().min(1).max(128), z.string().max(MAX_FILE_BYTES))
  .refine((files) => Object.keys(files).length <= 16, 'at most 16 files');

/** Names a lab: open, reset, solution. */
export const LabRef = z.object({ labId: LabId });
/** A lab and the learner's editable files: save, Check, Run. */
export const LabSubmission = z.object({ labId: LabId, files: LabFiles });
export const LabHint = z.object({ labId: LabId, index: z.number().int().min(0).max(64) });

export type Stage = 'compile' | 'load' | 'workload' | 'collect' | 'assert';

/** A message pinned to a line of one of the lab's files (`file` is the path the learner sees). */
export interface Diagnostic {
  file: string;
  line: number;
  column: number;
  severity: 'error' | 'warning' | 'note';
  source: 'clang' | 'verifier';
  /** Verbatim from clang or the verifier. */
  message: string;
}

export interface CheckResult {
  id: string;
  title: string;
  status: 'passed' | 'failed' | 'skipped';
  points: number;
  maxPoints: number;
  expected?: string;
  actual?: string;
  feedback?: string;
  /** A failed map check: the learner's entries beside the expected ones (`actual` says it in words). */
  mapDiff?: MapDiff;
}

/**
 * A map check's expected entries beside what the map held after the run, fields formatted as the
 * lab declares (IPv4 dotted, ports in decimal, hex). Cells follow `keyFields` and `valueFields`;
 * a key or value that is a plain number has the one field `key` or `value`.
 */
export interface MapDiff {
  map: string;
  keyFields: string[];
  valueFields: string[];
  /** Expected entries in the lab's order, then the map's other entries (`extra`). */
  rows: MapDiffRow[];
  /** Rows left out to keep the grade small. */
  omittedRows: number;
  /** Entries the map held after the run, all of them; 0 says the map is empty. */
  totalEntries: number;
  /** Whether entries the check does not list make it fail (then `extra` rows are mistakes). */
  exhaustive: boolean;
}

export interface MapDiffRow {
  /**
   * `ok` matches; `wrong` has the expected entry's place but another value, or is stored under a
   * recognisably wrong key (its `note` says how); `missing` is expected and absent; `extra` is in
   * the map and not expected.
   */
  kind: 'ok' | 'wrong' | 'missing' | 'extra';
  key: MapDiffCell[];
  value: MapDiffCell[];
  /** The recognised mistake, for the learner: bytes swapped, counted twice, off by one. */
  note?: string;
}

/** One field: as expected, as the map held it; one of them is absent for a missing or extra entry. */
export interface MapDiffCell {
  expected?: string;
  actual?: string;
}

export interface Grade {
  /** false only when the platform failed; the learner's code was then not judged. */
  gradable: boolean;
  score: number;
  maxScore: number;
  checks: CheckResult[];
  diagnostics: Diagnostic[];
  /** Milliseconds per stage, plus `total`. */
  timings: Partial<Record<Stage | 'total', number>>;
  /** A one-line summary, or the platform fault when not gradable. */
  message: string;
  /** Raw output the learner may want to see, in titled sections: build, verifier log, workload. */
  log: string;
  /** The CO-RE relocations libbpf applied (or could not) when it loaded the program, if it has any. */
  core?: CoreReport;
  /** Run only: what the program recorded, when it ran (bounded: RUN_RECORD_LIMITS). */
  recorded?: RunRecorded;
  /** The load stage was rejected by the verifier (or libbpf, loading): what it refused and why, in words. */
  verifier?: VerifierExplanation;
}

/**
 * A rejected load explained (server/grader/verifier-explain.ts): the refused instruction, the line
 * it came from, the registers and stack as the verifier knew them there, each in words, and the
 * catalogue's explanation and fix, or `entry: null` when no entry matches the message.
 */
export interface VerifierExplanation {
  /** The verifier's (or libbpf's) own words, verbatim. */
  message: string;
  /** The refused instruction: its index in the program and its text as the verifier printed it. */
  instruction?: { index: number; text: string };
  /** The learner's source line it came from. */
  source?: { file: string; line: number; column: number; text?: string };
  /** Registers just before the instruction; one not listed was not initialised. */
  registers: VerifierStateEntry[];
  /** Stack slots just before the instruction (`fp-8`), nearest the frame pointer first. */
  stack: VerifierStateEntry[];
  entry: { id: string; title: string; explanation: string; fix: string } | null;
}

/** One register or stack slot: the verifier's notation and what it means, in plain words. */
export interface VerifierStateEntry {
  /** `R0` … `R10`, or `fp-8`. */
  name: string;
  /** Verbatim: `map_value_or_null(id=1,map=counts,ks=4,vs=8)`. */
  value: string;
  words: string;
  /** The verifier's message names it (`R0 invalid mem access …`). */
  named: boolean;
}

/** How much of what a program recorded a Run's reply carries. */
export const RUN_RECORD_LIMITS = { events: 200, eventChars: 1000, entriesPerMap: 100, maps: 16 } as const;

/** What the program recorded during a Run: its ring-buffer records, and its maps after the workload. */
export interface RunRecorded {
  /** The first ring-buffer records, each decoded through BTF as JSON. */
  events: string[];
  /** Records the run kept in all; more than `events.length` when some are not carried. */
  eventCount: number;
  maps: RecordedMap[];
}

/** A map after the workload, fields formatted as the lab's map checks declare. */
export interface RecordedMap {
  name: string;
  keyFields: string[];
  valueFields: string[];
  /** The first entries, each as cells of `keyFields` then `valueFields`. */
  entries: RecordedEntry[];
  /** Entries the map held in all. */
  totalEntries: number;
  /** A per-CPU map: each value is the sum over this many CPUs, and each entry has `perCpu`. */
  cpus?: number;
  /** A live snapshot read only the first entries: the map held more than `totalEntries`. */
  truncated?: boolean;
}

export interface RecordedEntry {
  key: string[];
  value: string[];
  /** Per-CPU maps: each CPU's value cells (CPU 0 first); `value` is their sum. */
  perCpu?: string[][];
  /** The value's fields as numbers, for a chart over time; null where a field is not a number. */
  numbers?: (number | null)[];
}

/**
 * Run's maps while the workload runs (`lab:maps`): a snapshot of what `recorded.maps` will hold,
 * `tMs` after the programs were attached. At most LIVE_MAPS_PER_SECOND a second, a slow socket
 * skips some; the Run's reply carries the final maps.
 */
export interface LiveMapsEvent {
  labId: string;
  tMs: number;
  maps: RecordedMap[];
}

export const LIVE_MAPS_PER_SECOND = 4;

export interface LabView {
  id: string;
  title: string;
  summary: string;
  files: { path: string; readonly: boolean; content: string }[];
  hintCount: number;
  /** The lab's own time for a Check or Run; the page waits gradeAnswerWithinMs of it (grade-deadline.ts). */
  labTimeMs: number;
  solutionAvailable: boolean;
  requires: KernelFeature[];
  /**
   * Features this sandbox lacks, each with the probe's reason, which is for the operator (it may
   * say what to install); the learner is told only which features, in their names.
   */
  missing: { feature: KernelFeature; reason: string }[];
  /** For the operator, when something is missing: which driver would run the lab, or null. */
  otherDriver: string | null;
  progress: LabProgress | null;
}

/**
 * The learner's record on one lab. The rule for a pass of one's own: an attempt passed before the
 * solution was first shown to the learner. Showing it afterwards takes nothing away; a first pass
 * after the reveal is a pass with the solution shown, and stays one (the learner has seen it). An
 * attempt counts by when it was recorded, so a Check that ends after the reveal counts as after it.
 */
export interface LabProgress {
  attempts: number;
  bestScore: number;
  maxScore: number;
  /** Some attempt passed, on one's own or not. */
  passed: boolean;
  /** The solution was shown to the learner (`lab:solution` answered). */
  solutionShown: boolean;
  /** An attempt passed before the solution was first shown (or it never was). */
  passedOnOwn: boolean;
}

/**
 * What a Check answers: the grade, and what it changed on the server, so the page need not ask
 * again: the learner's progress in this lab and whether its solution may now be shown.
 */
export interface CheckReply {
  grade: Grade;
  progress: LabProgress | null;
  solutionAvailable: boolean;
}

/** What Show solution answers: the solution's files and the progress that now records the reveal. */
export interface SolutionReply {
  files: LabView['files'];
  progress: LabProgress | null;
}

/** The lab events a page sends, each with its payload schema and the value of its ok reply. */
export const LAB_EVENTS = {
  'lab:open': request(LabRef).replies<LabView>(),
  /** Autosave: the editable files given replace the saved ones; others stay. */
  'lab:save': request(LabSubmission).replies<null>(),
  /**
   * Saves the files, grades them and records the attempt (when gradable). One Check or Run per
   * learner at a time: a second one is refused. Progress arrives as `lab:progress` meanwhile.
   */
  'lab:check': request(LabSubmission).replies<CheckReply>(),
  /**
   * Like Check, but not recorded, and what the program emits streams as `lab:output`; the grade
   * carries `recorded`, the program's ring-buffer records and maps after the workload.
   */
  'lab:run': request(LabSubmission).replies<Grade>(),
  /** The starter files, which also become the saved files. */
  'lab:reset': request(LabRef).replies<LabView['files']>(),
  /**
   * The solution's files, when `LabView.solutionAvailable`, for the page to show beside the
   * learner's; their files are not touched. The reveal is recorded in their progress.
   */
  'lab:solution': request(LabRef).replies<SolutionReply>(),
  /** Hint `index` (0 … hintCount − 1). */
  'lab:hint': request(LabHint).replies<string>(),
  /**
   * The program as the kernel sees it: the files built and loaded in the learner's sandbox (not
   * attached, no workload, nothing recorded), each program's instructions from clang, after the
   * verifier and from the JIT. Takes the learner's grading turn, as Check does.
   */
  'lab:program': request(LabSubmission).replies<ProgramView>(),
};

/** One instruction of a Program view column, with the source line it came from when known. */
export interface CodeLine {
  /** Instruction index (clang, verifier) or byte offset (JIT). */
  offset: number;
  text: string;
  /** The lab file and 1-based line the instruction came from (BTF / DWARF line info). */
  file?: string;
  line?: number;
  /** After the verifier: not among clang's instructions for the same source line (rewritten or added). */
  changed?: boolean;
}

/** One program of the object, in each of the forms the Program view shows side by side. */
export interface ProgramCode {
  name: string;
  section: string;
  /** `llvm-objdump -d -l` of the learner's object: what clang produced. */
  clang: CodeLine[];
  /** The instructions the kernel holds after the verifier rewrote them (xlated). */
  xlated: CodeLine[];
  /** x86-64 or arm64 code from the JIT; null with `jitUnavailable` saying why. */
  jited: CodeLine[] | null;
  jitUnavailable?: string;
  /** Things the view cannot show, in words (call targets hidden from the sandbox…). */
  notes: string[];
}

/** What `lab:program` answers: the sources as built, and every program, or why there are none. */
export type ProgramView =
  | { ok: true; sources: { path: string; text: string }[]; programs: ProgramCode[] }
  | { ok: false; stage: 'compile' | 'load'; error: string };

/**
 * How a grading stage ended. `done`: it did its work (the assert stage is done even when checks
 * failed: the grade says which). `rejected`: the learner's program did not get through it (it did
 * not compile, was not loaded, its workload did not finish cleanly); graded, not the platform's
 * doing. `fault`: the platform failed; the attempt is not graded.
 */
export type StageEnd = 'done' | 'rejected' | 'fault';

/** One stage of a Check or Run starting (`running`) or ending, with its duration. */
export interface StageProgressEvent {
  labId: string;
  stage: Stage;
  status: 'running' | StageEnd;
  ms?: number;
}

/**
 * The Check or Run waits for a free grader (the server grades as many at once as it has cores):
 * `position` 1 is next. Sent on joining the queue and whenever the position changes.
 */
export interface QueueProgressEvent {
  labId: string;
  stage: 'queued';
  position: number;
}

export type LabProgressEvent = StageProgressEvent | QueueProgressEvent;

export interface LabServerEvents {
  'lab:progress': (p: LabProgressEvent) => void;
  /**
   * During Run, as they come: each ring-buffer event as JSON, and each of the program's bpf_printk
   * lines as trace_pipe prints them (at most 500 lines, then one line saying the rest was cut).
   */
  'lab:output': (p: { labId: string; line: string }) => void;
  /** During Run: the maps as they are now (LiveMapsEvent). */
  'lab:maps': (p: LiveMapsEvent) => void;
}
