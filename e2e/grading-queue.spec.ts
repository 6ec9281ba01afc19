/**
 * Two learners press Check at once on a server that grades one Check at a time
 * (BPFLAB_GRADE_SLOTS=1): the one who pressed second reads that theirs is next in line, then
 * both get their verdict. The second learner's page then asks the server for nothing more: the
 * Check's reply carried their progress and that the solution may now be shown (no lab:open
 * again, no /api/progress).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { GRADE_MS, openLab, replaceCode } from './fixtures/lab';
import { expect, test } from './fixtures/server';

const solution = readFileSync(
  path.resolve(import.meta.dirname, '../labs/hello-execve/solution/hello.bpf.c'),
  'utf8',
);

test.use({
  // Saves not compiled ahead: each Check compiles its own code, so the first one lasts long
  // enough for the second to arrive while it runs.
  serverEnv: { BPFLAB_GRADE_SLOTS: '1', BPFLAB_COMPILE_AHEAD: '0' },
  // Code goes into the editor by paste (see replaceCode).
  permissions: ['clipboard-read', 'clipboard-write'],
});

/**
 * The lab events the page sends over its socket, in order (socket.io frames `42<ack>["lab:…"`),
 * and the stages of the `lab:progress` events it receives (`queued 1`, `compile running`, …).
 */
function labTraffic(page: Page): { sent: string[]; progress: string[] } {
  const traffic = { sent: [] as string[], progress: [] as string[] };
  page.on('websocket', (socket) => {
    socket.on('framesent', ({ payload }) => {
      const event = /^42\d*\["(lab:[a-z]+)"/.exec(String(payload))?.[1];
      if (event) traffic.sent.push(event);
    });
    socket.on('framereceived', ({ payload }) => {
      const progress = /^42\["lab:progress",(.*)\]$/.exec(String(payload))?.[1];
      if (!progress) return;
      const { stage, status, position } = JSON.parse(progress) as Record<string, unknown>;
      traffic.progress.push(`${stage} ${status ?? position}`);
    });
  });
  return traffic;
}

test('the second of two simultaneous Checks waits its turn, told so, and its reply needs no follow-up', async ({
  page,
  browser,
  baseURL,
}) => {
  test.setTimeout(4 * GRADE_MS);
  const other = await browser.newContext({ baseURL, permissions: ['clipboard-read', 'clipboard-write'] });
  const second = await other.newPage();
  const firstTraffic = labTraffic(page);
  const secondTraffic = labTraffic(second);
  const progressAsked: string[] = [];
  second.on('request', (request) => {
    if (new URL(request.url()).pathname === '/api/progress') progressAsked.push(request.url());
  });

  const labs = [await openLab(page, 'hello-execve', 'Hello, execve')];
  labs.push(await openLab(second, 'hello-execve', 'Hello, execve'));
  // Code no run of this test built before (the compile cache outlives a server), so neither
  // build comes from the cache and the first grade lasts.
  const run = `${process.pid}-${Date.now()}`;
  await replaceCode(page, labs[0]!, `${solution}\n// first learner ${run}\n`);
  await replaceCode(second, labs[1]!, `${solution}\n// second learner ${run}\n`);
  await expect(labs[1]!.getByRole('button', { name: 'Show solution' })).toBeDisabled();

  // The wait may last less than a poll of the page, so the second page notes each text it shows.
  await second.evaluate(() => {
    const shown = new Set<string>();
    Object.assign(globalThis, { shownTexts: shown });
    new MutationObserver(() => {
      for (const element of document.querySelectorAll('p')) {
        if (element.childElementCount === 0 && element.textContent) shown.add(element.textContent);
      }
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
  secondTraffic.sent.length = 0;
  // The second learner's pointer already rests on Check: Playwright's click waits for the button
  // to be stable over animation frames, which on a page behind another takes longer than a whole
  // Check, so the press itself is the mouse's.
  const secondCheck = labs[1]!.getByRole('button', { name: 'Check', exact: true });
  await secondCheck.hover();
  firstTraffic.sent.length = 0;
  await labs[0]!.getByRole('button', { name: 'Check', exact: true }).click();
  // The first learner's Check is on its way to the server (its compile alone takes a few hundred
  // milliseconds) when the second learner presses theirs.
  await expect.poll(() => firstTraffic.sent).toContain('lab:check');
  await second.mouse.down();
  await second.mouse.up();
  for (const lab of labs) {
    await expect(lab.getByRole('region', { name: 'Passed', exact: true })).toBeVisible({ timeout: GRADE_MS });
  }
  // It was on the second learner's page while they waited, and is gone with the verdict.
  const shown = await second.evaluate(() => [
    ...(globalThis as unknown as { shownTexts: Set<string> }).shownTexts,
  ]);
  expect(shown).toContain('Waiting for a free grader: yours is next.');
  await expect(labs[1]!.getByText('Waiting for a free grader: yours is next.')).toHaveCount(0);
  // The server told the second learner their place before their grade started.
  expect(secondTraffic.progress.slice(0, 2)).toEqual(['queued 1', 'compile running']);

  // The reply said the solution may now be shown; nothing more was asked for it.
  await expect(labs[1]!.getByRole('button', { name: 'Show solution' })).toBeEnabled();
  expect(secondTraffic.sent).toEqual(['lab:check']);
  expect(progressAsked).toEqual([]);
  await other.close();
});
