/**
 * A revealed solution is honest, against the real server, grader and kernel: Show solution says
 * it is recorded before it shows anything; the solution opens as a diff beside the learner's
 * code, which stays in the editor until they apply it; a pass after that reads "Passed with the
 * solution shown" on the lab and on the home page, while a lab passed on one's own still reads
 * "Passed".
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { checkPasses, editorModels, GRADE_MS, openLab, replaceCode } from './fixtures/lab';
import { expect, test } from './fixtures/server';

const labFile = (lab: string, file: string) =>
  readFileSync(path.resolve(import.meta.dirname, '../labs', lab, file), 'utf8');

// Code goes into the editor by paste (see replaceCode).
test.use({ permissions: ['clipboard-read', 'clipboard-write'] });

/** What the lab's own editor holds for `file` (not the comparison's copies of it). */
async function editorContent(page: Page, file: string): Promise<string | undefined> {
  return (await editorModels(page)).find((m) => m.scheme === 'bpflab' && m.path.endsWith(`/${file}`))?.value;
}

/** The lesson's entry on the home page. */
function lessonCard(page: Page, title: string): Locator {
  return page.getByRole('listitem').filter({ has: page.getByRole('link', { name: title, exact: true }) });
}

test("the solution opens beside the learner's code, and a pass after it says so", async ({ page }) => {
  test.setTimeout(5 * GRADE_MS);

  // A lab passed on one's own.
  let own = await openLab(page, 'c-to-kernel', 'The verifier and a map lookup');
  await replaceCode(page, own, labFile('verifier-null-check', 'solution/count.bpf.c'));
  await checkPasses(own);
  await page.reload();
  own = await openLab(page, 'c-to-kernel', 'The verifier and a map lookup');
  await expect(own.getByText('Passed', { exact: true })).toBeVisible();
  await expect(own.getByText(/^(Passed with the solution shown|Solution shown)$/)).toHaveCount(0);

  // Another, attempted with partial code, then its solution shown.
  const lab = await openLab(page, 'hello-execve', 'Hello, execve');
  const mine = `// my-attempt-so-far\n${labFile('hello-execve', 'starter/hello.bpf.c')}`;
  const solution = labFile('hello-execve', 'solution/hello.bpf.c');
  await replaceCode(page, lab, mine);
  await lab.getByRole('button', { name: 'Check', exact: true }).click();
  await expect(lab.getByRole('region', { name: 'Not passed yet', exact: true })).toBeVisible({
    timeout: GRADE_MS,
  });

  await lab.getByRole('button', { name: 'Show solution', exact: true }).click();
  const confirm = page.getByRole('dialog', { name: 'Show the solution?' });
  await expect(confirm).toContainText('Showing the solution is recorded in your progress');
  await confirm.getByRole('button', { name: 'Show solution' }).click();

  const shown = page.getByRole('dialog', { name: 'Solution', exact: true });
  await expect(shown.getByRole('heading', { name: 'hello.bpf.c' })).toBeVisible();
  await expect(shown).toContainText('Your code is on the left, the solution on the right');
  // Both sides of the comparison: the learner's first line, and a line only the solution has.
  const diff = shown.getByTestId('solution-diff-hello.bpf.c');
  await expect(diff).toContainText('my-attempt-so-far');
  await expect(diff).toContainText("with the caller's pid and name");
  // Recorded at once, and nothing was overwritten: the editor still holds the learner's code.
  await expect(lab.getByText('Solution shown', { exact: true })).toBeVisible();
  expect(await editorContent(page, 'hello.bpf.c')).toBe(mine);
  await expect(lab.getByTestId('lab-editor')).toContainText('TODO: reserve a struct event');

  await shown.getByRole('button', { name: 'Apply solution to hello.bpf.c' }).click();
  await expect.poll(() => editorContent(page, 'hello.bpf.c')).toBe(solution);
  await expect(shown.getByRole('status')).toHaveText('Your files match the solution.');
  await expect(lab.getByRole('status').filter({ hasText: /saved|Saving/ })).toHaveText('All changes saved');
  await shown.getByRole('button', { name: 'Close' }).click();
  await expect(shown).toHaveCount(0);

  const [got, max] = await checkPasses(lab);
  expect(got).toBe(max);
  await expect(lab.getByText('Passed with the solution shown', { exact: true })).toBeVisible();

  // It stays so on the next visit, and the home page tells the two passes apart.
  await page.reload();
  const reopened = await openLab(page, 'hello-execve', 'Hello, execve');
  await expect(reopened.getByText('Passed with the solution shown', { exact: true })).toBeVisible();
  await expect(reopened.getByText('Passed', { exact: true })).toHaveCount(0);

  await page.goto('/');
  const hello = lessonCard(page, 'Hello, execve');
  await expect(hello.getByText(/\(1 with the solution shown\)$/)).toBeVisible();
  await expect(
    hello.getByText(`hello-execve: best ${max}/${max}, 2 attempts, passed with the solution shown`, {
      exact: true,
    }),
  ).toBeVisible();
  const verifier = lessonCard(page, 'From C to the kernel: clang, bytecode and the verifier');
  await expect(verifier.getByText(/^verifier-null-check: best (\d+)\/\1, 1 attempt$/)).toBeVisible();
  await expect(verifier.getByText(/solution shown/)).toHaveCount(0);
});
