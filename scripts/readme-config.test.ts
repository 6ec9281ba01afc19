import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { expect, it } from 'vitest';
import { ConfigSchema } from '../server/config.js';

// The operators' table in README.md is written by hand; this keeps it from falling behind the
// schema when a variable is added.
it('README.md documents every configuration variable', async () => {
  const readme = await readFile(path.resolve(import.meta.dirname, '../README.md'), 'utf8');
  const undocumented = Object.keys(ConfigSchema.shape).filter((name) => !readme.includes(`| \`${name}\` |`));
  expect(undocumented).toEqual([]);
});
