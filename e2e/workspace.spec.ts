/**
 * The lab workspace as a learner sees it: as wide as the window, the verdict beside the editor at
 * 1280×720 and readable on a 390×844 phone without sideways scrolling; the separator resizes the
 * editor and the terminal by keyboard and by mouse; Focus mode shows the lab alone and gives the
 * page back where it was; and the keyboard gets out of the editor (Escape) and the terminal
 * (Shift+Escape), then on through Check, Run, Hint and the results.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Locator, Page, TestInfo } from '@playwright/test';
import { GRADE_MS, openLab as openLabIn, replaceCode } from './fixtures/lab';
import { expect, test } from './fixtures/server';

const solution = readFileSync(
  path.resolve(import.meta.dirname, '../labs/hello-execve/solution/hello.bpf.c'),
  'utf8',
);
/** The solution with a syntax error on line 4 (blank in the solution): it fails to compile. */
const failing = solution
  .split('\n')
  .map((line, i) => (i === 3 ? 'int broken = ;' : line))
  .join('\n');

// Code goes into the editor by paste (see replaceCode).
test.use({ permissions: ['clipboard-read', 'clipboard-write'] });

const openLab = (page: Page) => openLabIn(page, 'hello-execve', 'Hello, execve');

/** Puts the failing program in and checks it: the lab's verdict region once it shows. */
async function checkFailingProgram(page: Page, lab: Locator): Promise<Locator> {
  await replaceCode(page, lab, failing);
  await lab.getByRole('button', { name: 'Check', exact: true }).click();
  const verdict = lab.getByRole('region', { name: 'Not passed yet', exact: true });
  await expect(verdict).toBeVisible({ timeout: GRADE_MS });
  return verdict;
}

/** Fails unless all of `element` lies inside the browser window. */
async function expectInViewport(page: Page, element: Locator, what: string): Promise<void> {
  const box = await element.boundingBox();
  const viewport = page.viewportSize();
  if (!box || !viewport) throw new Error(`${what} is not rendered`);
  const inside =
    box.x >= 0 && box.y >= 0 && box.x + box.width <= viewport.width && box.y + box.height <= viewport.height;
  expect(inside, `${what} at ${JSON.stringify(box)} lies inside ${JSON.stringify(viewport)}`).toBe(true);
}

async function attachScreenshot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  const file = testInfo.outputPath(name);
  await page.screenshot({ path: file });
  await testInfo.attach(name, { path: file, contentType: 'image/png' });
}

/**
 * What reaches past the window's right edge without a box of its own to scroll in (a code block or
 * the editor scrolls sideways inside itself): the outermost such elements, and text that runs out
 * of its element, named for a reader.
 */
function overflowing(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const beyond = (rect: DOMRect) => rect.width > 0 && rect.right > width + 0.5;
    const past = (element: Element) => beyond(element.getBoundingClientRect());
    const clipped = (element: Element) => {
      for (let box = element.parentElement; box && box !== document.body; box = box.parentElement) {
        if (getComputedStyle(box).overflowX !== 'visible') return true;
      }
      return false;
    };
    const name = (element: Element) =>
      `${element.tagName.toLowerCase()}${[...element.classList].map((c) => `.${c}`).join('')}`;
    const elements = [...document.body.querySelectorAll('*')]
      .filter((element) => past(element) && !(element.parentElement && past(element.parentElement)))
      .filter((element) => element.getClientRects().length > 0 && !clipped(element))
      .map((element) => {
        const { left, right } = element.getBoundingClientRect();
        return `${name(element)} ${Math.round(left)}–${Math.round(right)}`;
      });
    const texts: string[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const parent = node.parentElement;
      if (!parent || past(parent) || clipped(node as unknown as Element)) continue;
      const range = document.createRange();
      range.selectNodeContents(node);
      const right = Math.max(...[...range.getClientRects()].filter(beyond).map((r) => r.right));
      if (right > width)
        texts.push(`text in ${name(parent)} to ${Math.round(right)}: ${node.textContent?.slice(0, 60)}`);
    }
    return [...elements, ...texts];
  });
}

const scrollToTop = (lab: Locator) => lab.evaluate((element) => element.scrollIntoView({ block: 'start' }));

