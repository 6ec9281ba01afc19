/**
 * Every lab of the course, end to end in the browser against the real server, grader and kernel:
 * the author's solution, pasted into the editor file by file, passes Check with full points. A lab
 * whose kernel features this machine lacks says at its top that it cannot run here, naming each
 * one, and has no Check; exactly those labs do. Which features are missing is found here
 * independently of the server, by trying them with the runner's probe (fixtures/host-features.ts).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { featureName, type KernelFeature } from '../server/protocol/kernel-features';
import { unavailableFeatures } from './fixtures/host-features';
import { checkPasses, GRADE_MS, openLab, replaceCode } from './fixtures/lab';
import { expect, test } from './fixtures/server';

const repo = path.resolve(import.meta.dirname, '..');
const labsDir = path.join(repo, 'labs');

/** The few manifest fields a learner's view depends on (the loader validates the rest). */
const Manifest = z.object({
  title: z.string(),
  lesson: z.string(),
  requires: z.array(z.string()).default([]),
  files: z.array(z.object({ path: z.string(), readonly: z.boolean().default(false) })),
});

const labs = readdirSync(labsDir, { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(path.join(labsDir, d.name, 'lab.yaml')))
  .map((d) => ({
    id: d.name,
    ...Manifest.parse(parse(readFileSync(path.join(labsDir, d.name, 'lab.yaml'), 'utf8'))),
  }))
  .sort((a, b) => a.id.localeCompare(b.id));

const unavailable = unavailableFeatures();

test.use({ permissions: ['clipboard-read', 'clipboard-write'] });

for (const lab of labs) {
  const lacking = lab.requires.filter((f) => unavailable.has(f));

  if (lacking.length > 0) {
    test(`${lab.id}: says plainly which kernel features it needs and this machine lacks`, async ({
      page,
    }) => {
      const view = await openLab(page, lab.lesson, lab.title);
      const note = view.getByRole('note');
      await expect(note).toContainText('This lab cannot run in your sandbox');
      for (const feature of lacking) {
        await expect(note).toContainText(featureName(feature as KernelFeature));
      }
      await expect(view.getByRole('button', { name: 'Check', exact: true })).toHaveCount(0);
    });
    continue;
  }

  test(`${lab.id}: the solution passes Check with full points`, async ({ page }) => {
    test.setTimeout(3 * GRADE_MS);
    const view = await openLab(page, lab.lesson, lab.title);
    await expect(view.getByRole('note')).toHaveCount(0);
    const tabs = view.getByRole('tablist', { name: 'Lab files' });
    for (const file of lab.files.filter((f) => !f.readonly)) {
      await tabs.getByRole('tab', { name: new RegExp(`^${file.path.replace(/\./g, '\\.')}`) }).click();
      await replaceCode(page, view, readFileSync(path.join(labsDir, lab.id, 'solution', file.path), 'utf8'));
    }
    const [got, max] = await checkPasses(view);
    expect(max).toBeGreaterThan(0);
    expect(got).toBe(max);
  });
}
