/**
 * Code written the libbpf way, as a learner meets its grading (issue 13): a ring-buffer record
 * struct used only through bpf_ringbuf_reserve() (no BPFLAB_EVENT_TYPE line) is decoded and
 * passes; a map named other than the lab's check expects fails with the maps the program has.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { checkPasses, GRADE_MS, openLab, replaceCode } from './fixtures/lab';
import { expect, test } from './fixtures/server';

const solution = (lab: string, file: string) =>
  readFileSync(path.resolve(import.meta.dirname, `../labs/${lab}/solution/${file}`), 'utf8');

// Code goes into the editor by paste (see replaceCode).
test.use({ permissions: ['clipboard-read', 'clipboard-write'] });

test('a record struct kept only by its use through bpf_ringbuf_reserve() is decoded, and the lab passes', async ({
  page,
}) => {
  test.setTimeout(3 * GRADE_MS);
  const hello = solution('hello-execve', 'hello.bpf.c');
  const libbpfStyle = hello.replace(/^BPFLAB_EVENT_TYPE\(event\);$/m, '');
  expect(libbpfStyle).not.toBe(hello);

  const lab = await openLab(page, 'hello-execve', 'Hello, execve');
  await replaceCode(page, lab, libbpfStyle);
  const [got, max] = await checkPasses(lab);
  expect(got).toBe(max);
  const results = lab.getByRole('region', { name: 'Passed', exact: true });
  await expect(results.getByText(/shown as hex/)).toHaveCount(0);
});

test('a map the check names but the program lacks fails with the maps the program has', async ({ page }) => {
  test.setTimeout(3 * GRADE_MS);
  const flows = solution('udp-flow-counter', 'flows.bpf.c');
  const renamed = flows.replaceAll(/\bflows\b(?= SEC\("\.maps"\)|,)/g, 'flow_counts');
  expect(renamed).toContain('} flow_counts SEC(".maps");');
  expect(renamed).not.toContain('&flows,');

  const lab = await openLab(page, 'udp-game-server', "Count the game's UDP flows with tc");
  await replaceCode(page, lab, renamed);
  const verdict = lab.getByRole('region', { name: 'Not passed yet', exact: true });
  await lab.getByRole('button', { name: 'Check', exact: true }).click();
  await expect(verdict).toBeVisible({ timeout: GRADE_MS });
  const check = verdict
    .getByRole('list', { name: 'Checks' })
    .getByRole('listitem')
    .filter({ hasText: 'SingleClients → PlayerServer' });
  await expect(check.getByRole('definition').first()).toHaveText('a map named "flows"');
  await expect(check.getByRole('definition').nth(1)).toHaveText(
    /^the program has no map "flows"; its maps are: flow_counts\b/,
  );
});