test.describe('at 1280×720', () => {
  test.use({ viewport: { width: 1280, height: 720 } });

  test('the editor, Check and the verdict are in view at once, the verdict beside the editor', async ({
    page,
  }, testInfo) => {
    test.setTimeout(2 * GRADE_MS);
    const lab = await openLab(page);
    const verdict = await checkFailingProgram(page, lab);
    await scrollToTop(lab);

    const editor = lab.getByTestId('lab-editor');
    const check = lab.getByRole('button', { name: 'Check', exact: true });
    await expectInViewport(page, editor, 'the editor');
    await expectInViewport(page, check, 'Check');
    await expectInViewport(page, verdict, 'the verdict');
    await expect(verdict.getByRole('heading', { name: 'Not passed yet' })).toBeVisible();
    // Beside, not under: the verdict starts right of the editor and level with part of it.
    const editorBox = await editor.boundingBox();
    const verdictBox = await verdict.boundingBox();
    if (!editorBox || !verdictBox) throw new Error('not rendered');
    expect(verdictBox.x).toBeGreaterThan(editorBox.x + editorBox.width);
    expect(verdictBox.y).toBeLessThan(editorBox.y + editorBox.height);
    // The lab takes the window's width, not the lesson column's (about 735 px).
    const labBox = await lab.boundingBox();
    expect(labBox?.width).toBeGreaterThan(1200);
    // The editor gets the larger part of it.
    const terminalBox = await lab.getByRole('region', { name: 'Terminal' }).boundingBox();
    expect(editorBox.width).toBeGreaterThan(terminalBox?.width ?? Number.POSITIVE_INFINITY);
    await attachScreenshot(page, testInfo, 'lab-1280x720.png');
  });

  test('the separator resizes the editor and the terminal, by keyboard and by mouse', async ({ page }) => {
    const lab = await openLab(page);
    await scrollToTop(lab);
    const editor = lab.getByTestId('lab-editor');
    const terminal = lab.getByRole('region', { name: 'Terminal' });
    const separator = lab.getByRole('separator', { name: 'Resize the editor and the terminal' });
    const width = async (element: Locator) => (await element.boundingBox())?.width ?? Number.NaN;
    await expect(separator).toHaveAttribute('aria-valuenow', '60');
    const editorBefore = await width(editor);
    const terminalBefore = await width(terminal);

    await separator.focus();
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    await expect(separator).toHaveAttribute('aria-valuenow', '50');
    await expect.poll(() => width(editor)).toBeLessThan(editorBefore - 100);
    await expect.poll(() => width(terminal)).toBeGreaterThan(terminalBefore + 100);

    // Dragged 200 px to the right, the editor gains those 200 px (it was 50% wide).
    const box = await separator.boundingBox();
    if (!box) throw new Error('the separator is not rendered');
    const editorAt50 = await width(editor);
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2 + 100, box.y + box.height / 2, { steps: 5 });
    await page.mouse.move(box.x + box.width / 2 + 200, box.y + box.height / 2, { steps: 5 });
    await page.mouse.up();
    await expect.poll(() => width(editor)).toBeGreaterThan(editorAt50 + 180);
    expect(await width(editor)).toBeLessThan(editorAt50 + 220);
    expect(Number(await separator.getAttribute('aria-valuenow'))).toBeGreaterThan(60);
  });

  test('Focus mode shows the lab alone, and leaving it returns to the same place in the lesson', async ({
    page,
  }) => {
    const lab = await openLab(page);
    const lessonTitle = page.getByRole('heading', { level: 1, name: 'Hello, execve' });
    await scrollToTop(lab);
    // Somewhere in the middle of the lesson, not at a rounded position.
    await page.evaluate(() => window.scrollBy(0, -137));
    const scrolled = await page.evaluate(() => window.scrollY);
    expect(scrolled).toBeGreaterThan(500);

    const enter = lab.getByRole('button', { name: 'Focus mode', exact: true });
    await enter.click();
    await expect(lessonTitle).toBeHidden();
    await expect(page.getByRole('navigation', { name: 'Site' })).toBeHidden();
    await expect(page.getByText('Esc leaves it')).toBeVisible();
    const labBox = await lab.boundingBox();
    expect(labBox).toEqual({ x: 0, y: 0, width: 1280, height: 720 });

    await page.keyboard.press('Escape');
    await expect(lessonTitle).toBeVisible();
    await expect(enter).toBeVisible();
    expect(await page.evaluate(() => window.scrollY)).toBe(scrolled);

    // The button leaves it too.
    await enter.click();
    await expect(lessonTitle).toBeHidden();
    await lab.getByRole('button', { name: 'Leave focus mode' }).click();
    await expect(page.getByRole('navigation', { name: 'Site' })).toBeVisible();
    expect(await page.evaluate(() => window.scrollY)).toBe(scrolled);

    // Scrolled to the very end of the lesson, where taking the lab out of the page shortens it,
    // the page still comes back to its end. (Clicked where it is, without scrolling to it.)
    const lastLab = page.getByRole('region', { name: 'Hello, execve, with BCC', exact: true });
    await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
    const end = await page.evaluate(() => window.scrollY);
    await lastLab.getByRole('button', { name: 'Focus mode', exact: true }).dispatchEvent('click');
    await expect(lessonTitle).toBeHidden();
    await page.keyboard.press('Escape');
    await expect(lessonTitle).toBeVisible();
    expect(await page.evaluate(() => window.scrollY)).toBe(end);
  });

  test('Escape leaves the editor, then Tab reaches Check, Run, Hint and the results; Shift+Escape leaves the terminal', async ({
    page,
  }) => {
    test.setTimeout(2 * GRADE_MS);
    const lab = await openLab(page);
    await checkFailingProgram(page, lab);
    await scrollToTop(lab);
    const inEditor = () => page.evaluate(() => document.activeElement?.closest('.monaco-editor') !== null);

    // Escape first closes what Monaco shows (here word completion), and only then leaves.
    await lab.locator('.monaco-editor .view-lines').click();
    await page.keyboard.press('ControlOrMeta+End');
    await page.keyboard.type('\nbpf_probe_re');
    const completion = page.locator('.monaco-editor .suggest-widget');
    await expect(completion).toContainText('bpf_probe_read_user_str');
    await page.keyboard.press('Escape');
    await expect(completion).toBeHidden();
    expect(await inEditor()).toBe(true);
    await page.keyboard.press('Escape');
    expect(await inEditor()).toBe(false);
    await expect(lab.getByText('leaves the editor')).toBeVisible();

    await page.keyboard.press('Tab');
    await expect(lab.getByRole('button', { name: 'Check', exact: true })).toBeFocused();
    await page.keyboard.press('Tab');
    await expect(lab.getByRole('button', { name: 'Run', exact: true })).toBeFocused();
    await page.keyboard.press('Tab');
    await expect(lab.getByRole('button', { name: 'Hint', exact: true })).toBeFocused();
    await page.keyboard.press('Tab');
    await expect(lab.getByRole('region', { name: 'Not passed yet', exact: true })).toBeFocused();

    // The terminal keeps Escape and Tab for the shell; Shift+Escape, named under it, leaves it.
    const terminal = lab.getByRole('region', { name: 'Terminal' });
    await expect(terminal.getByText('leaves the terminal')).toBeVisible();
    await terminal.getByRole('tabpanel').click();
    await page.keyboard.press('Shift+Escape');
    await expect(terminal.getByRole('tab', { selected: true })).toBeFocused();
  });
});

