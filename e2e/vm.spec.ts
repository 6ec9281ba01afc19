/**
 * A learner on a server with BPFLAB_DRIVER=vm: their sandbox is a QEMU VM with a kernel of its
 * own (Debian 12's 6.1, which has kprobes, kernel headers and BCC where this host has none), the
 * terminal is a shell in that VM, and bcc-hello — BCC, a kprobe on execve, never runnable on the
 * host — passes Check there. One VM for the file: under emulation a boot takes about a minute.
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { checkPasses, openLab, replaceCode } from './fixtures/lab';
import { expect, test } from './fixtures/server';

const repo = path.resolve(import.meta.dirname, '..');
/** A VM boots in about a minute under emulation on a busy 2-core machine; KVM in seconds. */
const BOOT_MS = 8 * 60_000;
/** BCC compiles its C inside the (emulated) guest. */
const VM_GRADE_MS = 4 * 60_000;

test.use({
  serverEnv: { BPFLAB_DRIVER: 'vm', BPFLAB_VM_POOL: '1' },
  permissions: ['clipboard-read', 'clipboard-write'],
});
test.describe.configure({ mode: 'serial' });

test('the terminal is a shell in a VM with a kernel of its own', async ({ page }) => {
  test.setTimeout(BOOT_MS + 60_000);
  await page.goto('/sandbox');
  const terminal = page.getByRole('region', { name: 'Terminal' });
  const screen = terminal.getByRole('tabpanel');
  await expect(screen).toContainText('#', { timeout: BOOT_MS });
  await screen.click();
  await page.keyboard.type('echo "kernel=$(uname -r)"');
  await page.keyboard.press('Enter');
  await expect(screen).toContainText(/kernel=6\.1\.\d+-\d+-amd64/);
  await expect(screen).not.toContainText(`kernel=${os.release()}`);
  const features = page.getByRole('region', { name: 'Kernel features' });
  await expect(features).toContainText(/6\.1\.\d+/, { timeout: 60_000 });
});

test('bcc-hello: the BCC solution passes Check with full points in the VM', async ({ page }) => {
  test.setTimeout(BOOT_MS + VM_GRADE_MS);
  const view = await openLab(page, 'hello-execve', 'Hello, execve, with BCC', BOOT_MS);
  await expect(view.getByRole('note')).toHaveCount(0);
  await view
    .getByRole('tablist', { name: 'Lab files' })
    .getByRole('tab', { name: /^hello\.py/ })
    .click();
  await replaceCode(page, view, readFileSync(path.join(repo, 'labs/bcc-hello/solution/hello.py'), 'utf8'));
  const [got, max] = await checkPasses(view, VM_GRADE_MS);
  expect(max).toBeGreaterThan(0);
  expect(got).toBe(max);
});
