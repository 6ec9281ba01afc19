/**
 * The lab in a lesson, against the real server, grader and kernel: Monaco loads from this server
 * alone, the solution typed into the editor passes with full points (and the home page counts
 * it), a syntax error fails with a marker on its line, and edits are saved for the next visit.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { checkPasses, GRADE_MS, openLab as openHelloLab, replaceCode, scrollToFrame } from './fixtures/lab';
import { expect, test } from './fixtures/server';

const solution = readFileSync(
  path.resolve(import.meta.dirname, '../labs/hello-execve/solution/hello.bpf.c'),
  'utf8',
);

// Code goes into the editor by paste (see replaceCode).
test.use({ permissions: ['clipboard-read', 'clipboard-write'] });

const openLab = (page: Page) => openHelloLab(page, 'hello-execve', 'Hello, execve');

/** The editor line number shown at the height of `element` (a decoration on that line). */
async function lineOf(lab: Locator, element: Locator): Promise<number> {
  const box = await element.boundingBox();
  if (!box) throw new Error('the decoration is not rendered');
  const middle = box.y + box.height / 2;
  for (const number of await lab.locator('.monaco-editor .line-numbers').all()) {
    const line = await number.boundingBox();
    if (line && middle >= line.y && middle < line.y + line.height) return Number(await number.textContent());
  }
  throw new Error(`no line number at y=${middle}`);
}

test('the solution passes with full points; a syntax error fails with a marker on its line', async ({
  page,
}) => {
  test.setTimeout(3 * GRADE_MS);
  const lab = await openLab(page);
  const showSolution = lab.getByRole('button', { name: 'Show solution', exact: true });
  await expect(lab.getByText('Not attempted yet')).toBeVisible();
  await expect(showSolution).toBeDisabled();

  await replaceCode(page, lab, solution);
  const [got, max] = await checkPasses(lab);
  expect(max).toBeGreaterThan(0);
  expect(got).toBe(max);
  // The Check's answer alone updates the learner's record and unlocks the solution (this lab
  // shows it after an attempt), without reopening the lab.
  await expect(lab.getByText(`Best ${got} / ${max} points`)).toBeVisible();
  await expect(lab.getByText('1 attempt', { exact: true })).toBeVisible();
  await expect(showSolution).toBeEnabled();
  const checks = lab.getByRole('list', { name: 'Checks' }).getByRole('listitem');
  await expect(checks.first()).toContainText('Passed');
  await expect(checks.filter({ hasText: /Failed|Skipped/ })).toHaveCount(0);

  // Line 4 is blank in the solution; the broken declaration goes there.
  const lines = solution.split('\n');
  lines.splice(3, 1, 'int broken = ;');
  await replaceCode(page, lab, lines.join('\n'));
  await page.keyboard.press('ControlOrMeta+Enter');
  const failed = lab.getByRole('region', { name: 'Not passed yet', exact: true });
  await expect(failed).toBeVisible({ timeout: GRADE_MS });
  await expect(checks.first()).toContainText('Failed');
  await expect(failed.getByRole('button', { name: /^Go to hello\.bpf\.c:4:\d+$/ })).toBeVisible();
  await expect(lab.getByRole('tab', { name: /hello\.bpf\.c\s*1 error/ })).toBeVisible();

  const squiggle = lab.locator('.monaco-editor .squiggly-error');
  await expect(squiggle).toHaveCount(1);
  expect(await lineOf(lab, squiggle)).toBe(4);
  // The page scrolled down to the results; Playwright cannot scroll Monaco's layers itself.
  await lab.locator('.monaco-editor').scrollIntoViewIfNeeded();
  // The text layer lies above the decorations; Monaco finds the marker from the mouse position.
  await squiggle.hover({ force: true });
  await expect(page.locator('.monaco-hover').getByText('expected expression')).toBeVisible();

  // Fixing the line clears its marker before the next check.
  await replaceCode(page, lab, solution);
  await expect(squiggle).toHaveCount(0);

  // The pass was recorded: the course page counts the lab as passed for this learner.
  await page.goto('/');
  const lesson = page
    .getByRole('listitem')
    .filter({ has: page.getByRole('link', { name: 'Hello, execve', exact: true }) });
  await expect(lesson.getByText(/^(1 of \d+ labs passed|Done)$/)).toBeVisible();
  // Both Checks were recorded (the pass, then the syntax error), and the best score is kept.
  await expect(lesson.getByText(/^hello-execve: best (\d+)\/\1, 2 attempts$/)).toBeVisible();
});

