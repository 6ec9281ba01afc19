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
import type { Sandbox } from '../sandbox/types.js';
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

/** Writes the run directory; returns nothing, throws only when the sandbox is broken. */
export async function writeRunDir(
  sandbox: Sandbox,
  lab: Lab,
  sources: ReadonlyMap<string, string>,
  nonce: string,
  signal: AbortSignal,
): Promise<void> {
  const dir = runDirOf(nonce);
  const fromLab = [
    ...lab.manifest.support,
    ...lab.manifest.checks.flatMap((c) => (c.type === 'script' ? [c.run] : [])),
  ];
  const executables: string[] = [];
  // One at a time: writes that create the same parent directory concurrently may collide.
  for (const [name, text] of sources) await sandbox.writeFile(`${dir}/${name}`, text);
  for (const name of fromLab) {
    const file = path.join(lab.dir, name);
    await sandbox.writeFile(`${dir}/${name}`, await readFile(file));
    if (await isExecutable(file)) executables.push(name);
  }
  await sandbox.writeFile(`${dir}/${TRACE_TAG_DIR}/bpf/bpf_helpers.h`, traceTagHeader(nonce));
  if (executables.length === 0) return;
  // Workspace writes do not carry file modes; workloads and check scripts need theirs.
  const chmod = await sandbox.exec(['chmod', '+x', '--', ...executables], {
    cwd: dir,
    timeoutMs: LIMITS.prepareMs,
    maxOutputBytes: LIMITS.outputBytes,
    signal,
  });
  if (chmod.exitCode !== 0) throw new Error(`chmod in ${dir} failed: ${chmod.stderr.trim()}`);
}

/** Removes the run directory; a failure is logged for the operator, never shown to the learner. */
export async function removeRunDir(sandbox: Sandbox, nonce: string): Promise<void> {
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
