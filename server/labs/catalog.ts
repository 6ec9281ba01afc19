/**
 * The labs the server offers, loaded from labs/ on first use. In development every request
 * re-reads the manifest, so an author sees an edit (or its error) on the next open; in production
 * a lab is read once. A lab that does not load is reported to the operator once per version and
 * to the learner as unavailable, never as a crash.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { formatProblem, type Lab, type LabLoadResult, type LabPaths, loadLab } from './loader.js';

export interface LabFileView {
  path: string;
  readonly: boolean;
  content: string;
}

export type LabLookup = { ok: true; lab: Lab } | { ok: false; error: string };

export class LabCatalog {
  private readonly cache = new Map<string, Promise<LabLoadResult>>();
  private readonly reported = new Set<string>();

  constructor(
    private readonly paths: LabPaths,
    private readonly reload: boolean,
  ) {}

  /**
   * Only labs that exist are cached: ids come from clients, and a cache of every id ever asked
   * for would grow without bound. A missing lab costs one failed read of its manifest.
   */
  async get(id: string): Promise<LabLookup> {
    let loading = this.reload ? undefined : this.cache.get(id);
    if (!loading) {
      loading = loadLab(id, this.paths);
      this.cache.set(id, loading);
    }
    const result = await loading;
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
