import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { type ContentRoot, lesson, makeContentRoot } from '../app/_lessons/test-content-root.js';

const repo = path.resolve(import.meta.dirname, '..');
const tsx = path.join(repo, 'node_modules/.bin/tsx');

let tree: ContentRoot | null = null;
afterEach(async () => {
  await tree?.remove();
  tree = null;
});

/** Runs the CLI as `npm run content:check` does, on a throwaway content tree. */
async function contentCheck(files: Record<string, string>) {
  tree = await makeContentRoot(files);
  try {
    const { stdout, stderr } = await promisify(execFile)(
      tsx,
      ['scripts/content-check.ts', '--root', tree.root],
      {
        cwd: repo,
      },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

const ok = (order: number) => `title: Lesson ${order}\nsummary: S\norder: ${order}\nminutes: 5`;

// Each case starts tsx, esbuild and shiki in a fresh process: seconds on a busy machine.
describe('npm run content:check', { timeout: 30_000 }, () => {
  it('passes a clean course', async () => {
    const run = await contentCheck({ 'content/01-a.mdx': lesson(ok(1)), 'content/02-b.mdx': lesson(ok(2)) });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/content:check: 2 lesson\(s\) OK/);
  });

  it('prints every problem of every file as file:line:column and exits 1', async () => {
    const run = await contentCheck({
      'content/01-a.mdx': lesson(ok(1), '\n<Quiz />\n'),
      'content/02-b.mdx': lesson('title: B\nsummary: S\norder: 2\nminutes: soon'),
      'content/03-c.mdx': lesson(ok(3), '\nbroken <Callout\n'),
      'content/04-d.mdx': lesson(ok(4)),
    });
    expect(run.code).toBe(1);
    const lines = run.stderr.trim().split('\n');
    expect(lines.slice(0, -1)).toEqual([
      'content/01-a.mdx:8:1: unknown component <Quiz>: lessons may use <Callout>, <KernelNote>, <Lab>, <Run>',
      'content/02-b.mdx:5:10: frontmatter `minutes`: Invalid input: expected number, received string',
      expect.stringMatching(/^content\/03-c\.mdx:8:\d+: Unexpected end of file/),
    ]);
    expect(lines.at(-1)).toMatch(/^content:check: 3 problem\(s\) in 3 file\(s\)/);
  });
});
