/**
 * The CO-RE report as a learner meets it (issue 12, item 5), in the lab "CO-RE without kernel
 * headers": after Check, the verdict has a "CO-RE relocations (N)" disclosure; opened, it lists
 * the task_struct fields the program reads with their offsets on this kernel (the ones bpftool
 * reads from the kernel's BTF). A read of a field this kernel lacks is listed as not on this
 * kernel, with why in words, beside the verifier's rejection. Both are checked with axe in the
 * light and dark schemes. Run's output has the same report.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Locator, Page } from '@playwright/test';
import { checkPasses, GRADE_MS, openLab, replaceCode } from './fixtures/lab';
import { expect, test } from './fixtures/server';

const solution = readFileSync(
  path.resolve(import.meta.dirname, '../labs/core-no-headers/solution/parent.bpf.c'),
  'utf8',
);

/** Byte offset of a task_struct member in this kernel's BTF, as bpftool prints it. */
function taskStructOffset(member: string): number {
  const dump = execFileSync('bpftool', ['btf', 'dump', 'file', '/sys/kernel/btf/vmlinux'], {
    maxBuffer: 256 << 20,
  }).toString();
  const struct = dump.slice(dump.search(/^\[\d+\] STRUCT 'task_struct' /m));
  const bits = new RegExp(`^\\s+'${member}' type_id=\\d+ bits_offset=(\\d+)`, 'm').exec(struct)?.[1];
  if (bits === undefined) throw new Error(`no task_struct.${member} in this kernel's BTF`);
  return Number(bits) / 8;
}

/** Opens the verdict's CO-RE disclosure and returns its list of relocations. */
async function openReport(verdict: Locator, summary: RegExp): Promise<Locator> {
  const disclosure = verdict.getByText(summary);
  await expect(disclosure).toBeVisible();
  await disclosure.click();
  const list = verdict.getByRole('list', { name: 'CO-RE relocations' });
  await expect(list).toBeVisible();
  return list;
}

async function expectAccessible(page: Page): Promise<void> {
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    const results = await new AxeBuilder({ page })
      .include('details')
      .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'])
      .analyze();
    const severe = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(
      severe.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
      colorScheme,
    ).toEqual([]);
  }
}

// Code goes into the editor by paste (see replaceCode).
test.use({ permissions: ['clipboard-read', 'clipboard-write'] });

test("Check shows the CO-RE relocations of the learner's program with this kernel's task_struct offsets", async ({
  page,
}) => {
  test.setTimeout(3 * GRADE_MS);
  const lab = await openLab(page, 'wsl2', 'CO-RE without kernel headers');
  await replaceCode(page, lab, solution);
  const [got, max] = await checkPasses(lab);
  expect(got).toBe(max);

  const verdict = lab.getByRole('region', { name: 'Passed', exact: true });
  const relocations = await openReport(verdict, /^CO-RE relocations \(\d+\)$/);
  const offsets = ['real_parent', 'tgid', 'comm'].map((field) => [field, taskStructOffset(field)] as const);
  for (const [field, offset] of offsets) {
    const item = relocations
      .getByRole('listitem')
      .filter({ hasText: `struct task_struct.${field}` })
      .first();
    await expect(item).toContainText('Applied');
    await expect(item).toContainText('field offset');
    await expect(item).toContainText(`on this kernel ${offset}`);
    await expect(item).toContainText(`At byte ${offset} of struct task_struct on this kernel`);
  }
  await expectAccessible(page);

  // Run loads the program the same way, and its output has the same report.
  await lab.getByRole('button', { name: 'Run', exact: true }).click();
  const output = lab.getByRole('region', { name: 'Run output' });
  await expect(output.getByText(/^CO-RE relocations \(\d+\)$/)).toBeVisible({ timeout: GRADE_MS });
  const ran = await openReport(output, /^CO-RE relocations \(\d+\)$/);
  const [field, offset] = offsets[0]!;
  await expect(
    ran
      .getByRole('listitem')
      .filter({ hasText: `struct task_struct.${field}` })
      .first(),
  ).toContainText(`on this kernel ${offset}`);
});

test('a field this kernel lacks is listed as not on this kernel, with why, beside the rejection', async ({
  page,
}) => {
  test.setTimeout(3 * GRADE_MS);
  const code = solution
    .replace(
      '#define COMM_LEN 16',
      '#define COMM_LEN 16\n\nstruct task_struct___old {\n\tint pid_old;\n} __attribute__((preserve_access_index));',
    )
    .replace(
      'e->ppid = BPF_CORE_READ(task, real_parent, tgid);',
      'e->ppid = BPF_CORE_READ((struct task_struct___old *)task, pid_old);',
    );
  expect(code).toContain('pid_old);');

  const lab = await openLab(page, 'wsl2', 'CO-RE without kernel headers');
  await replaceCode(page, lab, code);
  await lab.getByRole('button', { name: 'Check', exact: true }).click();
  const verdict = lab.getByRole('region', { name: 'Not passed yet', exact: true });
  await expect(verdict).toBeVisible({ timeout: GRADE_MS });

  const relocations = await openReport(verdict, /^CO-RE relocations \(\d+, 1 failed\)$/);
  const missing = relocations.getByRole('listitem').filter({ hasText: 'struct task_struct___old.pid_old' });
  await expect(missing).toContainText('Not on this kernel');
  await expect(missing).toContainText(
    'On this kernel, struct task_struct has no field pid_old: libbpf replaced instruction #',
  );
  await expect(missing).toContainText('Guard the access with bpf_core_field_exists()');
  await expectAccessible(page);
});
