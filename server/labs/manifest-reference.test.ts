import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AUTHORING_LESSON_FILE, manifestReference, withReference } from './manifest-reference.js';

const root = new URL('../../', import.meta.url);

describe('the lab.yaml reference of the authoring lesson', () => {
  const reference = manifestReference();

  it('is what the schema generates (regenerate: npx bpflab schema)', () => {
    const lesson = readFileSync(new URL(AUTHORING_LESSON_FILE, root), 'utf8');
    expect(withReference(lesson, reference)).toBe(lesson);
  });

  it('lists the manifest fields, nested ones by path, and a table per check kind', () => {
    for (const field of [
      '`id`',
      '`workload.run`',
      '`workload.timeoutMs`',
      '`files[].readonly`',
      '`attach.object`',
    ])
      expect(reference).toContain(`| ${field} |`);
    for (const kind of ['compile', 'load', 'output', 'map', 'script'])
      expect(reference).toContain(`### Checks of type \`${kind}\``);
  });

  it('escapes what MDX would read as markup outside code spans, and leaves code spans alone', () => {
    expect(reference).toContain('starter/\\<path\\>');
    expect(reference).toContain('`uprobe/<function>`');
  });
});
