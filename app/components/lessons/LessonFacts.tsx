/** Time, labs and kernel features of a lesson (its own and its labs'), as a short definition list. */
import type { LessonFrontmatter } from '@/app/_lessons/frontmatter';
import type { KernelFeature } from '@/server/protocol/kernel-features';
import { LessonFeatures } from './LessonFeatures';

export interface LessonFactsProps {
  frontmatter: LessonFrontmatter;
  /** Every feature the lesson and its labs need (app/_lessons/lab-requirements.ts). */
  features: readonly KernelFeature[];
}

export function LessonFacts({ frontmatter, features }: LessonFactsProps) {
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
      {features.length > 0 && (
        <div>
          <dt>Kernel features</dt>
          <dd>
            <LessonFeatures features={features} probe={frontmatter.labs.length > 0} />
          </dd>
        </div>
      )}
    </dl>
  );
}
