#!/bin/sh
# Lab perf-counters: the counters' increases inside crunch(), against what ./work measured of
# itself (work.truth). Which counters ran depends on the machine: the CPU's own (hardware mode)
# or the kernel's software counters where there is no PMU; the check says which it judged.
awk '
	FNR == NR { truth[$1] = $2; next }
	{ got[$1] = $2 }
	END {
		mode = got["mode"]; bad = 0
		if (mode == "software") {
			cpu = truth["cpu-ns"]; t = got["task-clock-ns"]
			if (t < cpu * 0.75 - 3e6 || t > cpu * 1.25 + 3e6) {
				printf "FAIL: task-clock-ns is %d; crunch() ran %d ns of CPU by its own clock (within 25%%)\n", t, cpu
				bad = 1
			}
			p = truth["pages"]; f = got["page-faults"]
			if (f < p || f > p * 1.25 + 16) {
				printf "FAIL: page-faults is %d; crunch() touched %d fresh pages\n", f, p
				bad = 1
			}
			s = truth["sleeps"]; c = got["context-switches"]
			if (c < s || c > s + 50) {
				printf "FAIL: context-switches is %d; crunch() slept %d times (each one a switch)\n", c, s
				bad = 1
			}
			if (!bad) printf "Software counters (no PMU here): %d ns of CPU, %d page faults, %d context switches inside crunch().\n", t, f, c
		} else if (mode == "hardware") {
			n = truth["loop-iterations"]; i = got["instructions"]; cy = got["cycles"]
			if (i < n * 2 || i > n * 50 + 1e7) {
				printf "FAIL: instructions is %d; crunch() ran a loop of %d iterations of a few instructions each\n", i, n
				bad = 1
			}
			if (cy <= 0 || i / cy < 0.05 || i / cy > 10) {
				printf "FAIL: cycles is %d, for an IPC of %s: not a plausible count of crunch()\x27s cycles\n", cy, cy > 0 ? sprintf("%.2f", i / cy) : "n/a"
				bad = 1
			}
			if (!bad) printf "Hardware counters: %d instructions in %d cycles (IPC %.2f), %d cache misses inside crunch().\n", i, cy, i / cy, got["cache-misses"]
		} else {
			print "FAIL: ./counters printed no mode line"
			bad = 1
		}
		exit bad
	}
' work.truth counters.out
