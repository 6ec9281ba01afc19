/**
 * labs/lab.schema.json, generated from the zod schema so that editors (yaml-language-server, via
 * the comment on each lab.yaml's first line) complete and check manifests with the same rules and
 * descriptions. The input side of the schema: fields with defaults are optional.
 */
import { z } from 'zod';
import { LabManifest } from './schema.js';

export const LAB_SCHEMA_FILE = 'labs/lab.schema.json';

export function labJsonSchemaText(): string {
  const schema = z.toJSONSchema(LabManifest, { io: 'input', target: 'draft-07' });
  const document = { ...schema, title: 'bpflab lab manifest (lab.yaml)' };
  return `${JSON.stringify(document, null, 2)}\n`;
}
