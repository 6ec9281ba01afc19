import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { expect, it } from 'vitest';
import { ConfigSchema } from '../server/config.js';

// The operators' table in README.md is written by hand; this keeps it from falling behind the
// schema when a variable is added.
it('README.md documents every configuration variable', async () => {
  const readme = await readFile(path.resolve(import.meta.dirname, '../README.md'), 'utf8');
  // A table row whose first cell is the variable; the formatter pads cells with spaces.
  const documented = new Set([...readme.matchAll(/^\|\s*`([A-Z_]+)`\s*\|/gm)].map((m) => m[1]));
  const undocumented = Object.keys(ConfigSchema.shape).filter((name) => !documented.has(name));
  expect(undocumented).toEqual([]);
});
