/**
 * The verifier budget (issue 12, item 4) as a learner meets it in lesson 04: the starter, which
 * works, fails only the budget check, whose verdict puts the verifier's processed-instruction
 * count beside the budget; the solution pasted in passes with full points, under budget.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { checkPasses, GRADE_MS, openLab, replaceCode } from './fixtures/lab';
import { expect, test } from './fixtures/server';

const solution = readFileSync(
  path.resolve(import.meta.dirname, '../labs/verifier-budget/solution/pathlen.bpf.c'),
  'utf8',
);

const BUDGET_TITLE = 'The verifier accepts it in at most 300 processed instructions';

// Code goes into the editor by paste (see replaceCode).
test.use({ permissions: ['clipboard-read', 'clipboard-write'] });

test('the starter fails only the verifier budget, with its count beside the budget; the solution passes', async ({
  page,
}) => {
  test.setTimeout(3 * GRADE_MS);
  const lab = await openLab(page, 'c-to-kernel', 'A verifier budget');
  await expect(
    page.getByRole('heading', { name: "Processed instructions are not the program's size" }),
  ).toBeVisible();
  // A fresh learner has the starter in the editor: the one whose comment says it is costly to verify.
  await expect(lab.locator('.monaco-editor .view-lines')).toContainText(
    'the verifier walks the loop once per character',
  );

  await lab.getByRole('button', { name: 'Check', exact: true }).click();
  const verdict = lab.getByRole('region', { name: 'Not passed yet', exact: true });
  await expect(verdict).toBeVisible({ timeout: GRADE_MS });
  const checks = verdict.getByRole('list', { name: 'Checks' }).getByRole('listitem');
  const failed = checks.filter({ hasText: /^Failed/ });
  await expect(failed).toHaveCount(1);
  await expect(failed).toContainText(BUDGET_TITLE);
  await expect(failed.getByRole('definition').first()).toHaveText('at most 300 processed instructions');
  const actual = failed.getByRole('definition').nth(1);
  await expect(actual).toHaveText(
    /^your program took \d{4} processed instructions; the budget is at most 300 processed instructions$/,
  );
  // Everything else works: the lengths add up and the program ran at every execve.
  await expect(checks.filter({ hasText: 'Three 200-character paths' })).toContainText('Passed');
  await expect(checks.filter({ hasText: 'sum_path_lengths runs at every execve' })).toContainText(
    /sum_path_lengths ran \d+ times during the workload/,
  );

  await replaceCode(page, lab, solution);
  const [got, max] = await checkPasses(lab);
  expect(got).toBe(max);
  const passed = lab.getByRole('region', { name: 'Passed', exact: true });
  await expect(
    passed.getByRole('list', { name: 'Checks' }).getByRole('listitem').filter({ hasText: BUDGET_TITLE }),
  ).toContainText(/your program took \d{2,3} processed instructions$/);
});
