/**
 * A server restart does not silently swap the learner's sandbox: a file the learner wrote in their
 * home is there again after the server restarts (stopped, or killed as a crash), and the terminal
 * says plainly that the sandbox is new, why, and what was kept and lost.
 */
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures/server';

test.describe.configure({ mode: 'serial' });
// Two server starts (Next included) per test on a shared 2-core machine.
test.setTimeout(240_000);

function terminalScreen(page: Page) {
  return page.getByRole('region', { name: 'Terminal' }).getByRole('tabpanel');
}

async function typeLine(page: Page, line: string) {
  await page.keyboard.type(line);
  await page.keyboard.press('Enter');
}

/** Opens the sandbox page and writes a file in ~/labs from its terminal. */
async function writeHomeFile(page: Page, text: string) {
  await page.goto('/sandbox');
  const screen = terminalScreen(page);
  await expect(screen).toContainText('#', { timeout: 30_000 });
  await screen.click();
  await typeLine(
    page,
    `mkdir -p ~/labs/notes && echo "${text}" > ~/labs/notes/today.txt && echo "saved-$((40 + 2))"`,
  );
  await expect(screen).toContainText('saved-42');
}

async function catHomeFile(page: Page) {
  const screen = terminalScreen(page);
  await screen.click();
  await typeLine(page, 'cat ~/labs/notes/today.txt');
}

/** What the learner is told, by how the server went away. */
const RESTARTS = [
  { how: 'a server restart', crash: false, why: 'was stopped when the server restarted' },
  { how: 'a server crash', crash: true, why: 'was lost when the server stopped unexpectedly' },
];

for (const { how, crash, why } of RESTARTS) {
  test(`after ${how} the terminal says the sandbox is new, once, and the home file is back`, async ({
    page,
    bpflabServer,
  }) => {
    const text = `written-before-${crash ? 'the-crash' : 'the-restart'}`;
    await writeHomeFile(page, text);

    await bpflabServer.restart({ crash });
    await page.reload();

    const screen = terminalScreen(page);
    await expect(screen).toContainText(`This is a new sandbox: your previous one ${why}.`, {
      timeout: 60_000,
    });
    await expect(screen).toContainText('Kept: your home directory (~, with ~/labs and your lab files).');
    await expect(screen).toContainText(
      'Lost: running processes, loaded BPF programs and maps, and anything outside your home.',
    );
    await catHomeFile(page);
    await expect(screen).toContainText(text);
    // Said once: a second terminal of the same sandbox starts without it.
    await page.getByRole('button', { name: 'New shell' }).click();
    await expect(page.getByRole('tab', { name: 'shell 2' })).toHaveAttribute('aria-selected', 'true');
    await expect(terminalScreen(page)).toContainText('#', { timeout: 30_000 });
    await expect(terminalScreen(page)).not.toContainText('This is a new sandbox');
  });
}
