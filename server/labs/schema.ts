/**
 * The lab manifest, `labs/<id>/lab.yaml`. One schema, every field described; the JSON Schema in
 * labs/lab.schema.json is generated from it (`npx tsx scripts/bpflab.ts schema`) for editor
 * autocompletion. Rules that span fields (check ids, `needs`, the attached object) are refinements
 * here so that their errors carry a field path; rules about files on disk live in the loader.
 */
import { z } from 'zod';
import { LabRequires } from '../protocol/kernel-features.js';
import { LAB_ID_PATTERN } from '../protocol/lab-id.js';
import { FIELD_FORMATS, type FieldFormats, readEntryPart } from './map-format.js';
import {
  NONCE_NUMBER_MAX,
  NONCE_NUMBER_MIN,
  NONCE_NUMBER_PLACEHOLDER,
  NONCE_PLACEHOLDER,
  unknownPlaceholder,
} from './placeholders.js';

const relPath = z
  .string()
  .min(1)
  .refine((p) => !p.startsWith('/') && !p.split('/').includes('..'), {
    message: 'must be a path inside the lab folder (no leading "/" and no "..")',
  });

/** A name in C: a struct's, a global variable's. */
const C_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Lab ids, and check ids after them; the message is for a manifest's author. */
const id = z.string().regex(LAB_ID_PATTERN, 'must be lowercase letters, digits and dashes');

/** How the schema's descriptions name the run's number. */
const NONCE_NUMBER_WORDS = `\`${NONCE_NUMBER_PLACEHOLDER}\` for the run's number (${NONCE_NUMBER_MIN}–${NONCE_NUMBER_MAX}, unique among the runs in flight: a port, an id)`;

const checkBase = {
  id: id.describe('Unique within the lab; other checks name it in `needs`.'),
  title: z.string().min(1).describe('What the learner sees in the results panel.'),
  points: z.number().int().min(0).default(1).describe('Credit for passing; partial credit is the sum.'),
  needs: z
    .array(id)
    .default([])
    .describe('Checks that must pass first; if one does not, this check is skipped, not failed twice.'),
  feedback: z.string().optional().describe('Shown when the check fails: what to look at, not the answer.'),
};

const regexSource = z
  .string()
  .min(1)
  .refine(
    (source) =>
      compiles(
        source
          .replaceAll(NONCE_PLACEHOLDER, 'nonce')
          .replaceAll(NONCE_NUMBER_PLACEHOLDER, String(NONCE_NUMBER_MAX)),
      ),
    { message: 'is not a valid JavaScript regular expression' },
  );

function compiles(source: string): boolean {
  try {
    new RegExp(source);
    return true;
  } catch {
    return false;
  }
}

/** Text matching used by output checks; the run's placeholders are replaced (placeholders.ts). */
const TextMatch = z
  .strictObject({
    regex: regexSource.optional().describe('JavaScript regular expression a line must match.'),
    contains: z.string().min(1).optional().describe('Substring a line must contain.'),
  })
  .refine((m) => (m.regex === undefined) !== (m.contains === undefined), {
    message: 'give exactly one of `regex` or `contains`',
  })
  .superRefine((m, ctx) => {
    for (const field of ['regex', 'contains'] as const) {
      const unknown = unknownPlaceholder(m[field] ?? '');
      if (unknown) ctx.addIssue({ code: 'custom', path: [field], message: unknown });
    }
  })
  .describe(
    `How a line or event field is matched; \`{{nonce}}\` stands for the run nonce, ${NONCE_NUMBER_WORDS}.`,
  );

const Count = z
  .strictObject({
    min: z.number().int().min(0).optional().describe('At least this many.'),
    max: z.number().int().min(0).optional().describe('At most this many.'),
    exact: z.number().int().min(0).optional().describe('Exactly this many; excludes `min` and `max`.'),
    distinct: z
      .boolean()
      .default(false)
      .describe('Count distinct matching values instead of matching lines or events.'),
  })
  .refine((c) => c.exact === undefined || (c.min === undefined && c.max === undefined), {
    message: '`exact` excludes `min` and `max`',
  })
  .refine((c) => c.min === undefined || c.max === undefined || c.min <= c.max, {
    message: '`min` must not exceed `max`',
  })
  .describe('How many matching lines or events are expected (default: at least one).');

