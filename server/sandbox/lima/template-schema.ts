/**
 * A SUBSET of Lima's template schema (lima-vm/lima pkg/limatype/lima_yaml.go): only the fields
 * bpflab's template uses, checked strictly, as Lima itself parses templates strictly. It exists
 * so a broken lima/bpflab.yaml is caught by the unit tests and at driver start, here, where Lima
 * cannot run; it does not replace `limactl validate`, which the real acceptance test runs.
 */
import { access, constants, readFile } from 'node:fs/promises';
import path from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import { formatFieldPath, locate } from '../../labs/yaml-locate.js';

const ARCHES = ['x86_64', 'aarch64', 'armv7l', 'ppc64le', 'riscv64', 's390x'] as const;
/** go-units sizes as Lima accepts them for memory and disk, e.g. `2GiB`. */
const size = z.string().regex(/^\d+(\.\d+)?\s*([KMGT]i?B|B)?$/i, 'a size such as "4GiB"');

/** A script inline, or a file relative to the template (Lima 1.1+). */
const source = {
  script: z.string().startsWith('#!', 'a script starting with #!').optional(),
  file: z.string().min(1).optional(),
};
const oneSource = (s: { script?: string; file?: string }) =>
  (s.script === undefined) !== (s.file === undefined);
const ONE_SOURCE = 'needs exactly one of `script` and `file`';

export const LimaTemplate = z.strictObject({
  minimumLimaVersion: z
    .string()
    .regex(/^\d+\.\d+\.\d+$/)
    .optional()
    .describe('Oldest Lima that can use the template'),
  vmType: z.enum(['qemu', 'vz', 'wsl2', 'ext']).nullable().optional().describe('Left to Lima when absent'),
  arch: z
    .enum([...ARCHES, 'default'])
    .nullable()
    .optional(),
  images: z
    .array(
      z.strictObject({
        location: z.url({ protocol: /^https$/ }).describe('Where Lima downloads the disk image'),
        arch: z.enum(ARCHES),
        digest: z
          .string()
          .regex(/^(sha256:[0-9a-f]{64}|sha512:[0-9a-f]{128})$/, 'a sha256 or sha512 digest')
          .describe(
            'Pins the image: Lima refuses a download that does not match (Debian publishes sha512 sums)',
          ),
      }),
    )
    .min(1),
  cpus: z.number().int().positive().optional(),
  memory: size.optional(),
  disk: size.optional(),
  mounts: z
    .array(
      z.strictObject({
        location: z.string(),
        mountPoint: z.string().optional(),
        writable: z.boolean().optional(),
      }),
    )
    .optional(),
  containerd: z.strictObject({ system: z.boolean(), user: z.boolean() }).optional(),
  provision: z
    .array(
      z
        .strictObject({ mode: z.enum(['system', 'user', 'boot', 'dependency']), ...source })
        .refine(oneSource, ONE_SOURCE),
    )
    .optional(),
  probes: z
    .array(
      z
        .strictObject({
          mode: z.literal('readiness').optional(),
          description: z.string().min(1),
          hint: z.string().min(1).describe('What to look at when the probe fails'),
          ...source,
        })
        .refine(oneSource, ONE_SOURCE),
    )
    .optional(),
});
export type LimaTemplate = z.infer<typeof LimaTemplate>;

export type TemplateCheck = { ok: true; template: LimaTemplate } | { ok: false; errors: string[] };

/** Parse and check a template file; every problem is reported as `file:line:column field: what`. */
export async function checkLimaTemplate(file: string): Promise<TemplateCheck> {
  const text = await readFile(file, 'utf8');
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      errors: doc.errors.map((e) => {
        const at = e.linePos?.[0];
        return `${file}:${at?.line ?? 1}:${at?.col ?? 1} ${e.message}`;
      }),
    };
  }
  const parsed = LimaTemplate.safeParse(doc.toJS());
  if (!parsed.success) {
    return {
      ok: false,
      errors: parsed.error.issues.map((issue) => {
        const key = issue.code === 'unrecognized_keys' ? issue.keys[0] : undefined;
        const at = locate(doc, lines, issue.path, key);
        return `${file}:${at.line}:${at.column} ${formatFieldPath(issue.path)}: ${issue.message}`;
      }),
    };
  }
  const missing: string[] = [];
  const files = [...(parsed.data.provision ?? []), ...(parsed.data.probes ?? [])].flatMap(
    (s) => s.file ?? [],
  );
  for (const script of files) {
    const resolved = path.resolve(path.dirname(file), script);
    await access(resolved, constants.R_OK).catch(() => missing.push(`${file}: ${script}: no such script`));
  }
  return missing.length > 0 ? { ok: false, errors: missing } : { ok: true, template: parsed.data };
}
