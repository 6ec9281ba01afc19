/**
 * A lab while the page's connection to the server is down, in Chromium against the real server:
 * the browser goes offline (socket.io drops the WebSocket on the `offline` event, and Chromium
 * refuses new ones until it is back online). The page says so and what still works; Check, Run
 * and the rest are disabled with the reason beside them; keys typed into the terminal are not
 * sent (and never run later); an edit made offline is saved once the connection returns. And a
 * page that loads while the server is out of reach says so and opens its lab once it is back.
 */
import type { Page } from '@playwright/test';
import { editorModels, GRADE_MS, openLab, scrollToFrame } from './fixtures/lab';
import { expect, test } from './fixtures/server';

/** Whether any editor model holds `text` (Monaco renders only the lines in view). */
async function editorHas(page: Page, text: string): Promise<boolean> {
  return (await editorModels(page)).some((model) => model.value.includes(text));
}

test('offline: the page says so, Check waits with the reason, terminal keys are not replayed, edits are saved on return', async ({
  page,
  context,
}) => {
  test.setTimeout(3 * GRADE_MS);
  const lab = await openLab(page, 'hello-execve', 'Hello, execve');
  const check = lab.getByRole('button', { name: 'Check', exact: true });
  const run = lab.getByRole('button', { name: 'Run', exact: true });
  const screen = lab.getByRole('region', { name: 'Terminal' }).getByRole('tabpanel');
  const saveStatus = lab.getByRole('status').filter({ hasText: /saved|Saving/ });
  // xterm.js draws only while its screen is in view.
  await screen.scrollIntoViewIfNeeded();
  await expect(screen).toContainText('#', { timeout: 30_000 });
  await expect(check).toBeEnabled();

  await context.setOffline(true);

  const banner = page.getByRole('alert').filter({ hasText: 'reconnecting' });
  await expect(banner).toContainText('You are offline — reconnecting when your network is back…');
  await expect(banner).toContainText('You can keep editing');
  await expect(banner).toContainText('keys typed into the terminal meanwhile are not sent');
  const reason = 'Not connected to the server: Check, Run, hints and Reset wait until it is back.';
  await expect(lab.getByText(reason)).toBeVisible();
  for (const button of [check, run, lab.getByRole('button', { name: 'Reset to starter' })]) {
    await expect(button).toBeDisabled();
    await expect(button).toHaveAccessibleDescription(reason);
  }

  // The editor still takes edits; they wait, unsaved, for the connection.
  const edit = `// edited offline ${Date.now()}`;
  await lab.locator('.monaco-editor .view-lines').click();
  await page.keyboard.press('ControlOrMeta+End');
  await page.keyboard.press('Enter');
  await page.keyboard.type(edit);
  await expect.poll(() => editorHas(page, edit)).toBe(true);
  await expect(saveStatus).toHaveText('Unsaved changes');
  // Ctrl+Enter cannot slip a Check past the disabled button.
  await page.keyboard.press('ControlOrMeta+Enter');
  await expect(
    lab.getByRole('alert').filter({ hasText: 'Not connected to the server, so nothing was sent' }),
  ).toBeVisible();

  // The terminal says the connection dropped, and what is typed now is not sent.
  await screen.scrollIntoViewIfNeeded();
  await expect(screen).toContainText('connection to the server lost');
  await screen.click();
  await page.keyboard.type('echo offline-$((6 * 7))');
  await page.keyboard.press('Enter');
  await expect(screen).toContainText('typed while offline, not sent');
  await page.screenshot({ path: test.info().outputPath('offline-lab.png') });
  // Still unsaved after the autosave delay and its retry delay would both have passed.
  await page.waitForTimeout(6_000);
  await expect(saveStatus).toHaveText('Unsaved changes');

  await context.setOffline(false);

  await expect(banner).toBeHidden({ timeout: 15_000 });
  await expect(page.getByRole('status').filter({ hasText: 'Connected again' })).toBeVisible();
  await expect(lab.getByText(reason)).toBeHidden();
  await expect(check).toBeEnabled();
  await screen.scrollIntoViewIfNeeded();
  await expect(screen).toContainText('connection back; 24 characters typed while offline were not sent');
  await expect(saveStatus).toHaveText('All changes saved');

  // What was typed offline never runs: a command typed now runs, and the offline one did not
  // run before it (socket.io would have sent the held keys first).
  await screen.click();
  await page.keyboard.type('echo online-$((6 * 7))');
  await page.keyboard.press('Enter');
  await expect(screen).toContainText('online-42');
  await expect(screen).not.toContainText('offline-42');

  // Check works again: a verdict comes back.
  await check.click();
  await expect(lab.getByRole('region', { name: /^(Passed|Not passed yet)$/ })).toBeVisible({
    timeout: GRADE_MS,
  });

  // The edit made offline was saved: a reload brings it back from the server.
  await page.reload();
  await expect(lab.getByRole('tablist', { name: 'Lab files' }).getByRole('tab').first()).toBeVisible({
    timeout: GRADE_MS,
  });
  await expect.poll(() => editorHas(page, edit)).toBe(true);
  await expect(page.getByRole('alert').filter({ hasText: 'reconnecting' })).toHaveCount(0);
});

test('a lab that loads while the server is out of reach says so, and opens once it is back', async ({
  page,
}) => {
  test.setTimeout(3 * GRADE_MS);
  // The page's WebSockets are closed until the server is "back", then pass through to it. A socket
  // closed before its handshake is a server that never answers: each attempt ends at socket.io's
  // 20 s connection timeout, so this test waits longer than the others.
  let reachable = false;
  await page.routeWebSocket(/\/socket\.io\//, (ws) => {
    if (reachable) ws.connectToServer();
    else ws.close();
  });
  await page.goto('/lessons/hello-execve');
  const lab = page.getByRole('region', { name: 'Hello, execve', exact: true });
  // The lab (and with it the page's connection) loads as the learner scrolls to it.
  await scrollToFrame(lab);
  const banner = page.getByRole('alert').filter({ hasText: 'retrying' });
  await expect(banner).toContainText('Cannot reach the server — retrying…', { timeout: 30_000 });
  const check = lab.getByRole('button', { name: 'Check', exact: true });
  await expect(check).toBeDisabled();
  await expect(check).toHaveAccessibleDescription(
    'Not connected to the server: Check, Run, hints and Reset wait until it is back.',
  );
  // lab:open gives up after its 30 s; the page says why rather than waiting silently.
  await expect(lab.getByRole('alert').filter({ hasText: 'This lab could not be opened' })).toContainText(
    'Not connected to the server',
    { timeout: 45_000 },
  );

  reachable = true;

  await expect(banner).toBeHidden({ timeout: 45_000 });
  await expect(lab.getByRole('tablist', { name: 'Lab files' }).getByRole('tab').first()).toBeVisible({
    timeout: GRADE_MS,
  });
  await expect(lab.getByText('This lab could not be opened')).toBeHidden();
  await expect(check).toBeEnabled();
});
