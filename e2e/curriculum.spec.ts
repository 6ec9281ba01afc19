/**
 * Every lab of the course, end to end in the browser against the real server, grader and kernel:
 * the author's solution, pasted into the editor file by file, passes Check with full points. A lab
 * whose kernel features this machine lacks shows, instead of Check, a sentence naming each one,
 * and exactly those labs do; which features are missing is found here independently of the
 * server, by trying them with the runner's probe.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { release } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { featureName, type KernelFeature } from '../server/protocol/kernel-features';
import { withKeptCapabilities } from '../server/sandbox/local/capabilities';
import { hostRunner } from '../server/sandbox/tools-tree';
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

/**
 * Features this machine lacks: the kernel's by trying them, as a sandbox sees the kernel (with
 * tracefs mounted, in a mount namespace of the probe's own); opening BPF objects by id with only
 * the capabilities a local sandbox keeps (no CAP_SYS_ADMIN); the two user-space ones by looking.
 */
function unavailableFeatures(): Set<string> {
  const runner = hostRunner(repo);
  const asSandbox = withKeptCapabilities()
    .map((arg) => `'${arg}'`)
    .join(' ');
  const probeAsSandbox =
    'mountpoint -q /sys/kernel/tracing || mount -t tracefs tracefs /sys/kernel/tracing; ' +
    `"${runner}" probe; ` +
    `${asSandbox} bpftool btf list >/dev/null 2>&1 && echo inspect=yes || echo inspect=no`;
  const [probeJson, inspect] = execFileSync(
    'unshare',
    ['--mount', '--propagation', 'private', 'sh', '-c', probeAsSandbox],
    { encoding: 'utf8' },
  )
    .trim()
    .split(/\n(?=inspect=)/);
  const probe = JSON.parse(probeJson ?? '') as { available: Record<string, boolean> };
  const missing = new Set(Object.keys(probe.available).filter((f) => !probe.available[f]));
  if (inspect !== 'inspect=yes') missing.add('bpf_inspect');
  if (!existsSync(`/lib/modules/${release()}/build`)) missing.add('kernel_headers');
  if (spawnSync('python3', ['-c', 'import bcc']).status !== 0) missing.add('bcc');
  return missing;
}
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
      for (const feature of lacking) {
        await expect(note).toContainText(`This lab needs ${featureName(feature as KernelFeature)}`);
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
