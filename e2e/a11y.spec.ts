/**
 * The automated accessibility check (axe-core, WCAG 2.x A and AA rules): the home page, a lesson,
 * an open lab with a verdict and its Program view, each in the light and the dark colour scheme,
 * have no serious or critical violations. A failure lists each violation with its rule, what it asks for and the
 * elements that break it.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { GRADE_MS, openLab, replaceCode } from './fixtures/lab';
import { expect, test } from './fixtures/server';

type Violation = Awaited<ReturnType<AxeBuilder['analyze']>>['violations'][number];

function listViolations(violations: Violation[]): string {
  return violations
    .map((v) => {
      const nodes = v.nodes
        .slice(0, 8)
        .map(
          (node) => `    ${node.target.join(' ')}\n      ${node.failureSummary?.replace(/\n/g, '\n      ')}`,
        )
        .join('\n');
      const more = v.nodes.length > 8 ? `\n    … and ${v.nodes.length - 8} more` : '';
      return `${v.id} (${v.impact}): ${v.help}\n  ${v.helpUrl}\n${nodes}${more}`;
    })
    .join('\n\n');
}

/** Runs axe on the page as it is now and fails on serious or critical violations, listing them. */
async function expectAccessible(page: Page, what: string): Promise<void> {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'])
    .analyze();
  const severe = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(
    severe.map((v) => v.id),
    `${what}: serious or critical accessibility violations\n\n${listViolations(severe)}\n`,
  ).toEqual([]);
}

// Code goes into the editor by paste (see replaceCode).
test.use({ permissions: ['clipboard-read', 'clipboard-write'] });

for (const colorScheme of ['light', 'dark'] as const) {
  test.describe(`in the ${colorScheme} colour scheme`, () => {
    test.use({ colorScheme });

    test('the home page has no serious or critical violations', async ({ page }) => {
      await page.goto('/');
      await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
      // The per-lesson progress arrives after load; check the page with it.
      await page.waitForLoadState('networkidle');
      await expectAccessible(page, 'home page');
    });

    test('a lesson has no serious or critical violations', async ({ page }) => {
      await page.goto('/lessons/c-to-kernel');
      await expect(page.getByRole('navigation', { name: 'On this page' })).toBeVisible();
      await expectAccessible(page, 'lesson c-to-kernel');
    });

    test('an open lab with a verdict has no serious or critical violations', async ({ page }) => {
      test.setTimeout(2 * GRADE_MS);
      const lab = await openLab(page, 'hello-execve', 'Hello, execve');
      await expect(lab.getByRole('region', { name: 'Terminal' }).getByRole('tab').first()).toBeVisible({
        timeout: GRADE_MS,
      });
      await replaceCode(page, lab, 'int broken = ;\n');
      await lab.getByRole('button', { name: 'Check', exact: true }).click();
      await expect(lab.getByRole('region', { name: 'Not passed yet', exact: true })).toBeVisible({
        timeout: GRADE_MS,
      });
      await lab.getByRole('button', { name: 'Hint', exact: true }).click();
      await expect(lab.getByRole('list', { name: 'Hints' })).toBeVisible();
      await expectAccessible(page, 'lab hello-execve with a verdict and a hint');

      await lab.getByRole('button', { name: 'Focus mode', exact: true }).click();
      await expect(page.getByRole('navigation', { name: 'Site' })).toBeHidden();
      await expectAccessible(page, 'lab hello-execve in focus mode');
    });

    test('the Program view with a line chosen has no serious or critical violations', async ({ page }) => {
      test.setTimeout(2 * GRADE_MS);
      const lab = await openLab(page, 'hello-execve', 'Hello, execve');
      const solution = path.resolve(import.meta.dirname, '../labs/hello-execve/solution/hello.bpf.c');
      await replaceCode(page, lab, readFileSync(solution, 'utf8'));
      await lab.getByRole('tablist', { name: 'Right column' }).getByRole('tab', { name: 'Program' }).click();
      await lab.getByRole('button', { name: 'Build and load', exact: true }).click();
      const source = lab.getByRole('region', { name: 'Source: hello.bpf.c' });
      await source.getByRole('button', { name: /bpf_ringbuf_reserve\(/ }).click({ timeout: GRADE_MS });
      await expect(lab.locator('li[aria-current="true"]').first()).toBeVisible();
      await expectAccessible(page, 'lab hello-execve, Program view with a line chosen');
    });
  });
}
