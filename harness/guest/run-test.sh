# SPDX-License-Identifier: GPL-2.0
# Run every guest test group for this boot's mode (lkmdemo_harness.mode=m|y on the
# kernel command line) as one TAP stream between markers the host looks for.

. /harness/lib.sh
MODE=m
for arg in $(cat /proc/cmdline); do
	case "$arg" in lkmdemo_harness.mode=*) MODE=${arg#*=} ;; esac
done
export MODE

echo "LKMDEMO-TAP-BEGIN mode=$MODE kernel=$(uname -r) arch=$(uname -m)"
for t in /harness/tests/*.sh; do
	TEST_GROUP=$(basename "$t" .sh)
	TEST_GROUP=${TEST_GROUP#[0-9][0-9]-}
	export TEST_GROUP
	diag "group $TEST_GROUP"
	( . "$t" ) 2>&1
done
echo "LKMDEMO-TAP-END"
