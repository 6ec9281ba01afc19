import { mkdir, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { compileLesson, type LessonSource } from './compile.js';
import { LessonCache } from './lesson-cache.js';
import { type ContentRoot, lesson, makeContentRoot } from './test-content-root.js';

const HEADER = 'title: A\nsummary: S\norder: 1\nminutes: 5';

let tree: ContentRoot | null = null;
afterEach(async () => {
  await tree?.remove();
  tree = null;
});

/** A cache over a throwaway course that counts real compiles. */
async function setUp(files: Record<string, string>) {
  tree = await makeContentRoot(files);
  const compiled: string[] = [];
  const cache = new LessonCache(tree.root, (input: LessonSource) => {
    compiled.push(input.file);
    return compileLesson(input);
  });
  const file = (rel: string) => path.join(tree?.root ?? '', rel);
  const first = async () => {
    const entry = (await cache.catalog()).lessons[0];
    if (!entry) throw new Error('no lesson in the catalog');
    return cache.lesson(entry);
  };
  return { cache, compiled, file, first };
}

describe('LessonCache', { timeout: 20_000 }, () => {
  it('compiles a lesson once and serves it until the file changes', async () => {
    const { compiled, file, first } = await setUp({ 'content/01-a.mdx': lesson(HEADER, '\n## One\n') });
    const before = await first();
    expect(await first()).toBe(before);
    expect(compiled).toEqual(['content/01-a.mdx']);

    await writeFile(file('content/01-a.mdx'), lesson(HEADER, '\n## Second heading\n'));
    const after = await first();
    expect(compiled).toHaveLength(2);
    expect(after.result.ok && after.result.toc.map((t) => t.text)).toEqual(['Second heading']);
  });

  it('does not recompile a file that was touched but not changed', async () => {
    const { compiled, file, first } = await setUp({ 'content/01-a.mdx': lesson(HEADER) });
    const before = await first();
    const later = new Date(Date.now() + 5_000);
    await utimes(file('content/01-a.mdx'), later, later);
    expect((await first()).result).toBe(before.result);
    expect(compiled).toHaveLength(1);
  });

  it('recompiles when a lab the lesson embeds appears', async () => {
    const { compiled, file, first } = await setUp({
      'content/01-a.mdx': lesson(`${HEADER}\nlabs: [later]`, '\n<Lab id="later" />\n'),
    });
    expect((await first()).result.ok).toBe(false);
    await mkdir(file('labs/later'));
    await writeFile(file('labs/later/lab.yaml'), 'id: later\n');
    expect((await first()).result.ok).toBe(true);
    expect(compiled).toHaveLength(2);
  });

  it('sees lessons added to content/ without a restart', async () => {
    const { cache, file } = await setUp({ 'content/01-a.mdx': lesson(HEADER) });
    expect((await cache.catalog()).lessons.map((l) => l.slug)).toEqual(['a']);
    await writeFile(file('content/02-b.mdx'), lesson('title: B\nsummary: S\norder: 2\nminutes: 5'));
    expect((await cache.catalog()).lessons.map((l) => l.slug)).toEqual(['a', 'b']);
  });
});
