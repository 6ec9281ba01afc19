/**
 * What the pages ask for: the catalog and one lesson ready to render. Server only: it reads
 * content/ from disk and runs esbuild. Results are cached for the life of the process and
 * revalidated on every request by file stamp (mtime and size), then by content hash, so an edited
 * lesson is recompiled on the next request, in production as in dev, and an untouched one is not.
 */
import 'server-only';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { MDXContent } from 'mdx/types';
import {
  LABS_DIR,
  type LessonCatalog,
  type LessonEntry,
  lessonFileNames,
  neighbours,
  readCatalog,
  CONTENT_DIR,
} from './catalog.js';
import { compileLesson, type LessonCompileResult } from './compile.js';
import { type ContentDiagnostic, formatDiagnostic } from './diagnostic.js';
import type { LessonFrontmatter } from './frontmatter.js';
import { lessonComponent } from './mdx-runtime.js';
import type { TocEntry } from './rehype-toc.js';

/** The server process runs from the repository root (`npm start`, `make start`, the e2e fixture). */
const root = process.cwd();

export type LessonPage =
  | { status: 'not-found' }
  | { status: 'broken'; entry: LessonEntry; diagnostics: ContentDiagnostic[]; source: string }
  | {
      status: 'ok';
      entry: LessonEntry;
      frontmatter: LessonFrontmatter;
      Content: MDXContent;
      toc: TocEntry[];
      previous: LessonEntry | null;
      next: LessonEntry | null;
    };

interface Compiled {
  stamp: string;
  hash: string;
  source: string;
  labsPresent: string;
  result: LessonCompileResult;
  /** Evaluated once per compile, not per request. */
  Content: MDXContent | null;
}

let catalogCache: { key: string; catalog: Promise<LessonCatalog> } | null = null;
const compiled = new Map<string, Promise<Compiled>>();

export async function getCatalog(): Promise<LessonCatalog> {
  const names = await lessonFileNames(root);
  const stamps = await Promise.all(names.map((n) => fileStamp(path.join(root, CONTENT_DIR, n))));
  const key = names.map((n, i) => `${n}@${stamps[i]}`).join('|');
  if (catalogCache?.key !== key) {
    const catalog = readCatalog(root);
    catalogCache = { key, catalog };
    catalog.catch(() => {
      if (catalogCache?.catalog === catalog) catalogCache = null;
    });
  }
  return catalogCache.catalog;
}

export async function getLessonPage(slug: string): Promise<LessonPage> {
  const catalog = await getCatalog();
  const entry = catalog.lessons.find((l) => l.slug === slug);
  if (!entry) return { status: 'not-found' };

  const lesson = await compiledLesson(entry);
  if (!lesson.result.ok || !lesson.Content) {
    return {
      status: 'broken',
      entry,
      source: lesson.source,
      diagnostics: lesson.result.ok ? [] : lesson.result.diagnostics,
    };
  }
  return {
    status: 'ok',
    entry,
    frontmatter: lesson.result.frontmatter,
    Content: lesson.Content,
    toc: lesson.result.toc,
    ...neighbours(catalog, slug),
  };
}

async function compiledLesson(entry: LessonEntry): Promise<Compiled> {
  const stamp = await fileStamp(entry.absPath);
  const cached = await compiled.get(entry.absPath)?.catch(() => null);
  if (cached && cached.stamp === stamp && cached.labsPresent === labsPresent(cached.result)) return cached;

  const next = (async (): Promise<Compiled> => {
    const source = await readFile(entry.absPath, 'utf8');
    const hash = createHash('sha256').update(source).digest('hex');
    // A touched but unchanged file (a checkout, an editor's save) is not recompiled.
    if (cached && cached.hash === hash && cached.labsPresent === labsPresent(cached.result)) {
      return { ...cached, stamp };
    }
    const result = await compileLesson({ file: entry.file, source, labsDir: path.join(root, LABS_DIR) });
    if (!result.ok) {
      console.error(`bpflab: lesson ${entry.file} has errors:\n${result.diagnostics.map(formatDiagnostic).join('\n')}`);
    }
    const Content = result.ok ? lessonComponent(result.code) : null;
    return { stamp, hash, source, labsPresent: labsPresent(result), result, Content };
  })();
  compiled.set(entry.absPath, next);
  next.catch(() => {
    if (compiled.get(entry.absPath) === next) compiled.delete(entry.absPath);
  });
  return next;
}

async function fileStamp(file: string): Promise<string> {
  const s = await stat(file);
  return `${s.mtimeMs}:${s.size}`;
}

/** Which of the lab manifests a lesson embeds exist right now. */
function labsPresent(result: LessonCompileResult): string {
  return result.labManifests.map((m) => (existsSync(m) ? '1' : '0')).join('');
}
