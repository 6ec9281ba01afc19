/**
 * Which labs a learner's sandboxes cannot run, for the progress API: each lab whose required
 * kernel features their sandbox lacks, with those features. Known only once a sandbox of this
 * server has been probed (Sessions.knownFeatures); nothing is started or probed to answer.
 */
import { type KernelFeature, missingFeatures } from '../protocol/kernel-features.js';
import type { Sessions } from '../session/sessions.js';
import type { LabCatalog } from './catalog.js';
import { listLabIds } from './loader.js';

/** `{ [labId]: missing features }`; empty while this server has probed no sandbox. */
export type UnavailableLabs = Record<string, KernelFeature[]>;

export interface LabAvailabilityDeps {
  catalog: Pick<LabCatalog, 'get'>;
  labsDir: string;
  sessions: Pick<Sessions, 'knownFeatures'>;
}

export function unavailableLabsFor({ catalog, labsDir, sessions }: LabAvailabilityDeps) {
  return async (learnerId: string): Promise<UnavailableLabs> => {
    const features = sessions.knownFeatures(learnerId);
    if (!features) return {};
    const unavailable: UnavailableLabs = {};
    for (const id of await listLabIds(labsDir)) {
      // A lab that does not load is the catalog's to report; it is not the sandbox's doing.
      const found = await catalog.get(id);
      if (!found.ok) continue;
      const missing = missingFeatures(found.lab.manifest.requires, features).map((m) => m.feature);
      if (missing.length > 0) unavailable[id] = missing;
    }
    return unavailable;
  };
}
