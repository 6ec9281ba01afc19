/** The home page: the course, lesson by lesson, with the learner's progress filled in client-side. */
import Link from 'next/link';
import { publishedLessons } from './_lessons/catalog';
import { getCatalog } from './_lessons/lessons.server';
import { ContentErrors } from './components/lessons/ContentErrors';
import { ContinueLearning, YouAreHere } from './components/progress/ContinueLearning';
import { DisplayNameForm } from './components/progress/DisplayNameForm';
import { LessonProgress, ProgressProvider } from './components/progress/LessonProgress';

// Lessons are read from content/ at request time, so an edit shows without a rebuild.
export const dynamic = 'force-dynamic';

export default async function HomePage() {
  const catalog = await getCatalog();
  const lessons = publishedLessons(catalog);
  const dev = process.env.NODE_ENV !== 'production';
  const broken = catalog.lessons.filter((l) => !l.frontmatter);

  return (
    <div className="home">
      <section className="intro" aria-labelledby="intro-title">
        <h1 id="intro-title">Learn eBPF on a real kernel</h1>
        <p>
          Each lesson explains one idea and ends in a lab: you write the BPF program in the editor, run it in
          your own Linux sandbox, and a grader loads it into the kernel and checks what it sees.
        </p>
      </section>

      {dev && catalog.diagnostics.length > 0 && (
        <ContentErrors
          title="The course has content problems"
          headingLevel="h2"
          diagnostics={catalog.diagnostics}
        />
      )}

      <section aria-labelledby="lessons-title">
        <h2 id="lessons-title">Lessons</h2>
        {lessons.length === 0 ? (
          <p>No lessons yet: add one as content/01-first-lesson.mdx.</p>
        ) : (
          <ProgressProvider>
            <ContinueLearning
              lessons={lessons.map((l) => ({
                slug: l.slug,
                order: l.order,
                title: l.frontmatter.title,
                labs: l.frontmatter.labs,
              }))}
            />
            <ol className="lesson-list">
              {lessons.map((lesson) => (
                <li key={lesson.slug} className="lesson-card">
                  <span className="lesson-number" aria-hidden="true">
                    {String(lesson.order).padStart(2, '0')}
                  </span>
                  <div className="lesson-card-body">
                    <h3>
                      <Link href={`/lessons/${lesson.slug}`}>{lesson.frontmatter.title}</Link>
                    </h3>
                    <YouAreHere labs={lesson.frontmatter.labs} />
                    <p>{lesson.frontmatter.summary}</p>
                    <p className="lesson-card-meta">
                      <span>{lesson.frontmatter.minutes} min</span>
                      {lesson.frontmatter.labs.length > 0 && (
                        <span>
                          {lesson.frontmatter.labs.length}{' '}
                          {lesson.frontmatter.labs.length === 1 ? 'lab' : 'labs'}
                        </span>
                      )}
                      <LessonProgress labs={lesson.frontmatter.labs} />
                    </p>
                  </div>
                </li>
              ))}
            </ol>
          </ProgressProvider>
        )}
        {dev && broken.length > 0 && (
          <p className="dev-note">
            Not listed because their frontmatter is invalid:{' '}
            {broken.map((l, i) => (
              <span key={l.slug}>
                {i > 0 && ', '}
                <Link href={`/lessons/${l.slug}`}>{l.file}</Link>
              </span>
            ))}
          </p>
        )}
      </section>

      <DisplayNameForm />
    </div>
  );
}
