# SPDX-License-Identifier: GPL-2.0
# Grade the staged exercise variants (lkmdemo_harness.run=exercises): for each directory
# named in /harness/bin/exercises/order, source its grade.sh with KO and CLIENT pointing
# at that variant's lkmdemo.ko and lkmdemo_client.ko. Each variant's checks are a TAP
# stream between "LKMDEMO-EXERCISE-BEGIN <id>" and "LKMDEMO-EXERCISE-END <id>"; every
# failed check is followed by "# hint: ...". The host (harness/lib/exercises.sh) scores.

. /harness/lib.sh
EXROOT=/harness/bin/exercises
UNSAFE=/tmp/exercise-unsafe

# gcheck <description> <hint> <command...>: ok when the command succeeds.
gcheck()
{
	local d=$1 h=$2
	shift 2
	if [ -n "$EX_MISSING" ]; then
		gfail "$d" "$EX_MISSING"
	elif "$@" >/tmp/gcheck.out 2>&1; then
		echo "ok $(tap_next) - $d"
	else
		gfail "$d" "$h"
		head -n 5 /tmp/gcheck.out | sed 's/^/#   /'
	fi
}

# gcheck_fails <description> <hint> <command...>: ok when the command fails.
gcheck_fails()
{
	local d=$1 h=$2
	shift 2
	if [ -n "$EX_MISSING" ]; then
		gfail "$d" "$EX_MISSING"
	elif "$@" >/tmp/gcheck.out 2>&1; then
		gfail "$d" "$h"
	else
		echo "ok $(tap_next) - $d"
	fi
}

# geq <description> <hint> <expected> <seen>
geq()
{
	if [ -n "$EX_MISSING" ]; then
		gfail "$1" "$EX_MISSING"
	elif [ "$3" = "$4" ]; then
		echo "ok $(tap_next) - $1"
	else
		gfail "$1" "$2"
		echo "#   expected: '$3'"
		echo "#   seen:     '$4'"
	fi
}

gfail() { echo "not ok $(tap_next) - $1"; echo "# hint: $2"; }

# Helpers for the graders.
loaded() { grep -q "^$1 " /proc/modules; }
unload_all() { rmmod lkmdemo_client 2>/dev/null; rmmod lkmdemo 2>/dev/null; }
# The grader found the kernel in a state where loading lkmdemo again could crash it.
mark_unsafe() { echo "$1" > $UNSAFE; }

echo "LKMDEMO-EXERCISES-BEGIN $(uname -r) $(uname -m) cpus=$(nproc)"
for id in $(cat $EXROOT/order); do
	dir=$EXROOT/$id
	echo "LKMDEMO-EXERCISE-BEGIN $id"
	echo 0 > $TAP_N
	if [ -f $UNSAFE ]; then
		gfail "graded in the guest" "not graded: an earlier variant left the kernel unsafe ($(cat $UNSAFE))"
		echo "LKMDEMO-EXERCISE-END $id"
		continue
	fi
	KO=$dir/lkmdemo.ko
	CLIENT=$dir/lkmdemo_client.ko
	EX_MISSING=
	[ -f "$KO" ] || EX_MISSING="not graded: lkmdemo.ko did not build"
	export KO CLIENT EX_MISSING
	unload_all
	dmesg_mark
	( cd "$dir" && . ./grade.sh ) 2>&1
	# Leave nothing running or loaded for the next variant.
	unload_all
	echo "LKMDEMO-EXERCISE-END $id"
done
echo "LKMDEMO-EXERCISES-END"