export const CompileCheck = z
  .strictObject({ ...checkBase, type: z.literal('compile').describe('Check kind.') })
  .describe('Passes when every BPF object (and user-space program) builds without errors.');

export const LoadCheck = z
  .strictObject({
    ...checkBase,
    type: z.literal('load').describe('Check kind.'),
    programs: z
      .array(
        z
          .strictObject({
            type: z.string().optional().describe('Program type as bpftool names it, e.g. `tracepoint`.'),
            section: z
              .string()
              .optional()
              .describe(
                'ELF section, e.g. `tp/syscalls/sys_enter_execve`; spellings libbpf treats alike match each other (`tp/` and `tracepoint/`, `raw_tp/` and `raw_tracepoint/`, `tc`, `classifier` and `tc/ingress`).',
              ),
          })
          .describe('One program that must be loaded and attached.'),
      )
      .default([])
      .describe('Programs that must be present after load; empty means "the verifier accepts all".'),
  })
  .describe('Passes when the verifier accepts every program and they attach.');

export const OutputCheck = z
  .strictObject({
    ...checkBase,
    type: z.literal('output').describe('Check kind.'),
    source: z
      .enum(['ringbuf', 'trace', 'iter'])
      .describe(
        '`ringbuf`: events the program submitted, as JSON; `trace`: its bpf_printk lines; `iter`: the lines its BPF iterators (`SEC("iter/…")`) printed when read at the end of the run.',
      ),
    field: z
      .string()
      .min(1)
      .optional()
      .describe('For ringbuf events, match this field of the decoded event instead of the whole JSON.'),
    match: TextMatch,
    count: Count.default({ min: 1, distinct: false }),
  })
  .refine((c) => c.field === undefined || c.source === 'ringbuf', {
    message: '`field` applies to ringbuf events only',
    path: ['field'],
  })
  .describe('Looks at what the program emitted while the workload ran.');

const MapEntry = z
  .strictObject({
    key: z
      .unknown()
      .describe(
        `Decoded key: a number, a string, or an object of field names. \`{{nonce}}\` stands for the run nonce, ${NONCE_NUMBER_WORDS}, which equals the number the map holds.`,
      ),
    value: z.unknown().describe('Expected decoded value; objects compare field by field.'),
  })
  .describe('One map entry that must be present.');

export const MapCheck = z
  .strictObject({
    ...checkBase,
    type: z.literal('map').describe('Check kind.'),
    map: z.string().min(1).describe('Map name as in the BPF source.'),
    entries: z.array(MapEntry).min(1).describe('Entries that must be present with these values.'),
    tolerance: z
      .number()
      .min(0)
      .default(0)
      .describe('Numbers may differ from the expected value by this much (absolute).'),
    exhaustive: z.boolean().default(false).describe('Fail if the map holds entries not listed.'),
    format: z
      // Field names are checked against the entries by formattedEntriesRule, which names them.
      .record(z.string(), z.enum(FIELD_FORMATS))
      .optional()
      .describe(
        "How fields are shown to the learner and may be written in `entries`, by field name (`key` or `value` for a key or value that is a plain number): `ipv4` (a u32 in host byte order, as after bpf_ntohl: written and shown 127.0.1.1), `ipv4-net` (a u32 kept in network byte order, as in the IP header), `port` (a u16 in host byte order, as after bpf_ntohs), `port-net` (kept in network byte order), `hex`, `decimal`. Byte-swapped ports and addresses are recognised by these widths. A formatted field may be written `{{nonce_number}}`, the run's number.",
      ),
  })
  .superRefine(formattedEntriesRule)
  .describe('Compares map contents, decoded through BTF, after the workload.');

