/**
 * Compiled lessons and the catalog, kept for the life of the process and revalidated on every
 * request: first by file stamp (mtime and size, one stat), then by content hash, so an edited
 * lesson is recompiled on the next request, in production as in dev, and an untouched (or merely
 * touched) one is not. A lesson is also stale when a lab manifest it embeds appears or vanishes.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { CONTENT_DIR, LABS_DIR } from '../../server/protocol/lesson-files.js';
import { type LessonCatalog, type LessonEntry, lessonFileNames, readCatalog } from './catalog.js';
import { compileLesson, type LessonCompileResult, type LessonSource } from './compile.js';

export interface CachedLesson {
  source: string;
  result: LessonCompileResult;
}

interface Entry extends CachedLesson {
  stamp: string;
  hash: string;
  labsPresent: string;
}

export class LessonCache {
  private catalogEntry: { key: string; catalog: Promise<LessonCatalog> } | null = null;
  private readonly lessons = new Map<string, Promise<Entry>>();

  constructor(
    private readonly root: string,
    private readonly compile: (input: LessonSource) => Promise<LessonCompileResult> = compileLesson,
  ) {}

  async catalog(): Promise<LessonCatalog> {
    const names = await lessonFileNames(this.root);
    const stamps = await Promise.all(names.map((n) => fileStamp(path.join(this.root, CONTENT_DIR, n))));
    const key = names.map((n, i) => `${n}@${stamps[i]}`).join('|');
    if (this.catalogEntry?.key !== key) {
      const catalog = readCatalog(this.root);
      this.catalogEntry = { key, catalog };
      // A failed read is not cached: the next request tries again.
      catalog.catch(() => {
        if (this.catalogEntry?.catalog === catalog) this.catalogEntry = null;
      });
    }
    return this.catalogEntry.catalog;
  }

  async lesson(entry: LessonEntry): Promise<CachedLesson> {
    const stamp = await fileStamp(entry.absPath);
    const cached = await this.lessons.get(entry.absPath)?.catch(() => null);
    if (cached && cached.stamp === stamp && cached.labsPresent === labsPresent(cached.result)) return cached;

    const next = this.load(entry, stamp, cached ?? null);
    this.lessons.set(entry.absPath, next);
    next.catch(() => {
      if (this.lessons.get(entry.absPath) === next) this.lessons.delete(entry.absPath);
    });
    return next;
  }

  private async load(entry: LessonEntry, stamp: string, cached: Entry | null): Promise<Entry> {
    const source = await readFile(entry.absPath, 'utf8');
    const hash = createHash('sha256').update(source).digest('hex');
    if (cached && cached.hash === hash && cached.labsPresent === labsPresent(cached.result)) {
      return { ...cached, stamp };
    }
    const result = await this.compile({ file: entry.file, source, labsDir: path.join(this.root, LABS_DIR) });
    return { stamp, hash, source, result, labsPresent: labsPresent(result) };
  }
}

async function fileStamp(file: string): Promise<string> {
  const s = await stat(file);
  return `${s.mtimeMs}:${s.size}`;
}

/** Which of the lab manifests a lesson embeds exist right now, e.g. `101`. */
function labsPresent(result: LessonCompileResult): string {
  return result.labManifests.map((m) => (existsSync(m) ? '1' : '0')).join('');
}
