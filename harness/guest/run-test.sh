# SPDX-License-Identifier: GPL-2.0
# Run every guest test group for this boot's mode (lkmdemo_harness.mode=m|y on the
# kernel command line) as one TAP stream between markers the host looks for.

. /harness/lib.sh
MODE=m
# lkmdemo_harness.groups=a,b,...: only these groups (the developer loop, harness/run dev).
GROUPS=
for arg in $(cat /proc/cmdline); do
	case "$arg" in
	lkmdemo_harness.mode=*) MODE=${arg#*=} ;;
	lkmdemo_harness.groups=*) GROUPS=${arg#*=} ;;
	esac
done
export MODE

echo "LKMDEMO-TAP-BEGIN mode=$MODE kernel=$(uname -r) arch=$(uname -m)"
run_groups "$GROUPS"
echo "LKMDEMO-TAP-END"
