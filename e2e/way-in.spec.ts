/**
 * The way in, as a learner meets it: a new learner is offered lesson 1; after working in a lab
 * the home page offers Continue, marks the lesson "You are here" and lands on the lab; the site
 * has an icon; a Check whose checks fail, or whose code does not compile, never reads as the
 * platform failing; and a lesson's Run buttons type their commands into the lab's terminal.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { GRADE_MS, openLab, replaceCode, scrollToFrame } from './fixtures/lab';
import { expect, test } from './fixtures/server';

const starter = readFileSync(
  path.resolve(import.meta.dirname, '../labs/hello-execve/starter/hello.bpf.c'),
  'utf8',
);

// Code goes into the editor by paste (see replaceCode).
test.use({ permissions: ['clipboard-read', 'clipboard-write'] });

const lessonCard = (page: Page, title: string) =>
  page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: title, exact: true }) });

test('a new learner starts with lesson 1; after saving in a lab, Continue lands on that lab', async ({
  page,
}) => {
  test.setTimeout(2 * GRADE_MS);
  await page.goto('/');
  const start = page.getByRole('link', { name: 'Start with lesson 1' });
  await expect(start).toBeVisible();
  await expect(start).toHaveAttribute('href', '/lessons/lima-macos');
  await expect(page.getByText('You are here')).toHaveCount(0);
  await expect(page.getByRole('link', { name: /^Continue/ })).toHaveCount(0);

  const lab = await openLab(page, 'hello-execve', 'Hello, execve');
  await replaceCode(page, lab, `// my first edit\n${starter}`);

  await page.goto('/');
  const resume = page.getByRole('link', { name: 'Continue: lab hello-execve' });
  await expect(resume).toBeVisible();
  await expect(page.getByText('in lesson 3, Hello, execve, where you last saved')).toBeVisible();
  await expect(page.getByRole('link', { name: 'Start with lesson 1' })).toHaveCount(0);
  const here = page.getByText('You are here', { exact: true });
  await expect(here).toHaveCount(1);
  await expect(lessonCard(page, 'Hello, execve')).toContainText('You are here');
  await expect(here).toHaveAttribute('aria-current', 'step');

  await resume.click();
  await expect(page).toHaveURL(/\/lessons\/hello-execve#lab-hello-execve$/);
  const landed = page.getByRole('region', { name: 'Hello, execve', exact: true });
  await expect(landed.getByRole('heading', { name: 'Hello, execve' })).toBeInViewport();
  // The edit is there to continue from.
  await expect(landed.locator('.monaco-editor .view-lines')).toContainText('// my first edit');
});

test('the site has an icon: /favicon.ico and every icon link answer with an image', async ({
  page,
  request,
}) => {
  const ico = await request.get('/favicon.ico');
  expect(ico.status()).toBe(200);
  expect(ico.headers()['content-type']).toMatch(/^image\//);

  await page.goto('/');
  const hrefs = await page
    .locator('link[rel~="icon"]')
    .evaluateAll((links) => links.map((l) => (l as HTMLLinkElement).href));
  expect(hrefs.length).toBeGreaterThan(0);
  for (const href of hrefs) {
    const icon = await request.get(href);
    expect(icon.status(), href).toBe(200);
    expect(icon.headers()['content-type'], href).toMatch(/^image\//);
  }
});

/** The grading stages as the learner reads them, one line per stage. */
async function stageLines(lab: Locator): Promise<string[]> {
  const stages = lab.getByRole('list', { name: 'Grading stages' }).getByRole('listitem');
  return (await stages.allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
}

test('failing checks and code that does not compile read as the program’s, never as the platform failing', async ({
  page,
}) => {
  test.setTimeout(3 * GRADE_MS);
  const lab = await openLab(page, 'hello-execve', 'Hello, execve');
  const notPassed = lab.getByRole('region', { name: 'Not passed yet', exact: true });

  // The starter builds and loads but records nothing: its checks fail.
  await lab.getByRole('button', { name: 'Check', exact: true }).click();
  await expect(notPassed).toBeVisible({ timeout: GRADE_MS });
  const graded = await stageLines(lab);
  expect(graded[0]).toMatch(/^Compile done/);
  expect(graded[1]).toMatch(/^Load and verify done/);
  expect(graded.at(-1)).toMatch(/^Check results done: \d+ of \d+ checks? did not pass/);
  expect(graded.join('\n')).not.toMatch(/failed|our side/);

  // A syntax error: the compile stage says the program did not compile, nothing says "failed".
  await replaceCode(page, lab, starter.replace('return 0;\n}', 'return 0\n}'));
  await lab.getByRole('button', { name: 'Check', exact: true }).click();
  await expect(lab.getByRole('list', { name: 'Grading stages' })).toContainText(
    'your program did not compile',
    {
      timeout: GRADE_MS,
    },
  );
  await expect(notPassed).toBeVisible({ timeout: GRADE_MS });
  const rejected = await stageLines(lab);
  expect(rejected[0]).toMatch(/^Compile your program did not compile/);
  expect(rejected.slice(1, 4)).toEqual([
    expect.stringMatching(/^Load and verify not run/),
    expect.stringMatching(/^Run workload not run/),
    expect.stringMatching(/^Collect output not run/),
  ]);
  expect(rejected.join('\n')).not.toMatch(/failed|our side/);
});

/** The shell of the lab titled `title`, once it shows a prompt. */
async function labShell(page: Page, title: string): Promise<Locator> {
  const lab = page.getByRole('region', { name: title, exact: true });
  const shell = lab.getByRole('region', { name: 'Terminal' }).getByRole('tabpanel');
  // The lab loads as it comes near the viewport, and xterm.js draws only while the screen is in
  // view; the learner would look there too.
  await scrollToFrame(lab);
  await shell.scrollIntoViewIfNeeded();
  await expect(shell).toContainText('#', { timeout: GRADE_MS });
  return shell;
}

test('a lesson’s Run button types its command into the lab’s terminal, which shows the output', async ({
  page,
  context,
}) => {
  test.setTimeout(2 * GRADE_MS);
  await page.goto('/lessons/hello-execve');
  const shell = await labShell(page, 'Hello, execve');
  const list = page.getByRole('button', {
    name: 'Run in terminal: ls /sys/kernel/tracing/events/syscalls/ | grep execve',
  });
  await list.click();
  await expect(shell).toContainText('sys_enter_execveat');
  await expect(shell).toBeInViewport();
  await expect(page.getByRole('status').filter({ hasText: 'Typed into the terminal.' })).toBeVisible();

  await page
    .getByRole('button', {
      name: 'Run in terminal: cat /sys/kernel/tracing/events/syscalls/sys_enter_execve/format',
    })
    .click();
  // Its last line: the format's first lines may have scrolled out of the terminal's rows.
  await expect(shell).toContainText('print fmt: "filename: 0x%08lx');

  // Without a connection Run types nothing and says so beside the button.
  await context.setOffline(true);
  const terminalBar = page.getByRole('region', { name: 'Hello, execve', exact: true }).getByRole('region', {
    name: 'Terminal',
  });
  await expect(terminalBar.getByRole('status').filter({ hasText: 'Connection lost' })).toBeVisible();
  await list.click();
  await expect(
    page.getByRole('status').filter({
      hasText: 'The terminal is not connected (Connection lost, reconnecting…); nothing was typed.',
    }),
  ).toBeVisible();
  await context.setOffline(false);
  await expect(terminalBar.getByRole('status').filter({ hasText: /^Connected/ })).toBeVisible({
    timeout: 20_000,
  });

  // Lesson 5's commands work in the sandbox too: the kernel's BTF, read with bpftool.
  await page.goto('/lessons/btf-core-skeletons');
  const btfShell = await labShell(page, 'A loader built on a skeleton');
  await page.getByRole('button', { name: 'Run in terminal: ls -l /sys/kernel/btf/vmlinux' }).click();
  await expect(btfShell).toContainText('/sys/kernel/btf/vmlinux');
  await page
    .getByRole('button', { name: /^Run in terminal: bpftool btf dump file .* "STRUCT 'task_struct'"$/ })
    .click();
  await expect(btfShell).toContainText(/\[\d+\] STRUCT 'task_struct' size=\d+/);
  await page
    .getByRole('button', {
      name: 'Run in terminal: bpftool btf dump file /sys/kernel/btf/vmlinux format c > vmlinux.h',
    })
    .click();
  await page.getByRole('button', { name: 'Run in terminal: wc -l vmlinux.h' }).click();
  await expect(btfShell).toContainText(/\d{4,} vmlinux\.h/);
});
