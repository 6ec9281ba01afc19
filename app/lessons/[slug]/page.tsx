/** One lesson: its MDX compiled on the server, with a table of contents and previous/next links. */
import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { getLessonPage } from '@/app/_lessons/lessons.server';
import { LazyLab } from '@/app/components/lab/LazyLab';
import { ContentErrors } from '@/app/components/lessons/ContentErrors';
import { LessonFacts } from '@/app/components/lessons/LessonFacts';
import { LessonPager } from '@/app/components/lessons/LessonPager';
import { TableOfContents } from '@/app/components/lessons/TableOfContents';
import { lessonComponents } from '@/app/components/mdx/registry';

// Compiled on request (and cached by file stamp), so editing content/ needs no rebuild.
export const dynamic = 'force-dynamic';

type Props = { params: Promise<{ slug: string }> };

/** Thrown in production for a lesson that does not compile; error.tsx renders the error page. */
class BrokenLessonError extends Error {
  constructor(file: string) {
    super(`${file} does not compile; run npm run content:check`);
    this.name = 'BrokenLessonError';
  }
}

/** `<Lab id>` whose frame shows the lab's title before the lab itself has loaded (LazyLab.tsx). */
function labsTitled(titles: Record<string, string>) {
  // biome-ignore lint/correctness/noComponentHookFactories: a server component, rendered once per request: there is no state to lose, and the client tree holds LazyLab itself
  return function TitledLab({ id }: { id: string }) {
    return <LazyLab id={id} title={titles[id]} />;
  };
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const page = await getLessonPage((await params).slug);
  if (page.status !== 'ok') return { title: page.status === 'broken' ? page.entry.file : 'Not found' };
  return { title: page.frontmatter.title, description: page.frontmatter.summary };
}

export default async function LessonPage({ params }: Props) {
  const page = await getLessonPage((await params).slug);
  if (page.status === 'not-found') notFound();
  if (page.status === 'broken') {
    if (process.env.NODE_ENV === 'production') throw new BrokenLessonError(page.entry.file);
    return (
      <ContentErrors
        title={`${page.entry.file} does not compile`}
        diagnostics={page.diagnostics}
        source={page.source}
      />
    );
  }

  const { Content, frontmatter, features, labTitles, toc, previous, next } = page;
  const components = { ...lessonComponents, Lab: labsTitled(labTitles) };
  return (
    <article className="lesson-layout" aria-labelledby="lesson-title">
      <header className="lesson-header">
        <p className="lesson-kicker">Lesson {frontmatter.order}</p>
        <h1 id="lesson-title">{frontmatter.title}</h1>
        <p className="lesson-summary">{frontmatter.summary}</p>
        <LessonFacts frontmatter={frontmatter} features={features} />
      </header>
      <aside className="lesson-aside">
        <TableOfContents entries={toc} />
      </aside>
      <div className="prose">
        <Content components={components} />
      </div>
      <LessonPager previous={previous} next={next} />
    </article>
  );
}