/** Every field a map check formats exists in its entries, and is written in its format. */
function formattedEntriesRule(
  check: { entries: { key?: unknown; value?: unknown }[]; format?: FieldFormats | undefined },
  ctx: z.RefinementCtx,
): void {
  const formats = check.format ?? {};
  const named = new Set<string>();
  check.entries.forEach((entry, i) => {
    for (const part of ['key', 'value'] as const) {
      const v = entry[part];
      if (v !== null && typeof v === 'object' && !Array.isArray(v))
        for (const f of Object.keys(v)) named.add(f);
      else named.add(part);
      for (const e of readEntryPart(v, part, formats).errors) {
        ctx.addIssue({ code: 'custom', path: ['entries', i, part, ...e.path], message: e.message });
      }
      // Formatted fields report their placeholders above, in their format's words.
      for (const [path, text] of stringsIn(v, [])) {
        const field = path[0] ?? part;
        const unknown = formats[field] === undefined ? unknownPlaceholder(text) : undefined;
        if (unknown) ctx.addIssue({ code: 'custom', path: ['entries', i, part, ...path], message: unknown });
      }
    }
  });
  for (const field of Object.keys(formats)) {
    if (!named.has(field)) {
      ctx.addIssue({
        code: 'custom',
        path: ['format', field],
        message: `no entry has a field "${field}"; the entries have ${[...named].map((f) => `\`${f}\``).join(', ')} (\`key\` / \`value\` stand for a key or value that is a plain number)`,
      });
    }
  }
}

/** Every string inside a JSON-like value (object keys not included), with its path. */
function stringsIn(v: unknown, path: string[]): [string[], string][] {
  if (typeof v === 'string') return [[path, v]];
  if (Array.isArray(v)) return v.flatMap((x, i) => stringsIn(x, [...path, String(i)]));
  if (v !== null && typeof v === 'object')
    return Object.entries(v).flatMap(([k, x]) => stringsIn(x, [...path, k]));
  return [];
}

export const ScriptCheck = z
  .strictObject({
    ...checkBase,
    type: z.literal('script').describe('Check kind.'),
    run: relPath.describe(
      'Executable in the lab folder, run in the sandbox after the workload with the run directory as cwd (events.jsonl, maps.json, trace.log and iter.log there) and BPFLAB_NONCE and BPFLAB_NONCE_NUMBER in its env. Exit 0 passes; lines starting `FAIL:` are shown to the learner.',
    ),
    timeoutMs: z
      .number()
      .int()
      .positive()
      .max(60_000)
      .default(10_000)
      .describe('Kill the script after this.'),
  })
  .describe('A lab-specific judge for what the other checks cannot express.');

/** A lower and/or upper bound on one number the kernel reports. */
const Bounds = (what: string) =>
  z
    .strictObject({
      min: z.number().int().min(0).optional().describe(`At least this many ${what}.`),
      max: z.number().int().min(0).optional().describe(`At most this many ${what}.`),
    })
    .refine((b) => b.min !== undefined || b.max !== undefined, { message: 'give `min`, `max` or both' })
    .refine((b) => b.min === undefined || b.max === undefined || b.min <= b.max, {
      message: '`min` must not exceed `max`',
    });

/** The fields of a program check that each judge something; at least one must be given. */
const PROGRAM_FACTS = [
  'progType',
  'attach',
  'instructions',
  'processedInstructions',
  'runCount',
  'averageRunNs',
] as const;

