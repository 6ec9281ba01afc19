/**
 * What the pages ask for: the catalog, and one lesson ready to render. Server only: it reads
 * content/ from disk, runs esbuild and evaluates the compiled MDX.
 */
import 'server-only';
import path from 'node:path';
import type { MDXContent } from 'mdx/types';
import type { KernelFeature } from '../../server/protocol/kernel-features.js';
import { LABS_DIR } from '../../server/protocol/lesson-files.js';
import { type LessonCatalog, type LessonEntry, neighbours } from './catalog.js';
import type { LessonCompileResult } from './compile.js';
import { type ContentDiagnostic, formatDiagnostic } from './diagnostic.js';
import type { LessonFrontmatter } from './frontmatter.js';
import { lessonFeatures, readLabHeaders } from './lab-requirements.js';
import { LessonCache } from './lesson-cache.js';
import { lessonComponent } from './mdx-runtime.js';
import type { TocEntry } from './rehype-toc.js';

export type LessonPage =
  | { status: 'not-found' }
  | { status: 'broken'; entry: LessonEntry; diagnostics: ContentDiagnostic[]; source: string }
  | {
      status: 'ok';
      entry: LessonEntry;
      frontmatter: LessonFrontmatter;
      /** Every kernel feature the lesson and its labs need (lab-requirements.ts). */
      features: KernelFeature[];
      /** Each embedded lab's title by lab id, from its manifest (absent when it does not read). */
      labTitles: Record<string, string>;
      Content: MDXContent;
      toc: TocEntry[];
      previous: LessonEntry | null;
      next: LessonEntry | null;
    };

/** The server process runs from the repository root (`npm start`, `make start`, the e2e fixture). */
const root = process.cwd();
const cache = new LessonCache(root);

/** Evaluated once per compile, not per request; dropped with the compile result it came from. */
const components = new WeakMap<LessonCompileResult, MDXContent>();
const reported = new WeakSet<LessonCompileResult>();

export function getCatalog(): Promise<LessonCatalog> {
  return cache.catalog();
}

export async function getLessonPage(slug: string): Promise<LessonPage> {
  const catalog = await cache.catalog();
  const entry = catalog.lessons.find((l) => l.slug === slug);
  if (!entry) return { status: 'not-found' };

  const { source, result } = await cache.lesson(entry);
  if (!result.ok) {
    if (!reported.has(result)) {
      reported.add(result);
      console.error(
        `bpflab: ${entry.file} does not compile:\n${result.diagnostics.map(formatDiagnostic).join('\n')}`,
      );
    }
    return { status: 'broken', entry, source, diagnostics: result.diagnostics };
  }

  let Content = components.get(result);
  if (!Content) {
    Content = lessonComponent(result.code);
    components.set(result, Content);
  }
  const { frontmatter } = result;
  const labs = await readLabHeaders(path.join(root, LABS_DIR), frontmatter.labs);
  const labTitles: Record<string, string> = {};
  frontmatter.labs.forEach((id, i) => {
    const title = labs[i]?.title;
    if (title) labTitles[id] = title;
  });
  return {
    status: 'ok',
    entry,
    frontmatter,
    features: lessonFeatures(
      frontmatter.requires,
      labs.map((lab) => lab.requires),
    ),
    labTitles,
    Content,
    toc: result.toc,
    ...neighbours(catalog, slug),
  };
}
