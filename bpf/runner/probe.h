/* SPDX-License-Identifier: Apache-2.0 */
#ifndef BPFLAB_PROBE_H
#define BPFLAB_PROBE_H

/*
 * `bpflab-runner probe`: tries each kernel feature for real (load, attach, and where cheap,
 * trigger and count) and prints one JSON object:
 *   {"kernelRelease":…,"kernelBuild":…,"arch":…,"available":{feature:bool,…},"reasons":{feature:…}}
 * Always exits 0 unless stdout cannot be written.
 */
int probe_main(void);

/* Called by the uprobe probe; must stay a real, exported function of the runner. */
int bpflab_probe_uprobe_target(int x);

#endif