test.describe('at 390×844', () => {
  test.use({ viewport: { width: 390, height: 844 }, hasTouch: true });

  test('the lab stacks without sideways scrolling and the verdict is readable', async ({
    page,
  }, testInfo) => {
    test.setTimeout(2 * GRADE_MS);
    const lab = await openLab(page);
    const verdict = await checkFailingProgram(page, lab);
    expect(await overflowing(page), 'elements wider than the window').toEqual([]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    // No separator to drag on a phone.
    await expect(lab.getByRole('separator')).toBeHidden();

    await verdict.getByRole('heading', { name: 'Not passed yet' }).scrollIntoViewIfNeeded();
    await expect(verdict.getByRole('heading', { name: 'Not passed yet' })).toBeInViewport();
    const box = await verdict.boundingBox();
    expect(box?.x).toBeGreaterThanOrEqual(0);
    expect((box?.x ?? 0) + (box?.width ?? Number.POSITIVE_INFINITY)).toBeLessThanOrEqual(390);
    // Each check's line and the compiler's message fit the width.
    for (const element of [lab.getByRole('list', { name: 'Checks' }), verdict.locator('pre').first()]) {
      const inner = await element.boundingBox();
      expect((inner?.x ?? -1) >= 0 && (inner?.x ?? 0) + (inner?.width ?? 0) <= 390).toBe(true);
    }
    await attachScreenshot(page, testInfo, 'lab-390x844.png');
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
  });
});
