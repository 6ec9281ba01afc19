/**
 * What a lesson page reads of its labs' manifests (`labs/<id>/lab.yaml`): each lab's title, shown
 * in the lab's frame before the lab has loaded (LazyLab.tsx), and the kernel features it needs
 * (`requires:`), for the lesson's header beside the lesson's own. Read per request, by the schema
 * the lab loader takes `requires` from, so a manifest edit shows at once. A manifest that cannot
 * be read adds nothing: the lab loader and the content check report it.
 */
import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { z } from 'zod';
import { type KernelFeature, LabRequires } from '../../server/protocol/kernel-features.js';
import { manifestPath } from './compile.js';

const ManifestHeader = z.object({ title: z.string().optional(), requires: LabRequires });

export interface LabHeader {
  /** null when the manifest does not read or has no title. */
  title: string | null;
  requires: KernelFeature[];
}

const UNREADABLE: LabHeader = { title: null, requires: [] };

/** Each lab's title and required features, in the order of `labIds`. */
export async function readLabHeaders(labsDir: string, labIds: readonly string[]): Promise<LabHeader[]> {
  return Promise.all(
    labIds.map(async (id) => {
      try {
        const parsed = ManifestHeader.safeParse(parse(await readFile(manifestPath(labsDir, id), 'utf8')));
        return parsed.success
          ? { title: parsed.data.title ?? null, requires: parsed.data.requires }
          : UNREADABLE;
      } catch {
        return UNREADABLE;
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
