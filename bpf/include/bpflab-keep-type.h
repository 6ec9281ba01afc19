/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Forced into a BPF build by lab.mk when EVENT_TYPE=NAME is given (-DBPFLAB_KEEP_TYPE=NAME): a
 * global pointer to `struct NAME` makes clang emit the struct in the object's BTF, where
 * `bpflab-runner --event-type NAME` finds it. The forward declaration comes before the learner's
 * code; the struct's definition, wherever it is in the file or its headers, completes it. The
 * variable lives in a section of its own, which libbpf skips, so it adds no map to the object.
 */
#ifdef BPFLAB_KEEP_TYPE
struct BPFLAB_KEEP_TYPE;
struct BPFLAB_KEEP_TYPE *__bpflab_keep_type __attribute__((unused, section(".bpflab.keep")));
#endif
