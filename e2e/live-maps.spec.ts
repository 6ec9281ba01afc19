/**
 * Live maps (issue 12, item 3) as a learner meets them in the perf-sampling lab: Run its solution
 * and, while the spinner burns its second of CPU, the samples map's table refreshes with the
 * spinner's count rising; when Run ends the map after the workload stays in the same table, the
 * count a plain decimal (the lab declares no format for it) with a chart of its readings named
 * for screen readers. (The UDP labs' match is over within one refresh, so their counts jump.)
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { GRADE_MS, openLab, replaceCode } from './fixtures/lab';
import { expect, test } from './fixtures/server';

const solution = readFileSync(
  path.resolve(import.meta.dirname, '../labs/perf-sampling/solution/samples.bpf.c'),
  'utf8',
);

// Code goes into the editor by paste (see replaceCode).
test.use({ permissions: ['clipboard-read', 'clipboard-write'] });

test('Run shows the samples map refreshing as the spinner runs, then the map after it with a chart', async ({
  page,
}) => {
  test.setTimeout(3 * GRADE_MS);
  const lab = await openLab(page, 'perf-events', 'Sampling with perf events');
  await replaceCode(page, lab, solution);

  // What the live maps showed while the spinner ran (it runs as spin-<nonce>), each change noted
  // as the page makes it: the live phase lasts a few seconds, and polling could miss a refresh.
  const seen = await lab.evaluateHandle((root) => {
    const live = { counts: [] as string[], updates: 0 };
    const look = () => {
      const heading = [...root.querySelectorAll('h5')].find(
        (h) => h.textContent === 'Maps while the workload runs',
      );
      const section = heading?.parentElement;
      const updated = /^Updated (\d+) times?, \d+\.\d s after the programs were attached\.$/.exec(
        section?.querySelector('p')?.textContent ?? '',
      );
      if (updated) live.updates = Math.max(live.updates, Number(updated[1]));
      for (const row of section?.querySelectorAll('[aria-label="Map samples"] tbody tr') ?? []) {
        const cells = [...row.querySelectorAll('td')].map((td) => td.textContent ?? '');
        if (cells[1]?.startsWith('spin-') && cells[2] !== live.counts.at(-1))
          live.counts.push(cells[2] ?? '');
      }
    };
    new MutationObserver(look).observe(root, { subtree: true, childList: true, characterData: true });
    return live;
  });

  await lab.getByRole('button', { name: 'Run', exact: true }).click();
  const output = lab.getByRole('region', { name: 'Run output' });
  await expect(output.getByRole('heading', { name: 'Maps after the workload' })).toBeVisible({
    timeout: GRADE_MS,
  });

  // While it ran, the table was refreshed and showed the spinner's count at least twice, rising.
  const live = await seen.jsonValue();
  expect(live.updates).toBeGreaterThanOrEqual(2);
  const counts = live.counts.map(Number);
  expect(counts.length).toBeGreaterThanOrEqual(2);
  expect(counts).toEqual([...counts].sort((a, b) => a - b));
  expect(counts.at(-1)).toBeGreaterThan(counts[0]!);

  // The map after the workload, in the same table: the spinner's row, its count a plain decimal
  // beside a chart that ends with it.
  const samples = output.getByRole('region', { name: 'Map samples' });
  await expect(samples.getByRole('columnheader')).toHaveText(['pid', 'comm', 'value']);
  const spinner = samples.getByRole('row').filter({ hasText: /spin-/ });
  const cells = spinner.getByRole('cell');
  await expect(cells.nth(2)).toHaveText(/^\d+$/);
  const final = Number(await cells.nth(2).textContent());
  expect(final).toBeGreaterThanOrEqual(counts.at(-1)!);
  const chart = cells.nth(2).getByRole('img');
  await expect(chart).toBeVisible();
  await expect(chart).toHaveAccessibleName(
    new RegExp(`^value of \\d+ spin-\\w+ over the run: \\d+, rising to ${final} \\(\\d+ readings\\)$`),
  );
  await expect(
    output.getByText(/^Charts: \d+ readings while the workload ran, then the map after it\.$/),
  ).toBeVisible();
  await samples.scrollIntoViewIfNeeded();
  await page.screenshot({ path: test.info().outputPath('live-maps.png') });
});