export const ProgramCheck = z
  .strictObject({
    ...checkBase,
    type: z.literal('program').describe('Check kind.'),
    program: z
      .string()
      .regex(C_IDENTIFIER, "must be a C identifier: the program's function name")
      .describe('The program, by its function name in the BPF source.'),
    progType: z
      .string()
      .min(1)
      .optional()
      .describe(
        "Program type as the kernel reports it (bpftool's names), e.g. `tracepoint`, `xdp`, `sched_cls`.",
      ),
    attach: z
      .string()
      .min(1)
      .optional()
      .describe(
        'Where it is attached: the target the runner reports (`syscalls/sys_enter_execve`, `lo/ingress`) or its section, spellings libbpf treats alike matching each other (`tp/…` and `tracepoint/…`).',
      ),
    instructions: Bounds('instructions')
      .optional()
      .describe(
        'Its size as the kernel runs it: instructions after the verifier rewrote it (`xlated_prog_len / 8`).',
      ),
    processedInstructions: Bounds('instructions')
      .optional()
      .describe(
        'Instructions the verifier processed to accept it ("processed N insns": every path walked, so loops and branches count many times); `verified_insns` on Linux 5.16 and later, else read from the verifier log.',
      ),
    runCount: Bounds('runs')
      .optional()
      .describe(
        'How many times it ran during the workload. Run statistics (`kernel.bpf_stats_enabled`) are turned on for the run only; on the local driver that sysctl is host-wide, so every BPF program on the host is timed while such a run lasts.',
      ),
    averageRunNs: Bounds('nanoseconds')
      .optional()
      .describe(
        'Its average run time in nanoseconds (run time / run count) during the workload, with statistics on as for `runCount`.',
      ),
  })
  .refine((c) => PROGRAM_FACTS.some((f) => c[f] !== undefined), {
    message: `give at least one of ${PROGRAM_FACTS.map((f) => `\`${f}\``).join(', ')}`,
  })
  .describe(
    'Judges one program as the kernel sees it after the run: its type, attach point, size, verifier cost, run count and run time.',
  );

export const Check = z.discriminatedUnion('type', [
  CompileCheck,
  LoadCheck,
  OutputCheck,
  MapCheck,
  ScriptCheck,
  ProgramCheck,
]);
export type Check = z.infer<typeof Check>;
export type CheckOf<T extends Check['type']> = Extract<Check, { type: T }>;

export const LabFile = z
  .strictObject({
    path: relPath.describe(
      'Name as the learner sees it; starter/<path> must exist, and solution/<path> too unless the file is read-only.',
    ),
    readonly: z.boolean().default(false).describe('Shown but not editable (a shared header, say).'),
  })
  .describe('A file shown in the editor.');

export const Attach = z
  .strictObject({
    object: relPath.describe('The BPF object the runner loads: `x.bpf.o` for a `x.bpf.c` in build.bpf.'),
    uprobeBinary: z
      .string()
      .min(1)
      .optional()
      .describe('Binary or library for `uprobe/<function>` sections, relative to the run directory.'),
    uprobeFunction: z
      .string()
      .min(1)
      .optional()
      .describe(
        'Function (`name` or `name+offset`) in `uprobeBinary` that bare `SEC("uprobe")` and `SEC("uretprobe")` programs attach to, as a libbpf loader would name it.',
      ),
    usdt: z
      .string()
      .regex(/^[^:\s]+:[^:\s]+$/, 'must be `provider:name`')
      .optional()
      .describe(
        'USDT probe (`provider:name`) in `uprobeBinary` that bare `SEC("usdt")` programs attach to, as a libbpf loader names it in bpf_program__attach_usdt().',
      ),
    interface: z.string().min(1).default('lo').describe('Network interface for tc and XDP programs.'),
    perfEvent: z
      .array(z.enum(['cycles', 'instructions', 'cpu-clock', 'task-clock']))
      .min(1)
      .optional()
      .describe('Events for perf_event programs, first available wins (hardware before software).'),
    perfFrequency: z.number().int().positive().default(99).describe('Samples per second per CPU.'),
    rodata: z
      .record(z.string(), z.union([z.number().int(), z.boolean(), z.string()]))
      // A key rule of z.record() would be reported as "Invalid key in record"; this names the key.
      .superRefine((globals, ctx) => {
        for (const name of Object.keys(globals)) {
          if (!C_IDENTIFIER.test(name)) {
            ctx.addIssue({
              code: 'custom',
              path: [name],
              message: 'must be the name of a `const volatile` global',
            });
          }
          const value = globals[name];
          const unknown = typeof value === 'string' ? unknownPlaceholder(value) : undefined;
          if (unknown) ctx.addIssue({ code: 'custom', path: [name], message: unknown });
        }
      })
      .optional()
      .describe(
        '`const volatile` globals (the object\'s .rodata) set before load, as a libbpf skeleton sets `skel->rodata->x`: integers and enums as numbers (or strings such as "0x10" for values beyond 2^53), bools, char arrays as strings, where `{{nonce}}` stands for the run nonce and `{{nonce_number}}` for the run\'s number (an integer global may be written `"{{nonce_number}}"`). The workload starts after the load, so its pid cannot be set here: filter on a name carrying the nonce instead.',
      ),
    eventType: z
      .string()
      .regex(C_IDENTIFIER, "must be a C identifier: the struct's name, without `struct`")
      .optional()
      .describe(
        'Struct (or typedef) name of ring-buffer records, so events are decoded into fields. The build keeps the struct in the BTF even when the code uses it only through `bpf_ringbuf_reserve()`; records that cannot be decoded are shown as hex, with a warning in the log.',
      ),
  })
  .describe('How the runner loads and attaches the program.');

export const Workload = z
  .strictObject({
    run: z
      .array(z.string().min(1))
      .min(1)
      .describe(
        "Command (argv) run in the run directory once programs are attached; BPFLAB_NONCE (the run nonce, `{{nonce}}` in checks) and BPFLAB_NONCE_NUMBER (the run's number, `{{nonce_number}}`) are in its env.",
      ),
    timeoutMs: z
      .number()
      .int()
      .positive()
      .max(120_000)
      .default(10_000)
      .describe('Kill the workload after this; the grade then says so.'),
  })
  .describe('What makes the kernel events happen.');

export const Build = z
  .strictObject({
    bpf: z
      .array(relPath.refine((p) => p.endsWith('.bpf.c'), { message: 'must end in `.bpf.c`' }))
      .min(1)
      .describe('BPF C sources; each `x.bpf.c` builds `x.bpf.o`.'),
    userspace: z
      .array(
        z
          .strictObject({
            source: relPath
              .refine((p) => p.endsWith('.c'), { message: 'must end in `.c`' })
              .describe('C source of the program.'),
            output: relPath.describe(
              'What to build from `x.c`: the executable `x`, or the shared library `libx.so` (a uprobe target).',
            ),
            skeletonOf: relPath
              .optional()
              .describe('BPF object whose skeleton header (`x.skel.h` for `x.bpf.o`) it includes.'),
          })
          .refine((u) => [u.source.slice(0, -2), `lib${u.source.slice(0, -2)}.so`].includes(u.output), {
            message: 'bpf/lab.mk builds `x` or `libx.so` from `x.c`',
            path: ['output'],
          })
          .describe('One user-space program.'),
      )
      .default([])
      .describe('User-space programs built against libbpf, e.g. a skeleton loader.'),
  })
  .describe('What to compile, with the one set of flags from bpf/.');
export type Build = z.infer<typeof Build>;

/** The object bpf/lab.mk builds from a BPF source: `x.bpf.c` → `x.bpf.o`. */
export function bpfObjectOf(source: string): string {
  return source.replace(/\.c$/, '.o');
}

/** What a lab builds, as `make` targets of bpf/lab.mk: each BPF object, then each user-space program. */
export function buildTargets(build: Build): string[] {
  return [...build.bpf.map(bpfObjectOf), ...build.userspace.map((u) => u.output)];
}

const ManifestFields = z.strictObject({
  id: id.describe('Must equal the folder name.'),
  title: z.string().min(1).describe('Shown above the lab.'),
  summary: z.string().min(1).describe('One sentence shown above the editor.'),
  lesson: z.string().min(1).describe('Slug of the lesson that embeds the lab.'),
  requires: LabRequires,
  files: z.array(LabFile).min(1).describe('Files the learner edits, shown as editor tabs.'),
  support: z
    .array(relPath)
    .default([])
    .describe('Other lab-folder files copied into the run directory (workloads, libraries).'),
  build: Build,
  attach: Attach.optional().describe('Omit for labs graded without loading (compile-only).'),
  workload: Workload.optional(),
  checks: z.array(Check).min(1).describe('What is graded, in the order shown.'),
  hints: z.array(z.string().min(1)).default([]).describe('Revealed one at a time on request.'),
  showSolution: z
    .enum(['after-attempt', 'always', 'never'])
    .default('after-attempt')
    .describe('When the Show solution button is enabled.'),
});

export const LabManifest = ManifestFields.superRefine(crossFieldRules).describe(
  'A bpflab lab: files the learner edits, how they are built, attached, driven and graded.',
);
export type LabManifest = z.infer<typeof LabManifest>;

/** Whether a run of the lab needs the kernel's run statistics (`kernel.bpf_stats_enabled`). */
export function needsRunStats(lab: LabManifest): boolean {
  return lab.checks.some(
    (c) => c.type === 'program' && (c.runCount !== undefined || c.averageRunNs !== undefined),
  );
}

/**
 * The lab's own time for a Check or Run: its workload's and check scripts' limits. The grade's
 * deadline adds the platform's overhead to it (server/protocol/grade-deadline.ts).
 */
export function labTimeMs(lab: LabManifest): number {
  return (
    (lab.workload?.timeoutMs ?? 0) +
    lab.checks.reduce((t, c) => t + (c.type === 'script' ? c.timeoutMs : 0), 0)
  );
}

function crossFieldRules(lab: z.infer<typeof ManifestFields>, ctx: z.RefinementCtx): void {
  const issue = (path: (string | number)[], message: string) =>
    ctx.addIssue({ code: 'custom', path, message });

  const seenFiles = new Set<string>();
  lab.files.forEach((f, i) => {
    if (seenFiles.has(f.path)) issue(['files', i, 'path'], `duplicate file "${f.path}"`);
    seenFiles.add(f.path);
  });
  const provided = new Set([...seenFiles, ...lab.support]);
  lab.build.bpf.forEach((src, i) => {
    if (!provided.has(src)) issue(['build', 'bpf', i], `"${src}" is neither in \`files\` nor in \`support\``);
  });
  const objects = lab.build.bpf.map(bpfObjectOf);
  for (const field of ['uprobeFunction', 'usdt'] as const) {
    if (lab.attach?.[field] !== undefined && lab.attach.uprobeBinary === undefined) {
      issue(['attach', field], 'needs `uprobeBinary`, the binary or library the probe is in');
    }
  }
  if (lab.attach && !objects.includes(lab.attach.object)) {
    issue(['attach', 'object'], `must be one of the built objects: ${objects.join(', ')}`);
  }
  lab.build.userspace.forEach((u, i) => {
    if (!provided.has(u.source))
      issue(['build', 'userspace', i, 'source'], `"${u.source}" is neither in \`files\` nor in \`support\``);
    if (u.skeletonOf !== undefined && !objects.includes(u.skeletonOf)) {
      issue(
        ['build', 'userspace', i, 'skeletonOf'],
        `must be one of the built objects: ${objects.join(', ')}`,
      );
    }
  });

  const index = new Map<string, number>();
  lab.checks.forEach((c, i) => {
    if (index.has(c.id)) issue(['checks', i, 'id'], `duplicate check id "${c.id}"`);
    else index.set(c.id, i);
    if (
      !lab.attach &&
      (c.type === 'load' || c.type === 'output' || c.type === 'map' || c.type === 'program')
    ) {
      issue(['checks', i, 'type'], `a \`${c.type}\` check needs \`attach\``);
    }
  });
  lab.checks.forEach((c, i) => {
    c.needs.forEach((need, j) => {
      if (!index.has(need)) issue(['checks', i, 'needs', j], `no check has id "${need}"`);
    });
  });
  const cycle = findCycle(lab.checks);
  if (cycle) {
    issue(['checks', index.get(cycle[0]!)!, 'needs'], `\`needs\` form a cycle: ${cycle.join(' → ')}`);
  }
}

/** The first dependency cycle among checks, as ids from its start back to itself, or null. */
export function findCycle(checks: readonly { id: string; needs: readonly string[] }[]): string[] | null {
  const needs = new Map(checks.map((c) => [c.id, c.needs]));
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (id: string): string[] | null => {
    if (state.get(id) === 'done' || !needs.has(id)) return null;
    if (state.get(id) === 'visiting') return [...stack.slice(stack.indexOf(id)), id];
    state.set(id, 'visiting');
    stack.push(id);
    for (const next of needs.get(id) ?? []) {
      const found = visit(next);
      if (found) return found;
    }
    stack.pop();
    state.set(id, 'done');
    return null;
  };
  for (const c of checks) {
    const found = visit(c.id);
    if (found) return found;
  }
  return null;
}
