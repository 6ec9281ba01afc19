/**
 * The labs the server offers, loaded from labs/ on first use and loaded again whenever the lab's
 * folder changed (its manifest's stamp, or a file added to or removed from it, starter/ or
 * solution/), in development and production alike: an author sees an edit, or its error, on the
 * next open without restarting the server. Starter and solution contents are read on every use.
 * A lab that does not load is reported to the operator once per version and to the learner as
 * unavailable, never as a crash.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { formatProblem, type Lab, type LabLoadResult, type LabPaths, loadLab } from './loader.js';

export interface LabFileView {
  path: string;
  readonly: boolean;
  content: string;
}

export type LabLookup = { ok: true; lab: Lab } | { ok: false; error: string };

export class LabCatalog {
  private readonly cache = new Map<string, { stamp: string; result: Promise<LabLoadResult> }>();
  private readonly reported = new Set<string>();

  constructor(private readonly paths: LabPaths) {}

  /**
   * Only labs that exist are cached: ids come from clients, and a cache of every id ever asked
   * for would grow without bound. A missing lab costs one failed read of its manifest.
   */
  async get(id: string): Promise<LabLookup> {
    const stamp = await labStamp(path.join(this.paths.labsDir, id));
    let entry = this.cache.get(id);
    if (!entry || entry.stamp !== stamp) {
      entry = { stamp, result: loadLab(id, this.paths) };
      this.cache.set(id, entry);
    }
    const result = await entry.result;
    if (result.ok) return result;
    const missing = result.problems.length === 1 && result.problems[0]?.message === 'no such lab';
    if (missing) {
      this.cache.delete(id);
      return { ok: false, error: `There is no lab "${id}"` };
    }
    // A broken lab exists on disk, so these stay as few as the folders in labs/.
    const detail = result.problems.map(formatProblem).join('\n');
    if (!this.reported.has(detail)) {
      this.reported.add(detail);
      console.error(`bpflab: lab ${id} is unavailable:\n${detail}`);
    }
    return { ok: false, error: `The lab "${id}" is unavailable right now` };
  }

  /** The lab's files as a learner starts them (`starter/`) or as its author solved them (`solution/`). */
  async files(lab: Lab, variant: 'starter' | 'solution'): Promise<LabFileView[]> {
    return Promise.all(
      lab.manifest.files.map(async (f) => ({
        path: f.path,
        readonly: f.readonly,
        // A read-only file is the lab's, not the answer's: it is always the starter's.
        content: await readFile(path.join(lab.dir, f.readonly ? 'starter' : variant, f.path), 'utf8'),
      })),
    );
  }
}

/**
 * What changes when an author edits a lab in a way the loader judges: the manifest's mtime and
 * size, and the names of the files in the lab's folder, starter/ and solution/ (the loader checks
 * that each file it names exists); "" when there is no manifest. Lab ids from clients arrive
 * checked against the protocol's LAB_ID_PATTERN, so `dir` stays inside labs/.
 */
async function labStamp(dir: string): Promise<string> {
  const manifest = await stat(path.join(dir, 'lab.yaml')).catch(() => null);
  if (!manifest) return '';
  const listings = await Promise.all(
    ['.', 'starter', 'solution'].map((sub) =>
      readdir(path.join(dir, sub)).then(
        (names) => names.sort().join('/'),
        () => '-',
      ),
    ),
  );
  return `${manifest.mtimeMs}:${manifest.size}|${listings.join('|')}`;
}
