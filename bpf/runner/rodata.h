/* SPDX-License-Identifier: Apache-2.0 */
/*
 * `const volatile` globals (the object's .rodata) set between open and load, as a libbpf
 * skeleton's `skel->rodata->x = …` does: `--rodata NAME=VALUE`. The verifier then sees them as
 * constants, so a filter on them costs nothing where it does not apply.
 */
#ifndef BPFLAB_RODATA_H
#define BPFLAB_RODATA_H

#include <bpf/libbpf.h>
#include <stddef.h>

/*
 * Sets one variable of obj's .rodata from "NAME=VALUE": integers, enums and bools (true/false or a
 * number; decimal, 0x hex, negative for signed types) must fit the variable; char arrays take a
 * string shorter than the array. Returns 0, or -1 with the reason in msg.
 */
int rodata_set(struct bpf_object *obj, const char *assignment, char *msg, size_t size);

#endif
