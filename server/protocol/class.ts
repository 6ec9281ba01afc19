/**
 * The class view's contract: what a learner may call themselves (`POST /api/profile`), and what
 * an instructor reads (`GET /api/class`, `GET /api/class/learner/<pseudonym>/lab/<labId>`).
 * Learners appear by a short pseudonym derived from their id (never the id itself, which is
 * their cookie's secret half) and by the display name they chose, if any.
 */
import { z } from 'zod';
import type { LabProgress } from './lab.js';

export const DISPLAY_NAME_MAX = 60;

/** A learner's display name; empty clears it (anonymous again). */
export const DisplayName = z
  .string({ error: 'displayName must be text' })
  .trim()
  .max(DISPLAY_NAME_MAX, `displayName is longer than ${DISPLAY_NAME_MAX} characters`)
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it refuses.
  .refine((name) => !/[\u0000-\u001f\u007f-\u009f]/.test(name), 'displayName has control characters');

export const ProfileRequest = z.object({ displayName: DisplayName }).strict();

/** `GET /api/profile` and the answer to `POST /api/profile`. */
export interface Profile {
  displayName: string | null;
}

/** A pseudonym: `l-` and ten characters of a hash of the learner id. */
export const PSEUDONYM_PATTERN = /^l-[a-f0-9]{10}$/;

/** One learner's record on one lab, for the instructor. */
export interface ClassLabProgress extends LabProgress {
  /** Their latest save, Check or reveal on this lab, ms since the epoch. */
  lastActivityAt: number;
}

export interface ClassLearner {
  pseudonym: string;
  displayName: string | null;
  labs: Record<string, ClassLabProgress>;
}

/** `GET /api/class`: every learner who worked on a lab or named themselves, and the labs seen. */
export interface ClassView {
  labIds: string[];
  learners: ClassLearner[];
}

/** `GET /api/class/learner/<pseudonym>/lab/<labId>`: their last Check of that lab. */
export interface LearnerSubmission {
  pseudonym: string;
  displayName: string | null;
  labId: string;
  progress: ClassLabProgress | null;
  lastCheck: {
    at: number;
    score: number;
    maxScore: number;
    passed: boolean;
    checksPassed: string[];
    /** The files graded, by path; null for a Check recorded before bpflab kept them. */
    files: Record<string, string> | null;
  } | null;
}

/** What `/api/class*` answers when the request carries no instructor session (401). */
export const INSTRUCTOR_SIGN_IN_REQUIRED = 'sign in as the instructor at /class first';
/** What `/api/class*` answers when the operator set no BPFLAB_INSTRUCTOR_SECRET (404). */
export const CLASS_VIEW_DISABLED =
  'the class view is off: the operator enables it by setting BPFLAB_INSTRUCTOR_SECRET (at least 16 characters) and restarting bpflab';
