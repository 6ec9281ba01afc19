import { rm } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { neighbours, publishedLessons, readCatalog } from './catalog.js';
import { formatDiagnostic } from './diagnostic.js';
import { type ContentRoot, lesson, makeContentRoot } from './test-content-root.js';

const fields = (title: string, order: number) =>
  `title: ${title}\nsummary: About ${title}.\norder: ${order}\nminutes: 5`;

let tree: ContentRoot | null = null;
afterEach(async () => {
  await tree?.remove();
  tree = null;
});

async function catalogOf(files: Record<string, string>) {
  tree = await makeContentRoot(files);
  return readCatalog(tree.root);
}

describe('readCatalog', () => {
  it('lists lessons in course order, not name order', async () => {
    const catalog = await catalogOf({
      'content/10-last.mdx': lesson(fields('Last', 10)),
      'content/02-second.mdx': lesson(fields('Second', 2)),
      'content/01-first.mdx': lesson(fields('First', 1)),
    });
    expect(catalog.diagnostics).toEqual([]);
    expect(catalog.lessons.map((l) => [l.order, l.slug, l.file])).toEqual([
      [1, 'first', 'content/01-first.mdx'],
      [2, 'second', 'content/02-second.mdx'],
      [10, 'last', 'content/10-last.mdx'],
    ]);
  });

  it('keeps a lesson with broken frontmatter routable but unpublished', async () => {
    const catalog = await catalogOf({
      'content/01-first.mdx': lesson(fields('First', 1)),
      'content/02-broken.mdx': lesson('title: Broken'),
      'content/03-third.mdx': lesson(fields('Third', 3)),
    });
    expect(catalog.lessons.map((l) => l.slug)).toEqual(['first', 'broken', 'third']);
    expect(publishedLessons(catalog).map((l) => l.slug)).toEqual(['first', 'third']);
    // Previous/next skip the lesson a learner could not open.
    expect(neighbours(catalog, 'third').previous?.slug).toBe('first');
    expect(neighbours(catalog, 'first').next?.slug).toBe('third');
    expect(neighbours(catalog, 'first').previous).toBeNull();
    expect(neighbours(catalog, 'third').next).toBeNull();
  });

  it('reports names, order mismatches and duplicates with positions', async () => {
    const catalog = await catalogOf({
      'content/01-first.mdx': lesson(fields('First', 1)),
      'content/02-second.mdx': lesson(fields('Second', 3)),
      'content/01-again.mdx': lesson(fields('Again', 1)),
      'content/05-first.mdx': lesson(fields('Other first', 5)),
      'content/intro.mdx': lesson(fields('Intro', 4)),
    });
    expect(catalog.diagnostics.map(formatDiagnostic)).toEqual([
      'content/01-first.mdx:4:8: order 1 is also used by content/01-again.mdx',
      'content/02-second.mdx:4:8: frontmatter `order` is 3 but the file name says 2',
      'content/05-first.mdx:1:1: slug "first" is also used by content/01-first.mdx',
      'content/intro.mdx:1:1: lesson files are named NN-slug.mdx (two digits, then lowercase words and dashes)',
    ]);
    // A duplicate slug cannot be routed; the first file keeps it.
    expect(catalog.lessons.filter((l) => l.slug === 'first').map((l) => l.file)).toEqual([
      'content/01-first.mdx',
    ]);
  });

  it('treats a missing content/ as an empty course', async () => {
    tree = await makeContentRoot({});
    await rm(path.join(tree.root, 'content'), { recursive: true });
    expect(await readCatalog(tree.root)).toEqual({ lessons: [], diagnostics: [] });
  });
});
