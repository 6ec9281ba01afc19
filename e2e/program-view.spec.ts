/**
 * The Program view against the real server and kernel: in Hello, execve with the solution in the
 * editor, the learner switches the right column to Program, builds and loads, chooses the line
 * that reserves the ring-buffer record and sees its instructions highlighted in clang's column,
 * after the verifier (the map load it rewrote marked) and in the JIT's (or why the kernel hides
 * it); moving the editor's cursor moves the highlight; the terminal's shell is still there when
 * they switch back.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { GRADE_MS, openLab, replaceCode } from './fixtures/lab';
import { expect, test } from './fixtures/server';

const solution = readFileSync(
  path.resolve(import.meta.dirname, '../labs/hello-execve/solution/hello.bpf.c'),
  'utf8',
);
const lineOf = (text: string) => solution.split('\n').findIndex((l) => l.includes(text)) + 1;

// Code goes into the editor by paste (see replaceCode).
test.use({ permissions: ['clipboard-read', 'clipboard-write'] });

test('Program shows the instructions of a source line in every column', async ({ page }) => {
  test.setTimeout(3 * GRADE_MS);
  const lab = await openLab(page, 'hello-execve', 'Hello, execve');
  await replaceCode(page, lab, solution);

  // A shell with something in it, to find again after the Program view.
  const shell = lab.getByRole('region', { name: 'Terminal' }).getByRole('tabpanel');
  await expect(shell).toContainText('#', { timeout: 30_000 });
  await shell.click();
  await page.keyboard.type('echo "still-$((40 + 2))"');
  await page.keyboard.press('Enter');
  await expect(shell).toContainText('still-42');

  const panes = lab.getByRole('tablist', { name: 'Right column' });
  await panes.getByRole('tab', { name: 'Terminal' }).focus();
  await page.keyboard.press('ArrowRight'); // the keyboard's way to Program
  await expect(panes.getByRole('tab', { name: 'Program' })).toHaveAttribute('aria-selected', 'true');
  await expect(shell).toBeHidden();

  await lab.getByRole('button', { name: 'Build and load', exact: true }).click();
  await expect(lab.getByRole('status').filter({ hasText: 'handle_execve' })).toContainText(
    /handle_execve \(tracepoint\/syscalls\/sys_enter_execve\): \d+ instructions after the verifier/,
    { timeout: GRADE_MS },
  );

  const reserve = lineOf('bpf_ringbuf_reserve(');
  const source = lab.getByRole('region', { name: 'Source: hello.bpf.c' });
  await source.getByRole('button', { name: /bpf_ringbuf_reserve\(&events/ }).click();
  await expect(source.getByRole('button', { pressed: true })).toContainText(String(reserve));

  const clang = lab.getByRole('region', { name: 'clang', exact: true });
  await expect(clang).toContainText(`instructions for line ${reserve}.`);
  const clangCurrent = clang.locator('li[aria-current="true"]');
  await expect(clangCurrent.filter({ hasText: 'call 131  ; bpf_ringbuf_reserve' })).toBeVisible();
  await expect(clangCurrent.filter({ hasText: 'r1 = 0 ll  ; events' })).toBeVisible();

  const verifier = lab.getByRole('region', { name: 'After the verifier', exact: true });
  await expect(verifier).toContainText(`instructions for line ${reserve} after the verifier.`);
  const mapLoad = verifier.locator('li[aria-current="true"]').filter({ hasText: /map\[id:\d+\]\s+; events/ });
  await expect(mapLoad).toBeVisible();
  await expect(mapLoad).toContainText('rewritten');

  const jit = lab.getByRole('region', { name: 'JIT', exact: true });
  await expect(jit).toContainText(
    new RegExp(
      `instructions for line ${reserve}\\.|No JIT code: the kernel hides JIT code from this sandbox`,
    ),
  );
  await page.screenshot({ path: test.info().outputPath('program-view.png') });

  // The editor's cursor moves the highlight: the line that submits the record.
  const submit = lineOf('bpf_ringbuf_submit(');
  await lab.locator('.monaco-editor .view-line').filter({ hasText: 'bpf_ringbuf_submit(e, 0)' }).click();
  await expect(clang).toContainText(`instructions for line ${submit}.`);
  await expect(
    clang.locator('li[aria-current="true"]').filter({ hasText: 'bpf_ringbuf_submit' }),
  ).toBeVisible();
  await expect(source.getByRole('button', { pressed: true })).toContainText('bpf_ringbuf_submit');

  // Back to the terminal: the same shell, with what it printed.
  await panes.getByRole('tab', { name: 'Terminal' }).click();
  await expect(shell).toBeVisible();
  await expect(shell).toContainText('still-42');
});
