# SPDX-License-Identifier: GPL-2.0
# Run every guest test group for this boot's mode (lkmdemo_harness.mode=m|y on the
# kernel command line) as one TAP stream between markers the host looks for.

. /harness/lib.sh
MODE=$(harness_arg mode m)
export MODE
# lkmdemo_harness.groups=a,b,...: only these groups (the developer loop, harness/run dev).
GROUPS=$(harness_arg groups)

echo "LKMDEMO-TAP-BEGIN mode=$MODE kernel=$(uname -r) arch=$(uname -m)"
run_groups "$GROUPS"
echo "LKMDEMO-TAP-END"
