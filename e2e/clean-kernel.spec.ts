/**
 * "Clean kernel side" in a real lab: a learner builds the XDP lab's program in the terminal,
 * hooks it to the loopback and pins it, then cleans the kernel side from the terminal's bar
 * without losing the sandbox: the page says what was removed, and the same shell then sees
 * nothing left on the hook or in /sys/fs/bpf, while its files are still there.
 */
import type { Page } from '@playwright/test';
import { openLab } from './fixtures/lab';
import { expect, test } from './fixtures/server';

async function typeLine(page: Page, line: string) {
  await page.keyboard.type(line);
  await page.keyboard.press('Enter');
}

test('Clean kernel side takes a hooked and a pinned program away, and keeps the shell and the files', async ({
  page,
}) => {
  const lab = await openLab(page, 'udp-game-server', 'Ban a player at the earliest hook with XDP');
  const terminal = lab.getByRole('region', { name: 'Terminal' });
  const shell = terminal.getByRole('tabpanel');
  await expect(shell).toContainText('#', { timeout: 30_000 });

  await shell.click();
  await typeLine(page, 'cd ~/labs/udp-xdp-ban && make -s && echo built-$((40 + 2))');
  await expect(shell).toContainText('built-42', { timeout: 30_000 });
  await typeLine(
    page,
    'ip link set dev lo xdpgeneric obj ban.bpf.o sec xdp && bpftool prog load ban.bpf.o /sys/fs/bpf/ban && echo hooked-$((6 * 7))',
  );
  await expect(shell).toContainText('hooked-42');
  await typeLine(page, "bpftool net show dev lo | grep -o 'generic id [0-9]*'");
  await expect(shell).toContainText(/generic id \d+/);
  const hooked = (await shell.textContent())?.match(/generic id (\d+)/)?.[1];

  await terminal.getByRole('button', { name: 'Clean kernel side' }).click();
  const dialog = page.getByRole('dialog', { name: "Clean your sandbox's kernel side?" });
  await expect(dialog).toContainText('Your files, your shells');
  await dialog.getByRole('button', { name: 'Clean kernel side' }).click();

  const cleaned = terminal.getByRole('status', { name: 'Kernel side cleaned' });
  await expect(cleaned).toContainText('Removed 2 things from your sandbox', { timeout: 30_000 });
  await expect(cleaned).toContainText(`Took program id ${hooked} off the generic XDP hook of lo.`);
  await expect(cleaned).toContainText('Unpinned /sys/fs/bpf/ban (a program).');

  // The same shell, in the same directory, sees the hook and bpffs empty and its files kept.
  await shell.click();
  await typeLine(
    page,
    'echo "left:$(bpftool net show dev lo | grep -c generic),$(ls /sys/fs/bpf | grep -c ban),$(ls ban.bpf.c)"',
  );
  await expect(shell).toContainText('left:0,0,ban.bpf.c');

  // Nothing left: a second clean-up says so.
  await cleaned.getByRole('button', { name: 'Dismiss' }).click();
  await expect(cleaned).toBeHidden();
  await terminal.getByRole('button', { name: 'Clean kernel side' }).click();
  await dialog.getByRole('button', { name: 'Clean kernel side' }).click();
  await expect(terminal.getByRole('status', { name: 'Kernel side cleaned' })).toContainText(
    'Nothing to remove',
  );
});
