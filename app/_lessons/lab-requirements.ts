/**
 * The kernel features a lesson's labs need, for its header: the lesson's own `requires` and each
 * embedded lab's (`requires:` in `labs/<id>/lab.yaml`, the one field of a manifest read here, by
 * the schema the lab loader takes it from). Read per request, so a manifest edit shows at once.
 * A manifest that cannot be read adds nothing: the lab loader and the content check report it.
 */
import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { z } from 'zod';
import { type KernelFeature, LabRequires } from '../../server/protocol/kernel-features.js';
import { manifestPath } from './compile.js';

const ManifestRequires = z.object({ requires: LabRequires });

/** Each lab's required features, in the order of `labIds`; [] for a manifest that does not read. */
export async function readLabRequirements(
  labsDir: string,
  labIds: readonly string[],
): Promise<KernelFeature[][]> {
  return Promise.all(
    labIds.map(async (id) => {
      try {
        const parsed = ManifestRequires.safeParse(parse(await readFile(manifestPath(labsDir, id), 'utf8')));
        return parsed.success ? parsed.data.requires : [];
      } catch {
        return [];
      }
    }),
  );
}

/** The lesson's features, then each lab's not yet listed, each once. */
export function lessonFeatures(
  lessonRequires: readonly KernelFeature[],
  labsRequire: readonly (readonly KernelFeature[])[],
): KernelFeature[] {
  return [...new Set([...lessonRequires, ...labsRequire.flat()])];
}
