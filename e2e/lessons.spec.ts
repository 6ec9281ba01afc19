/** The reading path: the course on the home page, a lesson with its contents and code, and a 404. */
import path from 'node:path';
import { publishedLessons, readCatalog } from '../app/_lessons/catalog';
import { expect, test } from './fixtures/server';

const repo = path.resolve(import.meta.dirname, '..');

test('the home page lists the lessons in course order', async ({ page }) => {
  const expected = publishedLessons(await readCatalog(repo)).map((l) => l.frontmatter.title);
  expect(expected.length).toBeGreaterThan(0);

  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1, name: 'Learn eBPF on a real kernel' })).toBeVisible();
  const list = page.getByRole('region', { name: 'Lessons' }).getByRole('list');
  await expect(list.getByRole('heading', { level: 3 })).toHaveText(expected);
});

test("the home page shows the learner's lab progress, and does without it", async ({ page }) => {
  const lesson = publishedLessons(await readCatalog(repo)).find((l) => l.frontmatter.labs.length > 0);
  if (!lesson) throw new Error('no lesson with a lab in content/');
  const { labs, title } = lesson.frontmatter;
  const card = page
    .getByRole('listitem')
    .filter({ has: page.getByRole('heading', { name: title, exact: true }) });

  // A new learner's real progress is empty: answer as the server does for one who passed a lab.
  const passed = {
    attempts: 2,
    bestScore: 8,
    maxScore: 8,
    passed: true,
    solutionShown: false,
    passedOnOwn: true,
  };
  await page.route('**/api/progress', (route) =>
    route.fulfill({ json: { labs: { [labs[0] ?? '']: passed } } }),
  );
  await page.goto('/');
  const progress = card.getByText(/^(\d+ of \d+ labs? passed|Done)$/);
  await expect(progress).toHaveText(labs.length === 1 ? 'Done' : `1 of ${labs.length} labs passed`);
  await expect(card.getByText(`${labs[0]}: best 8/8, 2 attempts`, { exact: true })).toBeVisible();

  await page.unroute('**/api/progress');
  await page.route('**/api/progress', (route) => route.fulfill({ status: 500, body: 'broken' }));
  const failed = page.waitForResponse('**/api/progress');
  await page.reload();
  expect((await failed).status()).toBe(500);
  await expect(card).toBeVisible();
  await expect(progress).toHaveCount(0);
  await expect(card.getByText(/: best \d+\/\d+/)).toHaveCount(0);
});

test('a lesson has a table of contents, highlighted code and a way on', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('link', { name: 'Hello, execve', exact: true }).click();

  await expect(page).toHaveURL(/\/lessons\/hello-execve$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Hello, execve' })).toBeVisible();

  const toc = page.getByRole('navigation', { name: 'On this page' });
  const section = 'Structured events through a ring buffer';
  await toc.getByRole('link', { name: section }).click();
  await expect(page).toHaveURL(/#structured-events-through-a-ring-buffer$/);
  await expect(page.getByRole('heading', { level: 2, name: section })).toBeInViewport();

  // Highlighted: the tokens of a C block are coloured by the theme, not all one colour.
  const block = page.getByRole('code').filter({ hasText: 'bpf_ringbuf_reserve(&events' });
  await expect(block).toBeVisible();
  const colours = await block
    .locator('span span')
    .evaluateAll((spans) => new Set(spans.map((s) => getComputedStyle(s).color)).size);
  expect(colours).toBeGreaterThan(3);

  const pager = page.getByRole('navigation', { name: 'Previous and next lesson' });
  await expect(pager.getByRole('link', { name: /^Next/ })).toBeVisible();
});

test('an unknown lesson is a real 404 page', async ({ page }) => {
  const response = await page.goto('/lessons/no-such-lesson');
  expect(response?.status()).toBe(404);
  await expect(page.getByRole('heading', { level: 1, name: 'Page not found' })).toBeVisible();
  await page.getByRole('link', { name: 'See all lessons' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Learn eBPF on a real kernel' })).toBeVisible();
});
