#!/bin/sh
# The bpffs line of check-env.sh; see item.sh.
. "$(dirname "$0")/item.sh"
check_item bpffs
