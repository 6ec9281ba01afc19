/**
 * A lesson costs its reader no editor until they come near a lab: opened at its top, the page
 * shows each lab's frame with its title but fetches neither Monaco nor xterm.js (under 1 MiB of
 * JavaScript in all); scrolled to, the lab loads in place, without the page moving, and works;
 * opened at a lab's link (`#lab-<id>`, as the home page's Continue links it), that lab loads at
 * once, with nothing scrolled.
 */
import type { Page, Response } from '@playwright/test';
import { GRADE_MS, scrollToFrame } from './fixtures/lab';
import { expect, test } from './fixtures/server';

/** The JavaScript the page fetched, decoded (what the browser had to parse), in bytes. */
async function scriptBytes(responses: Response[]): Promise<number> {
  let bytes = 0;
  for (const response of responses) {
    if (!/javascript/.test(response.headers()['content-type'] ?? '') || response.status() !== 200) continue;
    bytes += (await response.body()).length;
  }
  return bytes;
}

const monacoLoaded = (page: Page) => page.evaluate(() => 'monaco' in globalThis);

test('a lab below the fold loads only when scrolled to, in place, and then works', async ({ page }) => {
  const responses: Response[] = [];
  page.on('response', (response) => responses.push(response));
  await page.goto('/lessons/hello-execve');
  const lab = page.getByRole('region', { name: 'Hello, execve', exact: true });
  // The frame is in the page with its title from the start, out of view and not loaded.
  await expect(lab).toBeAttached();
  await expect(lab).not.toBeInViewport();
  await page.waitForLoadState('networkidle');
  await expect(lab.getByRole('status').filter({ hasText: 'Loading the lab…' })).toBeAttached();
  expect(await monacoLoaded(page)).toBe(false);
  await expect(page.locator('.monaco-editor, .xterm')).toHaveCount(0);
  expect(await scriptBytes(responses)).toBeLessThan(1024 * 1024);

  // Scrolled to, it loads where it is: the frame had the lab's size and place, so the lab moves
  // nothing. (Measured from the text just above it: the lesson's header above that may still
  // grow when the sandbox's features arrive.)
  const frame = () =>
    lab.evaluate((element) => {
      const box = element.getBoundingClientRect();
      const above = element.previousElementSibling?.getBoundingClientRect();
      return { gap: Math.round(box.top - (above?.bottom ?? 0)), height: Math.round(box.height) };
    });
  const before = await frame();
  await scrollToFrame(lab);
  const tab = lab.getByRole('tablist', { name: 'Lab files' }).getByRole('tab').first();
  await expect(tab).toBeVisible({ timeout: GRADE_MS });
  await expect(lab.locator('.monaco-editor .view-line').first()).toBeVisible();
  expect(await frame()).toEqual(before);

  // And works: the terminal runs what the learner types.
  const shell = lab.getByRole('region', { name: 'Terminal' }).getByRole('tabpanel');
  await expect(shell).toContainText('#', { timeout: GRADE_MS });
  await shell.click();
  await page.keyboard.type('echo lazy-$((6 * 7))');
  await page.keyboard.press('Enter');
  await expect(shell).toContainText('lazy-42');
});

test('a lab opened at its link loads at once, where the page opened', async ({ page }) => {
  await page.goto('/lessons/hello-execve#lab-bcc-hello');
  const lab = page.getByRole('region', { name: 'Hello, execve, with BCC', exact: true });
  await expect(lab).toBeInViewport();
  await expect(lab.getByRole('tablist', { name: 'Lab files' }).getByRole('tab').first()).toBeVisible({
    timeout: GRADE_MS,
  });
  await expect(lab.locator('.monaco-editor .view-line').first()).toBeVisible();
  await expect(lab.getByRole('region', { name: 'Terminal' }).getByRole('tabpanel')).toContainText('#', {
    timeout: GRADE_MS,
  });
  // The learner scrolled nowhere; the lab is still where the link put them.
  await expect(lab).toBeInViewport();
});
