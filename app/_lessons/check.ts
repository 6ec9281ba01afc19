/**
 * Checks all of content/ the way the site would use it: the catalog (names, order, duplicates)
 * and a full compile of every lesson file. Used by `npm run content:check` and its tests.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { CONTENT_DIR, LABS_DIR } from '../../server/protocol/lesson-files.js';
import { buildCatalog, lessonFileNames } from './catalog.js';
import { compileLesson } from './compile.js';
import { type ContentDiagnostic, sortDiagnostics } from './diagnostic.js';
import { parseLessonFrontmatter } from './frontmatter.js';

export interface ContentReport {
  /** How many lesson files were checked. */
  lessons: number;
  diagnostics: ContentDiagnostic[];
}

export async function checkContent(root: string): Promise<ContentReport> {
  const labsDir = path.join(root, LABS_DIR);
  const files = await Promise.all(
    (await lessonFileNames(root)).map(async (name) => {
      const file = `${CONTENT_DIR}/${name}`;
      const absPath = path.join(root, file);
      return { name, file, absPath, source: await readFile(absPath, 'utf8') };
    }),
  );

  const catalog = buildCatalog(
    files.map((f) => ({ ...f, parsed: parseLessonFrontmatter(f.file, f.source) })),
  );
  // One at a time: esbuild and shiki are fast, and the order keeps memory flat for big courses.
  const perFile: ContentDiagnostic[] = [];
  for (const f of files) {
    const result = await compileLesson({ file: f.file, source: f.source, labsDir });
    if (!result.ok) perFile.push(...result.diagnostics);
  }
  return { lessons: files.length, diagnostics: sortDiagnostics([...catalog.diagnostics, ...perFile]) };
}