test('edits are saved for the next visit, and Reset brings the starter back', async ({ page }) => {
  test.setTimeout(2 * GRADE_MS);
  let lab = await openLab(page);
  const marker = '// saved-by-the-e2e-test';
  await replaceCode(page, lab, `${marker}\n${solution}`);

  await page.reload();
  lab = await openLab(page);
  await expect(lab.locator('.monaco-editor .view-lines')).toContainText(marker);

  await lab.getByRole('button', { name: 'Reset to starter' }).click();
  const dialog = page.getByRole('dialog', { name: 'Reset every file to the starter code?' });
  await dialog.getByRole('button', { name: 'Reset' }).click();
  await expect(lab.locator('.monaco-editor .view-lines')).not.toContainText(marker);
  await page.reload();
  lab = await openLab(page);
  await expect(lab.locator('.monaco-editor .view-line').first()).toContainText('SPDX-License-Identifier');
  await expect(lab.locator('.monaco-editor .view-lines')).not.toContainText(marker);
});

test('Monaco, its C highlighting and its worker load with every other host blocked', async ({ page }) => {
  const blocked: string[] = [];
  await page.route('**/*', (route) => {
    const { hostname, protocol } = new URL(route.request().url());
    if (
      protocol === 'data:' ||
      protocol === 'blob:' ||
      hostname === '127.0.0.1' ||
      hostname === 'localhost'
    ) {
      return route.continue();
    }
    blocked.push(route.request().url());
    return route.abort('blockedbyclient');
  });
  const lab = await openLab(page);

  // Highlighted as C: keywords, strings, comments and names are coloured apart, not all one colour.
  // Tokenizing runs after the first paint, so poll.
  const tokens = lab.locator('.monaco-editor .view-line span span');
  await expect
    .poll(() => tokens.evaluateAll((spans) => new Set(spans.map((s) => getComputedStyle(s).color)).size))
    .toBeGreaterThan(3);

  // The editor worker, a chunk of this site's bundle, starts when first needed: word completion
  // is computed there, so typing the start of a name of the file offers the whole name.
  const worker = page.waitForResponse(/\/_next\/static\/chunks\/editor\.worker\.\w+\.js$/);
  await lab.locator('.monaco-editor .view-lines').click();
  await page.keyboard.press('ControlOrMeta+End');
  await page.keyboard.type('\nbpf_probe_re');
  expect((await worker).status()).toBe(200);
  await expect(page.locator('.monaco-editor .suggest-widget')).toContainText('bpf_probe_read_user_str');

  expect(blocked).toEqual([]);
});

test('a lesson with two labs starts one shell for both, not one each', async ({ page }) => {
  await page.goto('/lessons/hello-execve');
  // Each lab loads as the learner scrolls to it.
  for (const title of ['Hello, execve', 'Hello, execve, with BCC']) {
    await scrollToFrame(page.getByRole('region', { name: title, exact: true }));
  }
  const shells = page.getByRole('tablist', { name: 'Shells' });
  await expect(shells).toHaveCount(2);
  for (const list of await shells.all()) {
    await expect(list.getByRole('tab')).toHaveCount(1, { timeout: GRADE_MS });
  }
  const names = await shells.getByRole('tab').allTextContents();
  expect(new Set(names).size).toBe(1);
});
