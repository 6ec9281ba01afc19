/**
 * A lab this machine's sandbox cannot run, as a learner meets it: lesson 3 embeds hello-execve,
 * which runs here, and bcc-hello, which needs BCC, kprobes and kernel headers. The lesson's header
 * lists every feature its labs need and marks those the sandbox lacks; the lab says so at its top
 * in the learner's words (what to install is folded away for the operator), its editor refuses
 * typing, and it has no Check. On the home page, once hello-execve is passed, the lesson reads
 * Done with bcc-hello counted as unavailable here, and "Your sandbox" keeps what to install for
 * the operator too. Skipped on a machine that runs bcc-hello.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { cannotRunSentence, featureName, type KernelFeature } from '../server/protocol/kernel-features';
import { unavailableFeatures } from './fixtures/host-features';
import { checkPasses, editorModels, GRADE_MS, openLab, replaceCode, scrollToLab } from './fixtures/lab';
import { expect, test } from './fixtures/server';

const LESSON = 'hello-execve';
const LESSON_TITLE = 'Hello, execve';
const LAB = { id: 'bcc-hello', title: 'Hello, execve, with BCC' };
const RUNNABLE = { id: 'hello-execve', title: 'Hello, execve', file: 'hello.bpf.c' };
/** The lesson's own features, then bcc-hello's (content/03-hello-execve.mdx, labs/bcc-hello/lab.yaml). */
const LESSON_FEATURES: KernelFeature[] = ['btf', 'tracepoint', 'ringbuf', 'bcc', 'kprobe', 'kernel_headers'];

const lacking = (['bcc', 'kprobe', 'kernel_headers'] as const).filter((f) => unavailableFeatures().has(f));

test.use({ permissions: ['clipboard-read', 'clipboard-write'] });

test('a lab the sandbox cannot run says so at its top, stays read-only and counts as unavailable', async ({
  page,
}) => {
  test.skip(lacking.length === 0, 'this machine runs bcc-hello');
  test.setTimeout(4 * GRADE_MS);

  const lab = await openLab(page, LESSON, LAB.title);

  // The lesson's header: every feature its labs need, in learner words, the missing ones marked.
  const features = page.getByRole('list', { name: 'Kernel features' }).getByRole('listitem');
  await expect(features).toHaveText(
    LESSON_FEATURES.map((f) =>
      lacking.includes(f as (typeof lacking)[number])
        ? `${featureName(f)} (not in your sandbox)`
        : featureName(f),
    ),
  );

  // The note is at the top of the lab, above the editor, and speaks to the learner.
  const note = lab.getByRole('note');
  await expect(note).toBeVisible();
  await expect(note.getByText(cannotRunSentence(lacking), { exact: true })).toBeVisible();
  const editor = lab.locator('.monaco-editor');
  const noteBox = await note.boundingBox();
  const editorBox = await editor.boundingBox();
  expect(noteBox!.y + noteBox!.height).toBeLessThanOrEqual(editorBox!.y);
  // What the learner sees (rendered text: the operator's detail is folded away) says nothing to install.
  await expect(note).not.toContainText(/install|\bapt\b|python3-bpfcc|BPFLAB_DRIVER/, { useInnerText: true });

  // Folded under "For the operator": the probe's reasons and the driver that runs this lab.
  const operator = note.getByText('For the operator');
  await operator.click();
  if (lacking.includes('bcc')) await expect(note).toContainText('install python3-bpfcc');
  await expect(note).toContainText('The vm driver runs this lab: start bpflab with BPFLAB_DRIVER=vm');

  // No Check or Run, and the toolbar says why.
  await expect(lab.getByRole('button', { name: 'Check', exact: true })).toHaveCount(0);
  await expect(lab.getByRole('button', { name: 'Run', exact: true })).toHaveCount(0);
  await expect(lab.getByText('Check and Run are off: this lab cannot run in your sandbox.')).toBeVisible();

  // The editor refuses typing and says why.
  const code = async () =>
    (await editorModels(page))
      .filter((model) => model.path.startsWith(`/${LAB.id}/`))
      .map((model) => model.value)
      .join('\n');
  const before = await code();
  expect(before.length).toBeGreaterThan(0);
  await lab.locator('.monaco-editor .view-lines').click();
  await page.keyboard.type('typed while read-only');
  await expect(lab.getByText('This lab cannot run in your sandbox, so its code is read-only.')).toBeVisible();
  expect(await code()).toBe(before);

  // The other lab of the lesson runs here: pass it.
  const runnable = await scrollToLab(page.getByRole('region', { name: RUNNABLE.title, exact: true }));
  await expect(runnable.getByRole('note')).toHaveCount(0);
  await runnable.getByRole('tab', { name: new RegExp(`^${RUNNABLE.file.replace(/\./g, '\\.')}`) }).click();
  await replaceCode(
    page,
    runnable,
    readFileSync(
      path.join(import.meta.dirname, '..', 'labs', RUNNABLE.id, 'solution', RUNNABLE.file),
      'utf8',
    ),
  );
  const [got, max] = await checkPasses(runnable);
  expect(got).toBe(max);

  // The course: the lesson is done, its BCC lab unavailable here rather than unfinished.
  await page.goto('/');
  const card = page
    .getByRole('listitem')
    .filter({ has: page.getByRole('heading', { name: LESSON_TITLE, exact: true }) });
  await expect(card.getByText('Done', { exact: true })).toBeVisible();
  await expect(card.getByText('1 unavailable here', { exact: true })).toBeVisible();
  await expect(
    card.getByText(`${LAB.id}: unavailable here, needs ${lacking.map(featureName).join(', ')}`, {
      exact: true,
    }),
  ).toBeVisible();

  // "Your sandbox" lists the same features as missing, and what to install only for the operator.
  await page.goto('/sandbox');
  const panel = page.getByRole('region', { name: 'Kernel features' });
  for (const feature of lacking) {
    await expect(
      panel
        .getByRole('listitem')
        .filter({ hasText: featureName(feature) })
        .first(),
    ).toContainText('not in your sandbox');
  }
  await expect(panel).not.toContainText(/install|python3-bpfcc/, { useInnerText: true });
  await panel.getByText('For the operator').click();
  if (lacking.includes('bcc'))
    await expect(panel).toContainText('install python3-bpfcc', { useInnerText: true });
});
