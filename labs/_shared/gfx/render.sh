#!/bin/sh
# The workload of the graphics labs: build the renderer against libgfx.so (already built, and
# probed, by the time this runs) and render its 12 frames.
set -eu
cd "$(dirname "$0")"
CC=${CC:-$(command -v cc || command -v clang)}
"$CC" -O2 -g -o renderer renderer.c -L. -lgfx -Wl,-rpath,'$ORIGIN'
exec ./renderer
