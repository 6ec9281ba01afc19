#!/bin/sh
# The workload of lab perf-sampling: build the spinner and let it burn a second of CPU.
set -eu
cd "$(dirname "$0")"
CC=${CC:-$(command -v cc || command -v clang)}
"$CC" -O2 -o spinner spinner.c
exec ./spinner
