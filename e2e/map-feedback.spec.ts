/**
 * Map feedback as a learner meets it in the UDP flow counter lab (issue 11, item 2): a program
 * that stores ports without bpf_ntohs sees its entries beside the expected ones, addresses
 * dotted, with the byte swap named; one that counts every packet twice sees "exactly twice";
 * Run then shows the map's entries while that Check's verdict stays on screen.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Locator } from '@playwright/test';
import { GRADE_MS, openLab, replaceCode } from './fixtures/lab';
import { expect, test } from './fixtures/server';

const solution = readFileSync(
  path.resolve(import.meta.dirname, '../labs/udp-flow-counter/solution/flows.bpf.c'),
  'utf8',
);

/** The solution with `from` replaced by `to` everywhere; `from` must be there. */
function mistake(from: string, to: string): string {
  expect(solution).toContain(from);
  return solution.replaceAll(from, to);
}

/** Ports copied from the UDP header as they are, in network byte order. */
const portsNotConverted = mistake('bpf_ntohs(udp->source)', 'udp->source').replace(
  'bpf_ntohs(udp->dest)',
  'udp->dest',
);
/** Every packet added twice: 2 for the packet that creates the entry, 2 for each after it. */
const countedTwice = mistake('__u64 one = 1', '__u64 one = 2').replaceAll(
  '__sync_fetch_and_add(count, 1)',
  '__sync_fetch_and_add(count, 2)',
);

// Code goes into the editor by paste (see replaceCode).
test.use({ permissions: ['clipboard-read', 'clipboard-write'] });

/** Clicks Check and waits for this Check's verdict (the last one goes away when it starts). */
async function checkFails(lab: Locator): Promise<Locator> {
  const verdict = lab.getByRole('region', { name: 'Not passed yet', exact: true });
  await lab.getByRole('button', { name: 'Check', exact: true }).click();
  await expect(verdict).toBeHidden();
  await expect(verdict).toBeVisible({ timeout: GRADE_MS });
  return verdict;
}

test('a failed map check shows the stored entries beside the expected ones and names the mistake; Run shows the map', async ({
  page,
}) => {
  test.setTimeout(4 * GRADE_MS);
  const lab = await openLab(page, 'udp-game-server', "Count the game's UDP flows with tc");
  const updates = (verdict: Locator) =>
    verdict
      .getByRole('list', { name: 'Checks' })
      .getByRole('listitem')
      .filter({ hasText: 'SingleClients → PlayerServer' });

  await replaceCode(page, lab, portsNotConverted);
  let verdict = await checkFails(lab);
  let diff = updates(verdict).getByRole('region', { name: 'Map entries beside the expected ones' });
  await expect(diff.getByText('flows held 9 entries after the run.')).toBeVisible();
  await expect(diff.getByRole('columnheader')).toHaveText([
    'Entry',
    'saddr',
    'daddr',
    'sport',
    'dport',
    'value',
  ]);
  const rowsSaying = (table: Locator, status: string) =>
    table.getByRole('row').filter({ has: page.getByRole('rowheader', { name: status, exact: true }) });
  const swapped = rowsSaying(diff, 'Wrong key');
  await expect(swapped).toHaveCount(4);
  // Player 1's flow: addresses dotted as the hints write them, the stored port beside the expected.
  await expect(swapped.first().getByRole('cell')).toHaveText([
    '127.0.1.1',
    '127.0.0.1',
    '9001 yours: 10531',
    '8000 yours: 16415',
    '40',
  ]);
  await expect(
    diff.getByText(
      'Stored under the wrong key: sport 10531 is 9001 with its two bytes swapped; dport 16415 is 8000 with its two bytes swapped. Packet headers are in network byte order, and this lab stores sport and dport in host order: convert with bpf_ntohs',
    ),
  ).toBeVisible();
  await expect(verdict.getByText('2130706689')).toHaveCount(0);
  await diff.scrollIntoViewIfNeeded();
  await page.screenshot({ path: test.info().outputPath('ports-not-converted.png') });

  await replaceCode(page, lab, countedTwice);
  verdict = await checkFails(lab);
  diff = updates(verdict).getByRole('region', { name: 'Map entries beside the expected ones' });
  const doubled = rowsSaying(diff, 'Wrong value');
  await expect(doubled).toHaveCount(4);
  await expect(doubled.first().getByRole('cell')).toHaveText([
    '127.0.1.1',
    '127.0.0.1',
    '9001',
    '8000',
    '40 yours: 80',
  ]);
  await expect(
    diff.getByText('exactly twice the expected count: is every packet counted twice?').first(),
  ).toBeVisible();

  // Run: the map as the program left it, and the Check's verdict still there beside it.
  await lab.getByRole('button', { name: 'Run', exact: true }).click();
  const output = lab.getByRole('region', { name: 'Run output' });
  const flows = output.getByRole('region', { name: 'Map flows' });
  await expect(flows).toBeVisible({ timeout: GRADE_MS });
  await expect(flows.getByText('flows: 9 entries.')).toBeVisible();
  await expect(
    flows
      .getByRole('row')
      .filter({ hasText: /^127\.0\.1\.1127\.0\.0\.1/ })
      .getByRole('cell'),
  ).toHaveText(['127.0.1.1', '127.0.0.1', '9001', '8000', '80']);
  await expect(output.getByText('The program submitted no ring-buffer records.')).toBeVisible();
  await expect(verdict).toBeVisible();
  await flows.scrollIntoViewIfNeeded();
  await page.screenshot({ path: test.info().outputPath('run.png') });
  await expect(
    updates(verdict).getByText('exactly twice the expected count: is every packet counted twice?').first(),
  ).toBeVisible();
});
