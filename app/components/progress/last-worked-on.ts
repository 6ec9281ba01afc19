/**
 * Where a learner is in the course: the lab they last worked on (`last` of `GET /api/progress`),
 * and the lesson that embeds it, found in the course's own lesson list.
 */
import { z } from 'zod';

export const LastWorkedOn = z.object({ labId: z.string(), at: z.number() });
export type LastWorkedOn = z.infer<typeof LastWorkedOn>;

/** A published lesson as the home page lists it. */
export interface CourseLesson {
  slug: string;
  order: number;
  title: string;
  labs: readonly string[];
}

/** The lesson that embeds the lab, or null when no published lesson does (a lab since removed). */
export function lessonOfLab(lessons: readonly CourseLesson[], labId: string): CourseLesson | null {
  return lessons.find((lesson) => lesson.labs.includes(labId)) ?? null;
}
