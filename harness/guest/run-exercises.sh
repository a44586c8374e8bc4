# SPDX-License-Identifier: GPL-2.0
# Grade the staged exercise variants (lkmdemo_harness.run=exercises): for each directory
# named in /harness/bin/exercises/order, source its grade.sh with KO and CLIENT pointing
# at that variant's lkmdemo.ko and lkmdemo_client.ko. Each variant's checks are a TAP
# stream between "LKMDEMO-EXERCISE-BEGIN <id>" and "LKMDEMO-EXERCISE-END <id>"; every
# failed check is followed by "# hint: ...". The host (harness/lib/exercises.sh) scores.
# After each variant the kernel log is checked: a WARNING, BUG, Oops or lockdep report
# is one more failed check, and, like a grader that marks the kernel unsafe, ends this
# boot: the host grades the variants not reached yet in a fresh boot (as it does when a
# variant crashes the guest).

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
# unload_all: every module a variant may have loaded (lkmdemo's and the skeletons'),
# the users first.
unload_all()
{
	local m
	for m in lkmdemo_client lkmdemo $(cat $EXROOT/modules 2>/dev/null); do
		loaded "$m" && rmmod "$m" 2>/dev/null
	done
	return 0
}
# The grader found the kernel in a state where loading lkmdemo again could crash it.
mark_unsafe() { echo "$1" > $UNSAFE; }
# kernel_reports <lines>: kernel reports in the log after its first <lines> lines: a
# WARN, a BUG, an Oops, lockdep.
kernel_reports()
{
	dmesg | tail -n +$(( $1 + 1 )) | grep -E 'WARNING:|BUG:|Oops|possible (recursive|circular) locking|inconsistent lock state|lock held when returning|suspicious RCU usage'
}
# lockdep_on: 1 while lockdep checks (its first report turns it off), 0 after; empty on
# a kernel without lockdep.
lockdep_on() { awk '$1 == "debug_locks:" { print $2 }' /proc/lockdep_stats 2>/dev/null; }
# kmemleak_clear, then (after what may leak) kmemleak_new: the leaks a scan finds among
# the objects allocated since the clear, by the processes started since (the report
# names the allocating pid). kmemleak reports an object only once it is older than 5 s
# (MSECS_MIN_AGE): kmemleak_new waits 6 s from its own call, so that what leaked just
# before it is old enough (waiting until 6 s after the clear was not: a leak made a
# few seconds after it was scanned too young). A leak a scan misses is reported by a
# later one, and was then blamed on a later variant: the pid filter keeps the report
# to this variant's own. kmemleak can still miss a leak for good while stale copies of
# its pointer sit in memory it scans (exercise 03's FIFO leaked by a refused load is
# one: a grader observes such a leak with the allocation events of the load instead).
# A second scan confirms what the first found (a pointer held only in a register for a
# moment can look like a leak once). Prints kmemleak's report; empty when nothing
# leaked.
kmemleak_clear()
{
	echo scan > /sys/kernel/debug/kmemleak 2>/dev/null
	echo clear > /sys/kernel/debug/kmemleak 2>/dev/null
	KMEMLEAK_PID0=$(sh -c 'echo $$')
}
kmemleak_new()
{
	sleep 6
	echo scan > /sys/kernel/debug/kmemleak
	grep -q '^unreferenced object' /sys/kernel/debug/kmemleak || return 0
	echo scan > /sys/kernel/debug/kmemleak
	# "unreferenced object ADDR (size N):" then '  comm "insmod", pid 348, jiffies ...'
	awk -v p0="${KMEMLEAK_PID0:-0}" '
		function flush() { if (blk != "" && pid > p0) printf "%s", blk; blk = ""; pid = -1 }
		/^unreferenced object/ { flush(); blk = $0 "\n"; next }
		blk != "" && pid < 0 && /pid [0-9]+/ { match($0, /pid [0-9]+/); pid = substr($0, RSTART + 4, RLENGTH - 4) + 0 }
		blk != "" { blk = blk $0 "\n" }
		END { flush() }' /sys/kernel/debug/kmemleak
}
mountpoint -q /sys/kernel/debug 2>/dev/null || mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
mountpoint -q /sys/kernel/tracing 2>/dev/null || mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null

echo "LKMDEMO-EXERCISES-BEGIN $(uname -r) $(uname -m) cpus=$(nproc)"
for id in $(cat $EXROOT/order); do
	dir=$EXROOT/$id
	# An earlier variant left the kernel unsafe: the host grades the rest in a new boot.
	[ -f $UNSAFE ] && break
	echo "LKMDEMO-EXERCISE-BEGIN $id"
	echo 0 > $TAP_N
	KO=$dir/lkmdemo.ko
	CLIENT=$dir/lkmdemo_client.ko
	EX_MISSING=
	# (An exercise about the module tools has no module of its own: "nomodule".)
	ls "$dir"/*.ko > /dev/null 2>&1 || [ -f "$dir/nomodule" ] || EX_MISSING="not graded: no module built"
	export KO CLIENT EX_MISSING
	unload_all
	log0=$(dmesg | wc -l)
	dmesg_mark
	( cd "$dir" && . ./grade.sh ) 2>&1
	# Leave nothing running or loaded for the next variant; a module that cannot be
	# unloaded (a reference never dropped) would make the next variant's load fail.
	unload_all
	for m in lkmdemo_client lkmdemo $(cat $EXROOT/modules 2>/dev/null); do
		loaded "$m" && [ ! -f $UNSAFE ] && mark_unsafe "$id: module $m cannot be unloaded"
	done
	if [ -z "$EX_MISSING" ]; then
		r=$(kernel_reports "$log0")
		if [ -n "$r" ]; then
			gfail "the kernel log has no WARNING, BUG or lockdep report" \
				"your module made the kernel report a bug: read the report below (the first line says what, the call trace where)"
			echo "$r" | head -n 5 | sed 's/^/#   /'
			# A WARN leaves the kernel usable; a BUG, an Oops or a lockdep report
			# (which turns lockdep off) does not: the next variant gets a new boot.
			if echo "$r" | grep -qE 'BUG:|Oops' || [ "$(lockdep_on)" = 0 ]; then
				mark_unsafe "$id: a kernel report"
			fi
		else
			echo "ok $(tap_next) - the kernel log has no WARNING, BUG or lockdep report"
		fi
	fi
	echo "LKMDEMO-EXERCISE-END $id"
done
[ -f $UNSAFE ] && echo "LKMDEMO-EXERCISES-UNSAFE $(cat $UNSAFE)"
echo "LKMDEMO-EXERCISES-END"
