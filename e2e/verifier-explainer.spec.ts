/**
 * The verifier explainer as a learner meets it (issue 12, item 1): in the UDP flow counter, a
 * program that uses the map lookup's result without a NULL check is refused by the kernel's
 * verifier; the verdict shows why in words, the refused instruction and the line it came from,
 * the register holding the lookup's result as "a map value … that may be NULL", and the fix,
 * and the editor marks that line. axe finds nothing serious in the explanation, light or dark.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { GRADE_MS, openLab, replaceCode } from './fixtures/lab';
import { expect, test } from './fixtures/server';

const solution = readFileSync(
  path.resolve(import.meta.dirname, '../labs/udp-flow-counter/solution/flows.bpf.c'),
  'utf8',
);
const checked = '\tif (count) {\n\t\t__sync_fetch_and_add(count, 1);\n\t\treturn TC_ACT_OK;\n\t}\n';
const unchecked = '\t__sync_fetch_and_add(count, 1);\n\treturn TC_ACT_OK;\n';

/** axe's serious and critical violations inside the explanation, as `rule: elements`. */
async function violationsIn(page: Page, selector: string): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page })
    .include(selector)
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'])
    .analyze();
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

// Code goes into the editor by paste (see replaceCode).
test.use({ permissions: ['clipboard-read', 'clipboard-write'] });

test('a lookup used without a NULL check: the verdict explains the rejection, R-register in words, the fix, the line marked', async ({
  page,
}) => {
  test.setTimeout(3 * GRADE_MS);
  expect(solution).toContain(checked);
  const code = solution.replace(checked, unchecked);
  const line = code.split('\n').indexOf('\t__sync_fetch_and_add(count, 1);') + 1;

  const lab = await openLab(page, 'udp-game-server', "Count the game's UDP flows with tc");
  await replaceCode(page, lab, code);
  await lab.getByRole('button', { name: 'Check', exact: true }).click();
  const verdict = lab.getByRole('region', { name: 'Not passed yet', exact: true });
  await expect(verdict).toBeVisible({ timeout: GRADE_MS });

  const explainer = verdict.getByRole('region', {
    name: 'Why the verifier refused it: A map lookup used without a NULL check',
  });
  await expect(explainer).toBeVisible();
  await expect(explainer.getByText(/invalid mem access 'map_value_or_null'/)).toBeVisible();
  await expect(explainer.getByText(/^R\d holds what bpf_map_lookup_elem\(\) returned/)).toBeVisible();
  await expect(explainer.getByText('How to fix it:')).toBeVisible();
  await expect(explainer.getByText(/Compare the pointer with NULL right after the lookup/)).toBeVisible();
  // The refused instruction is the atomic add; its line is the learner's.
  await expect(explainer.getByText(/^\d+: lock \*\(u64 \*\)\(r\d \+0\) \+= r\d$/)).toBeVisible();
  const goToLine = explainer.getByRole('button', { name: `flows.bpf.c line ${line}`, exact: true });
  await expect(goToLine).toBeVisible();
  await expect(explainer.getByText('__sync_fetch_and_add(count, 1);', { exact: true })).toBeVisible();

  const registers = explainer.getByRole('region', { name: 'Registers at the refused instruction' });
  const named = registers.getByRole('row').filter({ hasText: '(named in the error)' });
  await expect(named).toHaveCount(1);
  await expect(named.getByRole('rowheader')).toHaveText(/^R\d \(named in the error\)$/);
  await expect(named.getByRole('cell')).toHaveText([
    /^map_value_or_null\(id=\d+,map=flows,ks=12,vs=8\)$/,
    'a map value of map flows that may be NULL — check it before use',
  ]);
  await expect(
    registers
      .getByRole('row')
      .filter({ has: page.getByRole('rowheader', { name: 'R10', exact: true }) })
      .getByRole('cell')
      .last(),
  ).toHaveText(/^the frame pointer/);

  // The editor marks the refused line, and the button moves the cursor there.
  const markers = () =>
    page.evaluate(() =>
      (
        window as unknown as {
          monaco: { editor: { getModelMarkers(f: object): { startLineNumber: number; source?: string }[] } };
        }
      ).monaco.editor
        .getModelMarkers({})
        .map((m) => m.startLineNumber),
    );
  await expect.poll(markers).toEqual([line]);
  await expect(lab.locator('.monaco-editor .squiggly-error')).toHaveCount(1);
  await goToLine.click();
  const cursorLine = () =>
    page.evaluate(
      () =>
        (
          window as unknown as {
            monaco: { editor: { getEditors(): { getPosition(): { lineNumber: number } | null }[] } };
          }
        ).monaco.editor
          .getEditors()[0]
          ?.getPosition()?.lineNumber,
    );
  await expect.poll(cursorLine).toBe(line);
  await explainer.screenshot({ path: test.info().outputPath('verifier-explainer.png') });

  const explainerSelector = '[aria-labelledby$="-verifier"]';
  expect(await violationsIn(page, explainerSelector)).toEqual([]);
  await page.emulateMedia({ colorScheme: 'dark' });
  expect(await violationsIn(page, explainerSelector)).toEqual([]);
});
