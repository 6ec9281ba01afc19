import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LAB_SCHEMA_FILE, labJsonSchemaText } from './json-schema.js';

const root = new URL('../../', import.meta.url);

describe('labs/lab.schema.json', () => {
  it('is what the zod schema generates (regenerate: npx tsx scripts/bpflab.ts schema)', () => {
    const committed = readFileSync(new URL(LAB_SCHEMA_FILE, root), 'utf8');
    expect(committed).toBe(labJsonSchemaText());
  });

  it('describes every field, so editors can show help for each', () => {
    const undocumented: string[] = [];
    const walk = (node: unknown, path: string) => {
      if (node === null || typeof node !== 'object') return;
      const n = node as Record<string, unknown>;
      if (n.properties && typeof n.properties === 'object') {
        for (const [key, child] of Object.entries(n.properties)) {
          if (!(child as Record<string, unknown>).description) undocumented.push(`${path}.${key}`);
          walk(child, `${path}.${key}`);
        }
      }
      for (const key of ['items', 'anyOf', 'oneOf', 'allOf', 'additionalProperties']) {
        const sub = n[key];
        if (Array.isArray(sub)) {
          for (const [i, s] of sub.entries()) walk(s, `${path}.${key}[${i}]`);
        } else walk(sub, `${path}.${key}`);
      }
    };
    walk(JSON.parse(labJsonSchemaText()), '$');
    expect(undocumented).toEqual([]);
  });
});
