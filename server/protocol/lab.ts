/**
 * Lab events between the browser's <Lab> and the grader. Client payloads are zod schemas (the
 * server parses every one); server payloads are plain types (the server is trusted by the page).
 */
import { z } from 'zod';
import type { KernelFeature } from '../sandbox/features.js';

const MAX_FILE_BYTES = 64 * 1024;

export const LabId = z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'not a lab id');

/** The learner's editable files, by path. Unknown or read-only paths are refused by the server. */
export const LabFiles = z
  .record(z.string().min(1).max(128), z.string().max(MAX_FILE_BYTES))
  .refine((files) => Object.keys(files).length <= 16, 'at most 16 files');

export const LabOpen = z.object({ labId: LabId });
export const LabSave = z.object({ labId: LabId, files: LabFiles });
export const LabCheck = z.object({ labId: LabId, files: LabFiles });
export const LabHint = z.object({ labId: LabId, index: z.number().int().min(0).max(64) });

export type Stage = 'compile' | 'load' | 'workload' | 'collect' | 'assert';

export interface Diagnostic {
  file: string;
  line: number;
  column: number;
  severity: 'error' | 'warning' | 'note';
  source: 'clang' | 'verifier' | 'runner';
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
  /** Raw output the learner may want to see: compiler output, verifier log, events. */
  log: string;
}

export interface LabView {
  id: string;
  title: string;
  summary: string;
  files: { path: string; readonly: boolean; content: string }[];
  hintCount: number;
  solutionAvailable: boolean;
  requires: KernelFeature[];
  /** Features this sandbox lacks, with the reason; the Check button explains instead of running. */
  missing: { feature: KernelFeature; reason: string }[];
  progress: LabProgress | null;
}

export interface LabProgress {
  attempts: number;
  bestScore: number;
  maxScore: number;
  passed: boolean;
}

export type Ack<T> = (reply: { ok: true; value: T } | { ok: false; error: string }) => void;

export interface LabClientEvents {
  'lab:open': (payload: z.input<typeof LabOpen>, ack: Ack<LabView>) => void;
  'lab:save': (payload: z.input<typeof LabSave>, ack: Ack<null>) => void;
  'lab:check': (payload: z.input<typeof LabCheck>, ack: Ack<Grade>) => void;
  'lab:run': (payload: z.input<typeof LabCheck>, ack: Ack<Grade>) => void;
  'lab:reset': (payload: z.input<typeof LabOpen>, ack: Ack<LabView['files']>) => void;
  'lab:solution': (payload: z.input<typeof LabOpen>, ack: Ack<LabView['files']>) => void;
  'lab:hint': (payload: z.input<typeof LabHint>, ack: Ack<string>) => void;
}

export interface LabServerEvents {
  'lab:progress': (p: { labId: string; stage: Stage; status: 'running' | 'done' | 'failed'; ms?: number }) => void;
  /** Lines the program emitted during Run, streamed as they come. */
  'lab:output': (p: { labId: string; line: string }) => void;
}
