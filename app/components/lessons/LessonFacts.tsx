/** Time, labs and kernel features of a lesson, as a short definition list. */
import type { LessonFrontmatter } from '@/app/_lessons/frontmatter';

export function LessonFacts({ frontmatter }: { frontmatter: LessonFrontmatter }) {
  return (
    <dl className="facts">
      <div>
        <dt>Time</dt>
        <dd>{frontmatter.minutes} min</dd>
      </div>
      {frontmatter.labs.length > 0 && (
        <div>
          <dt>Labs</dt>
          <dd>{frontmatter.labs.length}</dd>
        </div>
      )}
      {frontmatter.requires.length > 0 && (
        <div>
          <dt>Kernel features</dt>
          <dd>
            <ul className="feature-list">
              {frontmatter.requires.map((feature) => (
                <li key={feature}>
                  <code>{feature}</code>
                </li>
              ))}
            </ul>
          </dd>
        </div>
      )}
    </dl>
  );
}
