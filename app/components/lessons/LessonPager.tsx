/** Previous and next lesson, in course order. */
import Link from 'next/link';
import type { LessonEntry } from '@/app/_lessons/catalog';

export function LessonPager({ previous, next }: { previous: LessonEntry | null; next: LessonEntry | null }) {
  if (!previous && !next) return null;
  return (
    <nav className="pager" aria-label="Previous and next lesson">
      {previous?.frontmatter && (
        <Link className="pager-link pager-previous" href={`/lessons/${previous.slug}`} rel="prev">
          <span className="pager-label">Previous</span>
          <span className="pager-title">{previous.frontmatter.title}</span>
        </Link>
      )}
      {next?.frontmatter && (
        <Link className="pager-link pager-next" href={`/lessons/${next.slug}`} rel="next">
          <span className="pager-label">Next</span>
          <span className="pager-title">{next.frontmatter.title}</span>
        </Link>
      )}
    </nav>
  );
}
