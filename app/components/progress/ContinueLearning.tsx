'use client';
/**
 * The way in on the home page: "Continue" to the lab the learner last worked on, landing on the
 * lab in its lesson, or "Start with lesson 1" for a learner who has not saved anything yet; and
 * "You are here" on the lesson card of that lab. Both wait for the learner's progress
 * (ProgressProvider), so a returning learner is not first offered the start.
 */
import Link from 'next/link';
import { labAnchor } from '@/app/components/lab/lab-anchor';
import { useLastWorkedOn } from './LessonProgress';
import { type CourseLesson, lessonOfLab } from './last-worked-on';

export function ContinueLearning({ lessons }: { lessons: readonly CourseLesson[] }) {
  const last = useLastWorkedOn();
  if (last === undefined || lessons.length === 0) return <div className="way-in" />;
  const lesson = last ? lessonOfLab(lessons, last.labId) : null;
  if (last && lesson) {
    return (
      <div className="way-in">
        <Link className="way-in-link" href={`/lessons/${lesson.slug}#${labAnchor(last.labId)}`}>
          Continue: lab {last.labId}
        </Link>
        <span className="way-in-where">
          in lesson {lesson.order}, {lesson.title}, where you last saved
        </span>
      </div>
    );
  }
  const first = lessons[0]!;
  return (
    <div className="way-in">
      <Link className="way-in-link" href={`/lessons/${first.slug}`}>
        Start with lesson {first.order}
      </Link>
      <span className="way-in-where">{first.title}</span>
    </div>
  );
}

/** On the lesson card whose lesson holds the lab the learner last worked on. */
export function YouAreHere({ labs }: { labs: readonly string[] }) {
  const last = useLastWorkedOn();
  if (!last || !labs.includes(last.labId)) return null;
  return (
    <span className="you-are-here" aria-current="step">
      You are here
    </span>
  );
}
