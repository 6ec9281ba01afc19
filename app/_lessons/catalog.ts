/**
 * The course as a list: every `content/NN-slug.mdx`, in order, with its frontmatter. The file
 * name carries the slug (the URL, `/lessons/<slug>`) and the order; frontmatter `order` must agree
 * with it so that neither a rename nor an edit reorders the course by accident.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { CONTENT_DIR, parseLessonFileName } from '../../server/protocol/lesson-files.js';
import { type ContentDiagnostic, diagnostic, FILE_START, sortDiagnostics } from './diagnostic.js';
import { type LessonFrontmatter, type ParsedFrontmatter, parseLessonFrontmatter } from './frontmatter.js';

export interface LessonEntry {
  slug: string;
  /** From the file name prefix. */
  order: number;
  /** Repository-relative, e.g. `content/03-hello-execve.mdx`. */
  file: string;
  absPath: string;
  /** null when the frontmatter is invalid; the lesson page then shows (dev) or fails (prod). */
  frontmatter: LessonFrontmatter | null;
}

export interface LessonCatalog {
  /** Every lesson with a valid file name, by order. */
  lessons: LessonEntry[];
  /** Problems across files: names, order, duplicates. Per-file problems come from compileLesson. */
  diagnostics: ContentDiagnostic[];
}

/** The .mdx file names in content/, sorted. */
export async function lessonFileNames(root: string): Promise<string[]> {
  const names = await readdir(path.join(root, CONTENT_DIR)).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    throw error;
  });
  return names.filter((n) => n.endsWith('.mdx')).sort();
}

export async function readCatalog(root: string): Promise<LessonCatalog> {
  const files = await Promise.all(
    (await lessonFileNames(root)).map(async (name) => {
      const file = `${CONTENT_DIR}/${name}`;
      const absPath = path.join(root, file);
      return { name, file, absPath, parsed: parseLessonFrontmatter(file, await readFile(absPath, 'utf8')) };
    }),
  );
  return buildCatalog(files);
}

export interface CatalogFile {
  name: string;
  file: string;
  absPath: string;
  parsed: ParsedFrontmatter;
}

export function buildCatalog(files: readonly CatalogFile[]): LessonCatalog {
  const diagnostics: ContentDiagnostic[] = [];
  const lessons: LessonEntry[] = [];
  const byOrder = new Map<number, string>();
  const bySlug = new Map<string, string>();

  for (const { name, file, absPath, parsed } of files) {
    const named = parseLessonFileName(name);
    if (!named) {
      diagnostics.push(
        diagnostic(
          file,
          FILE_START,
          'lesson files are named NN-slug.mdx (two digits, then lowercase words and dashes)',
        ),
      );
      continue;
    }
    const orderAt = parsed.locate(['order']);
    const { frontmatter } = parsed;
    if (frontmatter && frontmatter.order !== named.order) {
      diagnostics.push(
        diagnostic(
          file,
          orderAt,
          `frontmatter \`order\` is ${frontmatter.order} but the file name says ${named.order}`,
        ),
      );
    }
    const sameOrder = byOrder.get(named.order);
    if (sameOrder) {
      diagnostics.push(diagnostic(file, orderAt, `order ${named.order} is also used by ${sameOrder}`));
    }
    const sameSlug = bySlug.get(named.slug);
    if (sameSlug) {
      diagnostics.push(diagnostic(file, FILE_START, `slug "${named.slug}" is also used by ${sameSlug}`));
      continue;
    }
    byOrder.set(named.order, file);
    bySlug.set(named.slug, file);
    lessons.push({ ...named, file, absPath, frontmatter });
  }

  lessons.sort((a, b) => a.order - b.order || a.slug.localeCompare(b.slug));
  return { lessons, diagnostics: sortDiagnostics(diagnostics) };
}

/** The lessons a learner can open: those with valid frontmatter, in order. */
export function publishedLessons(
  catalog: LessonCatalog,
): (LessonEntry & { frontmatter: LessonFrontmatter })[] {
  return catalog.lessons.filter(
    (l): l is LessonEntry & { frontmatter: LessonFrontmatter } => l.frontmatter !== null,
  );
}

/** The published lessons before and after `slug` in course order. */
export function neighbours(
  catalog: LessonCatalog,
  slug: string,
): { previous: LessonEntry | null; next: LessonEntry | null } {
  const list = publishedLessons(catalog);
  const i = list.findIndex((l) => l.slug === slug);
  if (i === -1) return { previous: null, next: null };
  return { previous: list[i - 1] ?? null, next: list[i + 1] ?? null };
}
