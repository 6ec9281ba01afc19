import { describe, expect, it } from 'vitest';
import { parseLessonFileName } from './lesson-files.js';

describe('parseLessonFileName', () => {
  it('takes order and slug from NN-slug.mdx', () => {
    expect(parseLessonFileName('03-hello-execve.mdx')).toEqual({ order: 3, slug: 'hello-execve' });
    expect(parseLessonFileName('10-perf.mdx')).toEqual({ order: 10, slug: 'perf' });
  });

  it('refuses other names', () => {
    for (const name of ['3-x.mdx', '03_x.mdx', '03-X.mdx', '03-.mdx', '03-x-.mdx', '03-x.md']) {
      expect(parseLessonFileName(name)).toBeNull();
    }
  });
});
