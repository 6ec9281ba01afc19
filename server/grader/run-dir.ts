/**
 * The run directory: one per attempt, `.bpflab/runs/<nonce>/` in the learner's workspace, holding
 * exactly what the build, the runner, the workload and the check scripts need. Files keep the names
 * the learner sees, so compiler and verifier messages name them the same way. Removed afterwards,
 * pass or fail.
 */
import { constants } from 'node:fs';
import { access, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Lab } from '../labs/loader.js';
import type { Sandbox, WorkspaceFile } from '../sandbox/types.js';
import { LIMITS } from './limits.js';
import { TRACE_TAG_DIR, traceTagHeader } from './trace-tag.js';

export const RUNS_DIR = '.bpflab/runs';

export function runDirOf(nonce: string): string {
  return `${RUNS_DIR}/${nonce}`;
}

/** The learner's sources as they will be built: editable files from the learner, read-only ones from the lab. */
export async function sourcesFor(
  lab: Lab,
  learnerFiles: Readonly<Record<string, string>>,
): Promise<Map<string, string>> {
  const sources = new Map<string, string>();
  for (const f of lab.manifest.files) {
    const fromLearner = f.readonly ? undefined : learnerFiles[f.path];
    sources.set(f.path, fromLearner ?? (await readFile(path.join(lab.dir, 'starter', f.path), 'utf8')));
  }
  return sources;
}

/**
 * What the run directory holds before the build, by path inside it: the learner's sources, the
 * lab's support files and check scripts (executable as in the lab folder), and the trace tag
 * header.
 */
export async function runDirFiles(
  lab: Lab,
  sources: ReadonlyMap<string, string>,
  nonce: string,
): Promise<WorkspaceFile[]> {
  const files: WorkspaceFile[] = [...sources].map(([name, text]) => ({ path: name, content: text }));
  const fromLab = [
    ...lab.manifest.support,
    ...lab.manifest.checks.flatMap((c) => (c.type === 'script' ? [c.run] : [])),
  ];
  for (const name of fromLab) {
    const file = path.join(lab.dir, name);
    files.push({ path: name, content: await readFile(file), executable: await isExecutable(file) });
  }
  files.push({ path: `${TRACE_TAG_DIR}/bpf/bpf_helpers.h`, content: traceTagHeader(nonce) });
  return files;
}

/** Writes `files` (paths inside the run directory) in one go; throws only when the sandbox is broken. */
export async function writeRunDir(
  sandbox: Sandbox,
  nonce: string,
  files: readonly WorkspaceFile[],
): Promise<void> {
  const dir = runDirOf(nonce);
  await sandbox.writeFiles(files.map((f) => ({ ...f, path: `${dir}/${f.path}` })));
}

/** Removals under way (removeRunDirLater), until each ends. */
const removals = new Set<Promise<void>>();

/**
 * Removes the run directory in the background: a grade's reply need not wait for it (a sandbox
 * command, tens of milliseconds). `runDirsRemoved` waits for every removal started so far, for
 * whoever disposes sandboxes or looks for leftovers.
 */
export function removeRunDirLater(sandbox: Sandbox, nonce: string): void {
  const removal = removeRunDir(sandbox, nonce).finally(() => removals.delete(removal));
  removals.add(removal);
}

export async function runDirsRemoved(): Promise<void> {
  await Promise.all([...removals]);
}

/** Removes the run directory; a failure is logged for the operator, never shown to the learner. */
async function removeRunDir(sandbox: Sandbox, nonce: string): Promise<void> {
  try {
    const rm = await sandbox.exec(['rm', '-rf', '--', runDirOf(nonce)], {
      timeoutMs: LIMITS.cleanupMs,
      maxOutputBytes: LIMITS.outputBytes,
    });
    if (rm.exitCode !== 0)
      console.error(`bpflab: removing ${runDirOf(nonce)} in ${sandbox.name}: ${rm.stderr.trim()}`);
  } catch (error) {
    // A sandbox disposed meanwhile took its workspace with it.
    console.error(`bpflab: removing ${runDirOf(nonce)} in ${sandbox.name}:`, error);
  }
}

async function isExecutable(file: string): Promise<boolean> {
  return access(file, constants.X_OK).then(
    () => true,
    () => false,
  );
}
