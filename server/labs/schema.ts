/**
 * The lab manifest, `labs/<id>/lab.yaml`. One schema, every field described; the JSON Schema in
 * labs/lab.schema.json is generated from it (`npm run labs:schema`) for editor autocompletion.
 */
import { z } from 'zod';
import { KernelFeature } from '../sandbox/features.js';

const relPath = z
  .string()
  .min(1)
  .refine((p) => !p.startsWith('/') && !p.split('/').includes('..'), {
    message: 'must be a path inside the lab folder (no leading "/" and no "..")',
  });

const id = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]*$/, 'must be lowercase letters, digits and dashes');

const checkBase = {
  id: id.describe('Unique within the lab; other checks name it in `needs`.'),
  title: z.string().min(1).describe('What the learner sees in the results panel.'),
  points: z.number().int().min(0).default(1).describe('Credit for passing; partial credit is the sum.'),
  needs: z
    .array(id)
    .default([])
    .describe('Checks that must pass first; if one fails this check is skipped, not failed twice.'),
  feedback: z
    .string()
    .optional()
    .describe('Shown when the check fails: what to look at, not the answer.'),
};

/** Text matching used by output checks. `{{nonce}}` is replaced by the run's nonce. */
const TextMatch = z
  .object({
    regex: z.string().optional().describe('JavaScript regular expression a line must match.'),
    contains: z.string().optional().describe('Substring a line must contain.'),
  })
  .refine((m) => (m.regex === undefined) !== (m.contains === undefined), {
    message: 'give exactly one of `regex` or `contains`',
  });

export const CompileCheck = z
  .object({ ...checkBase, type: z.literal('compile') })
  .describe('Passes when every BPF object (and user-space program) builds without errors.');

export const LoadCheck = z
  .object({
    ...checkBase,
    type: z.literal('load'),
    programs: z
      .array(
        z.object({
          type: z.string().optional().describe('Expected program type as bpftool names it, e.g. `tracepoint`.'),
          section: z.string().optional().describe('Expected ELF section, e.g. `tp/syscalls/sys_enter_execve`.'),
        }),
      )
      .default([])
      .describe('Programs that must be present after load; empty means "the verifier accepts all".'),
  })
  .describe('Passes when the verifier accepts every program and they attach.');

export const OutputCheck = z
  .object({
    ...checkBase,
    type: z.literal('output'),
    source: z
      .enum(['ringbuf', 'trace'])
      .describe('`ringbuf`: events the program submitted, as JSON; `trace`: its bpf_printk lines.'),
    field: z
      .string()
      .optional()
      .describe('For ringbuf events, match this field of the decoded event instead of the whole JSON.'),
    match: TextMatch,
    count: z
      .object({
        min: z.number().int().min(0).optional(),
        max: z.number().int().min(0).optional(),
        exact: z.number().int().min(0).optional(),
      })
      .default({ min: 1 })
      .describe('How many matching lines or events are expected.'),
  })
  .describe('Looks at what the program emitted while the workload ran.');

export const MapCheck = z
  .object({
    ...checkBase,
    type: z.literal('map'),
    map: z.string().min(1).describe('Map name as in the BPF source.'),
    entries: z
      .array(
        z.object({
          key: z.unknown().describe('Decoded key (a number, or an object of field names).'),
          value: z.unknown().describe('Expected decoded value; objects compare field by field.'),
        }),
      )
      .min(1)
      .describe('Entries that must be present with these values.'),
    tolerance: z
      .number()
      .min(0)
      .default(0)
      .describe('Numbers may differ from the expected value by this much (absolute).'),
    exhaustive: z.boolean().default(false).describe('Fail if the map holds entries not listed.'),
  })
  .describe('Compares map contents, decoded through BTF, after the workload.');

export const ScriptCheck = z
  .object({
    ...checkBase,
    type: z.literal('script'),
    run: relPath.describe(
      'Executable in the lab folder, run in the sandbox after the workload with the run directory as cwd (events.jsonl, maps.json, trace.log there). Exit 0 passes; lines starting `FAIL:` are shown to the learner.',
    ),
    timeoutMs: z.number().int().positive().max(60_000).default(10_000),
  })
  .describe('A lab-specific judge for what the other checks cannot express.');

export const Check = z.discriminatedUnion('type', [
  CompileCheck,
  LoadCheck,
  OutputCheck,
  MapCheck,
  ScriptCheck,
]);
export type Check = z.infer<typeof Check>;

export const LabFile = z.object({
  path: relPath.describe('Name as the learner sees it; starter/<path> and solution/<path> must exist.'),
  readonly: z.boolean().default(false).describe('Shown but not editable (a shared header, say).'),
});

export const Attach = z
  .object({
    object: relPath.describe('The BPF object the runner loads, e.g. `hello.bpf.o`.'),
    uprobeBinary: z
      .string()
      .optional()
      .describe('Binary or library for `uprobe/<function>` sections, relative to the run directory.'),
    interface: z.string().default('lo').describe('Network interface for tc and XDP programs.'),
    perfEvent: z
      .array(z.enum(['cycles', 'instructions', 'cpu-clock', 'task-clock']))
      .optional()
      .describe('Events for perf_event programs, first available wins (hardware before software).'),
    perfFrequency: z.number().int().positive().default(99).describe('Samples per second per CPU.'),
    eventType: z
      .string()
      .optional()
      .describe('BTF struct name of ring-buffer records, so events are decoded into fields.'),
  })
  .describe('How the runner loads and attaches the program.');

export const Workload = z
  .object({
    run: z
      .array(z.string())
      .min(1)
      .describe('Command run in the sandbox once programs are attached; BPFLAB_NONCE is in its env.'),
    timeoutMs: z.number().int().positive().max(120_000).default(10_000),
  })
  .describe('What makes the kernel events happen.');

export const LabManifest = z
  .object({
    id: id.describe('Must equal the folder name.'),
    title: z.string().min(1),
    summary: z.string().min(1).describe('One sentence shown above the editor.'),
    lesson: z.string().min(1).describe('Slug of the lesson that embeds the lab.'),
    requires: z.array(KernelFeature).default([]).describe('Kernel features the lab cannot run without.'),
    files: z.array(LabFile).min(1).describe('Files the learner edits, shown as editor tabs.'),
    support: z
      .array(relPath)
      .default([])
      .describe('Other lab-folder files copied into the run directory (workloads, libraries).'),
    build: z
      .object({
        bpf: z.array(relPath).min(1).describe('BPF C sources; each `x.bpf.c` builds `x.bpf.o`.'),
        userspace: z
          .array(
            z.object({
              source: relPath,
              output: relPath,
              skeletonOf: relPath.optional().describe('BPF object whose skeleton header it includes.'),
            }),
          )
          .default([])
          .describe('User-space programs built against libbpf, e.g. a skeleton loader.'),
      })
      .describe('What to compile, with the one set of flags from bpf/.'),
    attach: Attach.optional().describe('Omit for labs graded without loading (compile-only).'),
    workload: Workload.optional(),
    checks: z.array(Check).min(1),
    hints: z.array(z.string()).default([]).describe('Revealed one at a time on request.'),
    showSolution: z
      .enum(['after-attempt', 'always', 'never'])
      .default('after-attempt')
      .describe('When the Show solution button is enabled.'),
  })
  .strict();
export type LabManifest = z.infer<typeof LabManifest>;
