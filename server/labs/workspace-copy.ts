/**
 * The learner's lab files, copied into their sandbox at ~/labs/<id>/ so that the terminal sees
 * what the editor holds: `make` there builds exactly as Check does, and the object can be loaded
 * by hand with bpftool or the runner. The editor is the source of truth: every open, save and
 * reset rewrites the copy. A failed copy is logged, never shown as a failed save.
 */

import type { Sandbox } from '../sandbox/types.js';
import { TOOLS_DIR } from '../sandbox/types.js';
import type { LabFileView } from './catalog.js';
import type { Lab } from './loader.js';
import { buildTargets } from './schema.js';

export function workspaceDirOf(labId: string): string {
  return `labs/${labId}`;
}

/** A Makefile whose default goal builds what the lab's Check builds, with the same flags. */
export function labMakefile(lab: Lab): string {
  const goals = buildTargets(lab.manifest.build);
  return [
    '# Written by bpflab from the editor; `make` builds this lab as Check does.',
    `include ${TOOLS_DIR}/lab.mk`,
    ...(lab.manifest.attach?.eventType ? [`EVENT_TYPE := ${lab.manifest.attach.eventType}`] : []),
    '.DEFAULT_GOAL := all',
    '.PHONY: all clean',
    `all: ${goals.join(' ')}`,
    'clean:',
    `\trm -f ${goals.join(' ')} *.skel.h`,
    '',
  ].join('\n');
}

export async function copyToWorkspace(
  sandbox: Sandbox,
  lab: Lab,
  files: readonly Pick<LabFileView, 'path' | 'content'>[],
): Promise<void> {
  const dir = workspaceDirOf(lab.id);
  try {
    await sandbox.writeFiles([
      ...files.map((f) => ({ path: `${dir}/${f.path}`, content: f.content })),
      { path: `${dir}/Makefile`, content: labMakefile(lab) },
    ]);
  } catch (error) {
    console.error(`bpflab: copying lab ${lab.id} into ${sandbox.name}:`, error);
  }
}
