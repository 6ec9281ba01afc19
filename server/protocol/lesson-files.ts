/**
 * Where lessons and labs live, and how a lesson file is named: `content/NN-slug.mdx`. The slug is the lesson's URL
 * (`/lessons/<slug>`) and what a lab manifest's `lesson:` names; `NN` orders the course. The lesson
 * catalog (app/_lessons) and the lab loader (server/labs) both read file names with this one rule.
 */

/** The repository's folders of lessons and of labs. */
export const CONTENT_DIR = 'content';
export const LABS_DIR = 'labs';

const FILE_NAME = /^(\d{2})-([a-z0-9]+(?:-[a-z0-9]+)*)\.mdx$/;

/** `03-hello-execve.mdx` → order 3, slug `hello-execve`; null for any other name. */
export function parseLessonFileName(name: string): { order: number; slug: string } | null {
  const match = FILE_NAME.exec(name);
  return match?.[1] && match[2] ? { order: Number(match[1]), slug: match[2] } : null;
}
