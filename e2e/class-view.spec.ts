/**
 * The instructor's class view, against the real server, grader and kernel: a learner names
 * themselves and passes a lab; without the instructor secret they get neither the class page's
 * table nor its API; the instructor signs in at /class with the secret, finds the learner's row,
 * opens the files their Check graded, and downloads a gradebook whose row says what they did.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { checkPasses, GRADE_MS, openLab, replaceCode } from './fixtures/lab';
import { expect, test } from './fixtures/server';

const SECRET = 'e2e-instructor-secret-0123';
// A comma and quotes, so the CSV must quote the name to keep its columns.
const NAME = 'Ada "AL" Lovelace, jr';
const LAB = 'verifier-null-check';

test.use({
  serverEnv: { BPFLAB_INSTRUCTOR_SECRET: SECRET },
  // Code goes into the editor by paste (see replaceCode).
  permissions: ['clipboard-read', 'clipboard-write'],
});

test('an instructor signs in, sees a learner’s progress and files, and exports the gradebook', async ({
  page,
  browser,
  baseURL,
}) => {
  test.setTimeout(4 * GRADE_MS);

  // The learner chooses a name on the home page, then passes a lab with code of their own.
  await page.goto('/');
  const nameSection = page.getByRole('region', { name: 'Your name for your instructor' });
  await expect(nameSection).toContainText('You are anonymous');
  await nameSection.getByLabel('Your name for your instructor (optional)').fill('\u0007bell');
  await nameSection.getByRole('button', { name: 'Save name' }).click();
  await expect(nameSection.getByRole('alert')).toHaveText('Name not saved: the name has control characters.');
  await nameSection.getByLabel('Your name for your instructor (optional)').fill(NAME);
  await nameSection.getByRole('button', { name: 'Save name' }).click();
  await expect(nameSection.getByRole('status')).toHaveText(`Saved. Your instructor sees you as ${NAME}.`);

  const lab = await openLab(page, 'c-to-kernel', 'The verifier and a map lookup');
  const solution = readFileSync(
    path.resolve(import.meta.dirname, '../labs', LAB, 'solution/count.bpf.c'),
    'utf8',
  );
  await replaceCode(page, lab, `${solution}\n// ada-wrote-this\n`);
  const [score, max] = await checkPasses(lab);

  // The learner's cookie opens nothing of the class: the API refuses it, the page asks for the secret.
  const refused = await page.request.get('/api/class.csv');
  expect(refused.status()).toBe(401);
  expect((await refused.json()).error).toContain('sign in as the instructor');
  await page.goto('/class');
  await expect(page.getByRole('heading', { name: 'Instructor sign-in' })).toBeVisible();
  await page.getByLabel('Instructor secret').fill('not-the-secret-at-all');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('form', { name: 'Instructor sign-in' }).getByRole('alert')).toHaveText(
    'That is not the instructor secret.',
  );
  await expect(page.getByRole('table')).toHaveCount(0);

  // The instructor, in a browser of their own, signs in with the secret.
  const instructor = await (await browser.newContext({ baseURL })).newPage();
  await instructor.goto('/class');
  await instructor.getByLabel('Instructor secret').fill(SECRET);
  await instructor.getByRole('button', { name: 'Sign in' }).click();
  const table = instructor.getByRole('table', { name: /Progress of \d+ learners? per lab/ });
  await expect(table).toBeVisible();
  await expect(table.getByRole('columnheader', { name: LAB })).toBeVisible();
  const row = table.getByRole('row').filter({ has: instructor.getByRole('rowheader', { name: NAME }) });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText('Passed');
  await expect(row).toContainText(`best ${score}/${max} · 1 Check`);
  const pseudonym = (await row.getByRole('rowheader').textContent())!.replace(NAME, '');
  expect(pseudonym).toMatch(/^l-[a-f0-9]{10}$/);

  // Their last Check: the grade and the very file they submitted.
  await row.getByRole('link', { name: `Files and grade: ${NAME} (${pseudonym}), ${LAB}` }).click();
  await expect(instructor.getByRole('heading', { name: 'Last Check' })).toBeVisible();
  await expect(instructor.getByText(`${score}/${max} (passed)`)).toBeVisible();
  await expect(instructor.getByRole('region', { name: 'count.bpf.c' })).toContainText('// ada-wrote-this');
  await instructor.getByRole('link', { name: '← Back to the class' }).click();

  // The gradebook: a CSV download with the learner's row, their name quoted.
  const downloading = instructor.waitForEvent('download');
  await instructor.getByRole('link', { name: 'Download gradebook (CSV)' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^bpflab-gradebook-\d{4}-\d{2}-\d{2}\.csv$/);
  const lines = readFileSync((await download.path())!, 'utf8').split('\r\n');
  const header = lines[0]!.split(',');
  const column = header.indexOf(`${LAB} best`);
  expect(header.slice(column, column + 4)).toEqual([
    `${LAB} best`,
    `${LAB} max`,
    `${LAB} passed`,
    `${LAB} solution shown`,
  ]);
  const learnerLine = lines.find((l) => l.startsWith(`${pseudonym},`))!;
  expect(learnerLine).toContain(`,"Ada ""AL"" Lovelace, jr",`);
  const fields = learnerLine.split('"Ada ""AL"" Lovelace, jr",')[1]!.split(',');
  // After the name: last activity, then per lab; the lab's four cells sit at its header's place.
  expect(fields.slice(column - 2, column + 2)).toEqual([String(score), String(max), 'own', 'no']);

  // Signed out, the instructor is asked for the secret again.
  await instructor.getByRole('button', { name: 'Sign out' }).click();
  await expect(instructor.getByRole('heading', { name: 'Instructor sign-in' })).toBeVisible();
  await instructor.context().close();
});
