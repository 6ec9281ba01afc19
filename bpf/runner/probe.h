/* SPDX-License-Identifier: Apache-2.0 */
#ifndef BPFLAB_PROBE_H
#define BPFLAB_PROBE_H

#include <bpf/libbpf.h>
#include <stdbool.h>
#include <stddef.h>

/*
 * `bpflab-runner probe`: tries each kernel feature for real (load, attach, and where cheap,
 * trigger and count) and prints one JSON object:
 *   {"kernelRelease":…,"kernelBuild":…,"arch":…,"available":{feature:bool,…},"reasons":{feature:…}}
 * Always exits 0 unless stdout cannot be written.
 */
int probe_main(void);

/*
 * When the kernel lacks the feature a program's section needs (kprobe/ needs kprobes, fentry/
 * trampolines, …), tried for real: writes "this kernel cannot run <feature> programs: <probe's
 * reason>" to `why` and returns true. Used to explain a failed load or attach.
 */
bool probe_program_unsupported(const struct bpf_program *prog, char *why, size_t size);

/* Called by the uprobe probe; must stay a real, exported function of the runner. */
int bpflab_probe_uprobe_target(int x);

#endif
