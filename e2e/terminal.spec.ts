/**
 * The browser terminal against the real server and the real local sandbox: what a learner types
 * runs on this machine's kernel, a reload brings back the same shell, and an exited shell can be
 * restarted.
 */
import os from 'node:os';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures/server';

function openSandbox(page: Page) {
  const terminal = page.getByRole('region', { name: 'Terminal' });
  const screen = terminal.getByRole('tabpanel');
  return { terminal, screen };
}

async function typeLine(page: Page, line: string) {
  await page.keyboard.type(line);
  await page.keyboard.press('Enter');
}

test('typing uname -r shows the kernel version of the sandbox', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('navigation', { name: 'Site' }).getByRole('link', { name: 'Your sandbox' }).click();
  await expect(page).toHaveURL(/\/sandbox$/);
  const { terminal, screen } = openSandbox(page);
  await expect(terminal.getByRole('tab', { name: 'shell 1' })).toBeVisible();
  await expect(screen).toContainText('#', { timeout: 30_000 });
  await screen.click();
  await typeLine(page, 'uname -r');
  await expect(screen).toContainText(os.release());
  await expect(page.getByRole('region', { name: 'Kernel features' })).toContainText(os.release());
});

test('a reload shows the same shell with what it printed, and an exited shell restarts', async ({ page }) => {
  await page.goto('/sandbox');
  const { screen } = openSandbox(page);
  await expect(screen).toContainText('#', { timeout: 30_000 });
  await screen.click();
  await typeLine(page, 'echo "kept-$((20 + 1))"');
  await expect(screen).toContainText('kept-21');

  await page.reload();
  await expect(screen).toContainText('kept-21');

  await screen.click();
  await typeLine(page, 'exit 3');
  await expect(page.getByText('The shell exited with code 3.')).toBeVisible();
  await page.getByRole('button', { name: 'Restart' }).click();
  await expect(page.getByText('The shell exited')).toBeHidden();
  await screen.click();
  await typeLine(page, 'echo "again-$((2 * 2))"');
  await expect(screen).toContainText('again-4');
});
