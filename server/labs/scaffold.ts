/**
 * `npx bpflab new lab <id> [--lesson <slug>]` and `npx bpflab new lesson <slug>`: the files of a new
 * lab or lesson, commented for the author who fills them in, and valid as they stand: the lab's
 * solution scores full marks and its starter does not (`npx bpflab validate <id>`), and the lesson
 * compiles (`npm run content:check`). A lab and its lesson name each other both ways (the lab's
 * `lesson:`, the lesson's `labs:` and its `<Lab id>`), so whichever an author writes first, the
 * other is there. Everything here is pure: scripts/bpflab.ts reads and writes the files.
 */
import { parseLessonFileName } from '../protocol/lesson-files.js';
import { SCHEMA_COMMENT } from './loader.js';

/** A file to create, by path relative to the repository root. */
export interface NewFile {
  path: string;
  content: string;
  executable?: boolean;
}

/** The next free lesson file name: `NN-<slug>.mdx`, NN one past the highest in `content/`. */
export function nextLessonFileName(existing: readonly string[], slug: string): string {
  const orders = existing.flatMap((name) => parseLessonFileName(name)?.order ?? []);
  const order = Math.max(0, ...orders) + 1;
  if (order > 99) throw new Error('content/ already has lesson 99: lessons are numbered 01 to 99');
  return `${String(order).padStart(2, '0')}-${slug}.mdx`;
}

/** A lesson page: frontmatter with every field, a first section and, for each lab, its `<Lab>`. */
export function newLesson(fileName: string, labs: readonly string[]): NewFile {
  const parsed = parseLessonFileName(fileName);
  if (!parsed) throw new Error(`${fileName} is not a lesson file name (NN-slug.mdx)`);
  const title = titleOf(parsed.slug);
  const content = `---
title: "${title}"
summary: One or two sentences for the lesson list. Say what the learner will be able to do.
order: ${parsed.order}
labs: [${labs.join(', ')}]
requires: [btf]
minutes: 30
---

{/* Written with \`npx bpflab new lesson\`. Preview it with \`make dev\` at /lessons/${parsed.slug}: every
    save reloads the page, and a mistake shows here with its line. \`npm run content:check\` checks
    every lesson; labs/README.md describes the components (<Lab>, <Callout>, <KernelNote>, <Run>). */}

Start with the idea of the lesson in a paragraph: what problem it solves, and what the learner
will have built at the end.

## The idea

Explain one thing at a time. Show real output from a real kernel:

\`\`\`console
$ uname -r
\`\`\`
${labs.map(labSection).join('')}`;
  return { path: `content/${fileName}`, content };
}

/** The lesson with `id` embedded: added to its frontmatter `labs:` and as a `<Lab>` section at its end. */
export function linkLabIntoLesson(mdx: string, id: string): string {
  const frontmatter = /^---\n([\s\S]*?)\n---\n/.exec(mdx);
  if (!frontmatter) throw new Error('the lesson has no frontmatter');
  const lines = frontmatter[1]!.split('\n');
  const at = lines.findIndex((l) => /^labs:/.test(l));
  if (at < 0) lines.push(`labs: [${id}]`);
  else {
    const list = /^labs:\s*\[(.*)\]\s*$/.exec(lines[at]!);
    if (!list)
      throw new Error("write the lesson's `labs:` on one line, as `labs: [a, b]`, to add a lab to it");
    const ids = list[1]!
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    if (!ids.includes(id)) ids.push(id);
    lines[at] = `labs: [${ids.join(', ')}]`;
  }
  const body = mdx.slice(frontmatter[0].length);
  const embedded = body.includes(`<Lab id="${id}"`) ? body : `${body.trimEnd()}\n${labSection(id)}`;
  return `---\n${lines.join('\n')}\n---\n${embedded}`;
}

function labSection(id: string): string {
  return `
## Lab: ${titleOf(id)}

Say what the learner finishes, what Check runs and what it expects, in two or three sentences.

<Lab id="${id}" />
`;
}

