/**
 * What bpflab keeps about learners: their lab files (autosaved), their graded attempts (with the
 * files graded), the solutions they were shown and the display name they chose, if any. The
 * embedded default is SQLite (sqlite-store.ts); the interface is asynchronous and speaks only in
 * domain values so a Postgres implementation can replace it without touching its callers.
 *
 * Rules every implementation MUST keep:
 * - A learner id comes from a verified session cookie; methods MUST NOT trust anything else to
 *   decide whose data they read or write, and MUST create the learner on first write.
 * - saveLabFiles() replaces the whole set of files of that learner's lab (last write wins).
 * - recordAttempt() is append-only; progress() is derived from the attempts and the solution
 *   reveals, never stored apart.
 * - recordSolutionShown() keeps the first reveal only, with the learner's last attempt before it:
 *   a pass counts as their own when an attempt up to that one passed (see LabProgress).
 * - Methods reject only when storage itself fails (disk full, database gone), never for an
 *   unknown learner or lab: those read as empty.
 */
import type { LabProgress } from '../protocol/lab.js';

export type LabFiles = Record<string, string>;

export interface LastWorkedOn {
  labId: string;
  /** When, in ms since the epoch. */
  at: number;
}

export interface Attempt {
  score: number;
  maxScore: number;
  passed: boolean;
  /** Ids of the checks that passed in this attempt. */
  checksPassed: string[];
  /** The files graded (the learner's editable files), so an instructor can open them. */
  files: LabFiles;
}

/** An attempt as recorded, for the class view. */
export interface RecordedAttempt extends Omit<Attempt, 'files'> {
  /** Null for attempts recorded before bpflab kept the files. */
  files: LabFiles | null;
  /** When, in ms since the epoch. */
  at: number;
}

/** One learner as the class view lists them: their chosen name and their record per lab. */
export interface LearnerRecord {
  learnerId: string;
  displayName: string | null;
  labs: Record<string, LabProgress & { lastActivityAt: number }>;
}

export interface Store {
  /** Remember that the learner was here (creates them on first visit). */
  touchLearner(learnerId: string): Promise<void>;
  saveLabFiles(learnerId: string, labId: string, files: LabFiles): Promise<void>;
  /** The learner's last saved files for the lab, or null when they never saved any. */
  loadLabFiles(learnerId: string, labId: string): Promise<LabFiles | null>;
  recordAttempt(learnerId: string, labId: string, attempt: Attempt): Promise<void>;
  /** The learner was sent the lab's solution (now); only the first time is kept. */
  recordSolutionShown(learnerId: string, labId: string): Promise<void>;
  /**
   * Per lab the learner attempted or had the solution shown: attempts made, best score, the lab's
   * max score (from the latest attempt, as a lab's points may change; 0 before any), whether any
   * attempt passed, whether the solution was shown and whether a pass came before it.
   */
  progress(learnerId: string): Promise<Record<string, LabProgress>>;
  /** The name the learner chose to show their instructor; null clears it (anonymous). */
  setDisplayName(learnerId: string, displayName: string | null): Promise<void>;
  displayName(learnerId: string): Promise<string | null>;
  /**
   * Every learner who saved, checked or revealed anything, or chose a display name, oldest first,
   * with progress() per lab plus the lab's last activity (latest save, attempt or reveal).
   */
  everyLearner(): Promise<LearnerRecord[]>;
  /** The learner's latest attempt at the lab, or null. */
  lastAttempt(learnerId: string, labId: string): Promise<RecordedAttempt | null>;
  /** The lab the learner last worked on (their latest save: an edit, Check, Run or Reset), or null. */
  lastWorkedOn(learnerId: string): Promise<LastWorkedOn | null>;
  close(): Promise<void>;
}
