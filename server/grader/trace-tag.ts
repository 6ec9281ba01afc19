/**
 * Tags a graded build's bpf_printk output with the run nonce, so the one trace_pipe reader can
 * route each line to the run whose program printed it (see trace.ts). The grader puts a wrapper
 * `bpf/bpf_helpers.h` in the run directory and names its folder in CPATH, which clang searches
 * after the toolchain's -I directories and before the system ones, so the learner's
 * `#include <bpf/bpf_helpers.h>` reaches the wrapper, which includes libbpf's and redefines
 * bpf_printk with the tag prepended. CPATH leaves the precompiled vmlinux.h valid.
 */

/** Folder in the run directory that holds the wrapper; given to clang through CPATH. */
export const TRACE_TAG_DIR = '.bpflab-trace-tag';

export function traceTag(nonce: string): string {
  return `[bl:${nonce}] `;
}

/** Matches a tag at the start of a printed message; group 1 is the nonce. */
export const TRACE_TAG_PATTERN = /^\[bl:([a-z0-9]+)\] /;

export function traceTagHeader(nonce: string): string {
  return `/* Written by the bpflab grader for run ${nonce}; see server/grader/trace-tag.ts. */
#include_next <bpf/bpf_helpers.h>
#undef bpf_printk
#define bpf_printk(fmt, args...) ___bpf_pick_printk(args)("${traceTag(nonce)}" fmt, ##args)
`;
}