/** A lab that traces execs of the workload's own programs: tracepoint, ring buffer, an output check. */
export function newLab(id: string, lesson: string): NewFile[] {
  const source = `${id.replace(/-/g, '_')}.bpf.c`;
  const object = source.replace(/\.c$/, '.o');
  // comm holds 15 characters: "<prefix>-<8-character nonce>-<n>" must fit.
  const prefix = id.replace(/[^a-z0-9]/g, '').slice(0, 4) || 'lab';
  const dir = `labs/${id}`;
  const manifest = `${SCHEMA_COMMENT}
# Written with \`npx bpflab new lab\`: a complete lab to change into yours. Every field is described
# in labs/README.md (and in the schema above, which editors with yaml-language-server show).
# \`npx bpflab validate ${id}\` grades the solution (full marks required) and the starter (full
# marks forbidden) on this machine's kernel.
id: ${id}
title: ${titleOf(id)}
summary: One sentence above the editor, saying what the learner finishes.
lesson: ${lesson}
requires: [btf, tracepoint, ringbuf] # kernel features; a sandbox without one says so instead of Check
files: # the editor's tabs: starter/<path> is what the learner starts from, solution/<path> the answer
  - path: ${source}
support: [workload.sh] # copied into the run directory next to the learner's files
build:
  bpf: [${source}] # builds ${object} with clang, the shared flags and vmlinux.h
attach:
  object: ${object} # the grader loads and attaches every program in it
  eventType: event # the ring buffer record's struct, decoded by field name
workload:
  run: [./workload.sh] # runs once the programs are attached, with BPFLAB_NONCE in its environment
  timeoutMs: 5000
checks:
  - id: compile
    type: compile
    title: ${source} compiles
    feedback: Start with the first error clang reports; the editor marks its line.
  - id: load
    type: load
    title: The verifier accepts it and it attaches to a tracepoint
    needs: [compile]
    programs:
      - type: tracepoint
    feedback: >-
      Every path after bpf_ringbuf_reserve() must test the pointer for NULL and end in
      bpf_ringbuf_submit() or bpf_ringbuf_discard().
  - id: every-exec
    type: output # counts ring buffer records (or trace lines) that match
    title: Each program the workload starts is reported once, by name
    needs: [load]
    points: 3
    source: ringbuf
    field: comm
    match:
      regex: "^${prefix}-{{nonce}}-[1-3]$" # {{nonce}}: only this run's programs, however busy the kernel
    count:
      exact: 3
    feedback: >-
      The workload starts ${prefix}-<nonce>-1 to -3 once each. Fill e->comm with
      bpf_get_current_comm() before submitting the record.
hints: # revealed one at a time
  - bpf_get_current_comm(&e->comm, sizeof(e->comm)) writes the name of the task that runs the program.
showSolution: after-attempt
`;
  const program = (body: string) => `// SPDX-License-Identifier: GPL-2.0
// ${source}: one ring buffer record per program started, with its name.
// Written with \`npx bpflab new lab\`; bpflab.h brings vmlinux.h and libbpf's BPF headers.
#include "bpflab.h"

char LICENSE[] SEC("license") = "GPL";

/* One record per exec. The grader decodes it through BTF (attach.eventType: event). */
struct event {
	u32 pid;
	char comm[TASK_COMM_LEN];
};

/* A struct used only inside a function has no BTF; this keeps it in the object. */
BPFLAB_EVENT_TYPE(event);

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 64 * 1024);
} events SEC(".maps");

/* After a successful exec the task already carries its new program's name. */
SEC("tp/sched/sched_process_exec")
int report_exec(void *ctx)
{
	struct event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);

	if (!e)
		return 0; /* the buffer is full: this event is lost */
	e->pid = bpf_get_current_pid_tgid() >> 32;
${body}	bpf_ringbuf_submit(e, 0);
	return 0;
}
`;
  const workload = `#!/bin/sh
# The workload of lab ${id}: starts three programs whose names exist only in this run,
# ${prefix}-<nonce>-1 to -3 (links to true), each once and by path, so the lab's check counts
# exactly these however many other programs run on the machine.
set -eu
: "\${BPFLAB_NONCE:?the grader sets BPFLAB_NONCE}"

mkdir -p bin
for i in 1 2 3; do
	ln -sf /bin/true "bin/${prefix}-$BPFLAB_NONCE-$i"
	"./bin/${prefix}-$BPFLAB_NONCE-$i"
done
`;
  return [
    { path: `${dir}/lab.yaml`, content: manifest },
    {
      path: `${dir}/starter/${source}`,
      content: program('\t/* TODO: the record needs the name of the program: bpf_get_current_comm(). */\n'),
    },
    {
      path: `${dir}/solution/${source}`,
      content: program('\tbpf_get_current_comm(&e->comm, sizeof(e->comm));\n'),
    },
    { path: `${dir}/workload.sh`, content: workload, executable: true },
  ];
}

/** `udp-flow-counter` → "Udp flow counter": a placeholder title the author replaces. */
function titleOf(slug: string): string {
  const words = slug.split('-').join(' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}
