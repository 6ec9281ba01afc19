#!/bin/sh
# The tracefs line of check-env.sh; see item.sh.
. "$(dirname "$0")/item.sh"
check_item tracefs
