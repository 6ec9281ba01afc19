/* SPDX-License-Identifier: Apache-2.0 */
/* What counters.bpf.c and the loader counters.c share: three counters, read at crunch()'s entry
 * and return, and their totals over every call. */
#ifndef COUNTERS_H
#define COUNTERS_H

#define NCOUNTERS 3 /* slots 0..2 of the `counters` map: cycles, instructions, cache misses */

struct totals {
	__u64 calls;              /* crunch() calls that returned */
	__u64 value[NCOUNTERS];   /* each counter's increase inside crunch(), summed over the calls */
};

#endif
