# SPDX-License-Identifier: GPL-2.0
# The stress run inside the debug kernel guest (lkmdemo_harness.run=stress; host side:
# harness/lib/stress.sh). In order: concurrent checksummed record traffic while a
# background loop writes the writable parameters and attributes and reads the counters,
# bounded random inputs, load/unload cycles with the client and with /dev/lkmdemo opened
# and closed all along (the parameters still changing), the init fault sweep by fail-nth,
# a kmemleak scan; then the checkers' report counts. Pass condition: every step passes and
# lockdep, KASAN or KCSAN, UBSAN, debugobjects, sleep-in-atomic and kmemleak reported
# nothing.
# Kernel command line: lkmdemo_harness.stress_kind=kasan|kcsan (the sanitizer built in),
# lkmdemo_harness.module_area=START-END (the arch's module area, for the fault filter),
# lkmdemo_harness.stress_seconds=N (each traffic test), lkmdemo_harness.stress_cycles=N
# (load/unload cycles), lkmdemo_harness.fuzz_iters=N.
# Output: one TAP stream between LKMDEMO-TAP-BEGIN/END; "# STRESS-COUNT <key> <n>" lines
# carry the counts for the host.

. /harness/lib.sh
TEST_GROUP=stress
export TEST_GROUP
KIND=$(harness_arg stress_kind)
AREA=$(harness_arg module_area)
SECONDS_EACH=$(harness_arg stress_seconds 60)
CYCLES=$(harness_arg stress_cycles 500)
FUZZ_ITERS=$(harness_arg fuzz_iters 20000)
MOD_START=${AREA%-*} MOD_END=${AREA#*-}
S=/harness/bin/lkmdemo_stress
DBG=/sys/kernel/debug
KMEMLEAK=$DBG/kmemleak

now() { cut -d. -f1 /proc/uptime; }
counted() { echo "# STRESS-COUNT $1 $2"; }
# step <name>: print the time the previous step took, start the next
step() { t=$(now); [ -n "${STEP_T:-}" ] && diag "  ($((t - STEP_T)) s)"; STEP_T=$t; diag "== $1"; }

# run_prog <description> <args...>: the stress program as one TAP result, its output as
# diagnostics (its "# STRESS-COUNT" lines go through unchanged).
run_prog()
{
	d=$1
	shift
	if "$S" "$@" > /tmp/prog.out 2>&1; then pass "$d"; else fail "$d"; fi
	sed -e '/^#/!s/^/# /' /tmp/prog.out
}

# nothing_left: no trace of lkmdemo in /proc/modules, sysfs or /dev
nothing_left()
{
	for p in /sys/module/lkmdemo /sys/module/lkmdemo_client $LKMDEMO_DEV $LKMDEMO_CLASS; do
		[ -e "$p" ] && { echo "$p remains"; return 1; }
	done
	! is_module lkmdemo && ! is_module lkmdemo_client
}

# unload <module>: rmmod, retried while an opener of /dev/lkmdemo pins the module
unload()
{
	i=0
	while ! rmmod "$1" 2>/dev/null; do
		i=$((i + 1))
		BUSY=$((BUSY + 1))
		[ $i -lt 500 ] || { rmmod "$1"; return 1; }
		usleep 10000
	done
}

checkers()
{
	step "checkers"
	diag "tainted at start: $(cat /proc/sys/kernel/tainted)"
	expect_eq "SMP guest: 2 CPUs online" 2 "$(grep -c '^processor' /proc/cpuinfo)"
	check "lockdep is on (debug_locks: 1)" grep -q 'debug_locks: *1' /proc/lockdep_stats
	case "$KIND" in
	kasan) check "KASAN is on" sh -c 'dmesg | grep -q KernelAddressSanitizer' ;;
	kcsan) check "KCSAN is on (enabled: 1)" grep -q 'enabled: 1' $DBG/kcsan ;;
	rt) check "PREEMPT_RT is on (uname -v)" sh -c 'uname -v | grep -q PREEMPT_RT' ;;
	*) fail "lkmdemo_harness.stress_kind=$KIND: not kasan, kcsan or rt" ;;
	esac
	check "kmemleak is on" test -r $KMEMLEAK
	check "debugobjects is on" test -r $DBG/debug_objects/stats
	check "fail-nth is there" test -w /proc/self/fail-nth
	# Suspects from the boot are not ours: scan, then forget them.
	echo scan > $KMEMLEAK
	diag "kmemleak suspects before the run (boot, forgotten): $(grep -c '^unreferenced object' $KMEMLEAK)"
	echo clear > $KMEMLEAK
}

# knobs: until killed, write the writable parameters and attributes (whom, verbose,
# write_lowat) with valid values and read the counters and parameters back, so that the
# driver reads them while they change (KCSAN: data races on them). The accesses are shell
# builtins (echo, read), and a round ends with a 2 ms pause: without it the loop, failing
# fast while lkmdemo is unloaded, takes a whole guest CPU and starves the load/unload
# cycles. Errors are expected while lkmdemo is not loaded; the rounds go to
# /tmp/knobs.count on SIGTERM.
knobs()
{
	local i=0 p=/sys/module/lkmdemo/parameters f x
	trap 'echo $i > /tmp/knobs.count; exit 0' TERM
	while :; do
		i=$((i + 1))
		echo "knob$i" > $p/whom
		echo $((i % 4096 + 1)) > $LKMDEMO_CLASS/write_lowat
		[ $((i % 64)) = 0 ] && { echo 1 > $p/verbose; echo 0 > $p/verbose; }
		for f in fill bytes_in bytes_out bytes_flushed opens openers write_lowat; do
			read -r x < $LKMDEMO_CLASS/$f
		done
		read -r x < $p/whom
		read -r x < $p/verbose
		usleep 2000
	done > /dev/null 2>&1
}

# knobs_start, knobs_stop <what>: the knobs loop in the background; stop reports its count
knobs_start() { knobs & KNOBS=$!; }
knobs_stop()
{
	kill -TERM $KNOBS
	wait $KNOBS
	counted "knob_rounds_$1" "$(cat /tmp/knobs.count 2>/dev/null || echo 0)"
	diag "parameters and attributes written and read back $(cat /tmp/knobs.count 2>/dev/null) times during $1"
	echo world > /sys/module/lkmdemo/parameters/whom 2>/dev/null
}

traffic()
{
	step "traffic: checksummed records, $SECONDS_EACH s per test, parameters changing"
	check "modprobe lkmdemo" modprobe lkmdemo
	knobs_start
	run_prog "stream: 4 writers, 1 reader reassembling: no record lost, duplicated or interleaved" \
		stream 4 "$SECONDS_EACH"
	run_prog "records: 4 writers, 4 readers of whole records: each record read exactly once" \
		records 4 4 "$SECONDS_EACH"
	knobs_stop traffic
	# A FIFO of one PIPE_BUF with a low EPOLLOUT threshold: nearly every write waits for
	# room and every read wakes someone, through the exclusive wait queues.
	check "reload lkmdemo with bufsize=4096, write_lowat=64" \
		sh -c "rmmod lkmdemo && modprobe lkmdemo bufsize=4096 && echo 64 > $LKMDEMO_CLASS/write_lowat"
	export STRESS_TAG=_4k
	run_prog "stream through a 4 KiB FIFO: 4 writers, 1 reader" stream 4 $((SECONDS_EACH / 2))
	run_prog "records through a 4 KiB FIFO: 4 writers, 4 readers" records 4 4 $((SECONDS_EACH / 2))
	unset STRESS_TAG
}

fuzz()
{
	step "bounded random inputs: $FUZZ_ITERS"
	run_prog "random ioctls, read/write sizes and attribute values: clean errors, state restored" \
		fuzz "$FUZZ_ITERS" "$(( $(date +%s) % 100000 + 1 ))"
	check "rmmod lkmdemo after the random inputs" unload lkmdemo
}

# cycle <n>: one load/unload cycle of lkmdemo and lkmdemo_client (posting every 10 ms);
# every 5th with other parameters, every 50th also a load that the driver must refuse.
cycle()
{
	case $(($1 % 5)) in
	0) modprobe lkmdemo bufsize=4096 howmany=0 banner=one,two,three whom=cycle$1 || return 1 ;;
	esac
	modprobe lkmdemo_client interval_ms=10 || return 1
	[ -e $LKMDEMO_DEV ] || { echo "no $LKMDEMO_DEV after load $1"; return 1; }
	# 0 to 30 ms: the client's timer and work item may be idle, queued or running
	usleep $(( ($1 % 4) * 10000 ))
	unload lkmdemo_client || return 1
	unload lkmdemo || return 1
	if [ $(($1 % 50)) = 0 ]; then
		! modprobe lkmdemo bufsize=12345 2>/dev/null || { echo "bufsize=12345 loaded"; return 1; }
		REFUSED=$((REFUSED + 1))
		nothing_left || return 1
	fi
}

cycles()
{
	step "load/unload cycles: $CYCLES, client loaded, /dev/lkmdemo opened and closed all along"
	BUSY=0 REFUSED=0
	"$S" churn > /tmp/churn.out 2>&1 &
	churn=$!
	knobs_start
	n=0 bad=""
	while [ $n -lt "$CYCLES" ]; do
		n=$((n + 1))
		cycle $n > /tmp/cycle.out 2>&1 || { bad=$n; break; }
		[ $((n % 100)) = 0 ] && diag "  $n cycles"
	done
	kill -TERM $churn
	wait $churn
	st=$?
	knobs_stop cycles
	if [ -z "$bad" ]; then
		pass "$n load/unload cycles of lkmdemo + lkmdemo_client ($REFUSED bad loads refused, $BUSY rmmod retries while open)"
	else
		fail "load/unload cycle $bad"
		sed 's/^/#   /' /tmp/cycle.out
	fi
	counted cycles "$n"
	if [ $st = 0 ]; then pass "opens during the cycles: only clean errors"; else fail "opens during the cycles"; fi
	sed -e '/^#/!s/^/# /' /tmp/churn.out
	check "nothing of lkmdemo left after the cycles" nothing_left
}

# The module area (lkmdemo_harness.module_area=, from MODULE_AREA of the arch file): the
# stack filter of the fault injection counts only allocations with module code on the
# stack.

# in_module_area: lkmdemo, loaded, lies in [MOD_START, MOD_END). The addresses are
# compared as strings of 16 hex digits: shell arithmetic is signed 64-bit, and awk's is
# floating point.
in_module_area()
{
	local a
	a=$(awk '$1 == "lkmdemo" { print $6 }' /proc/modules)
	echo "lkmdemo at $a, module area $MOD_START-$MOD_END"
	[ -n "$a" ] && [ -n "$MOD_START" ] || return 1
	awk -v a="$a" -v s="$MOD_START" -v e="$MOD_END" '
		function hex16(x) { sub(/^0x/, "", x); x = tolower(x); while (length(x) < 16) x = "0" x; return "h" x }
		BEGIN { exit !(hex16(a) >= hex16(s) && hex16(a) < hex16(e)) }'
}

faultsweep()
{
	local_ko=$(find /lib/modules -name lkmdemo.ko | head -n 1)
	step "init fault sweep by fail-nth ($local_ko)"
	modprobe lkmdemo
	check "lkmdemo loads into the module area the fault filter covers" in_module_area
	unload lkmdemo
	# fail-nth fails the Nth slab or page allocation of the task, whatever its gfp flags,
	# among those made with module code (lkmdemo's init) on the stack
	for f in failslab fail_page_alloc; do
		echo N > $DBG/$f/ignore-gfp-wait
		echo 1 > $DBG/$f/verbose
		echo 32 > $DBG/$f/stacktrace-depth
		echo $MOD_START > $DBG/$f/require-start
		echo $MOD_END > $DBG/$f/require-end
	done
	echo N > $DBG/fail_page_alloc/ignore-gfp-highmem
	echo 0 > $DBG/fail_page_alloc/min-order
	run_prog "every fault injected into lkmdemo's init fails the load cleanly, nothing left, until it loads" \
		failnth "$local_ko" "banner=one,two howmany=2 whom=sweep"
	for f in failslab fail_page_alloc; do echo Y > $DBG/$f/ignore-gfp-wait; done
	check "nothing of lkmdemo left after the sweep" nothing_left
	check "the next load succeeds" modprobe lkmdemo
	check "and unloads" unload lkmdemo
	diag "FAULT_INJECTION messages in the kernel log: $(dmesg | grep -c 'FAULT_INJECTION: forcing a failure')"
}

leaks()
{
	step "kmemleak"
	# Two scans with a pause, as Documentation/dev-tools/kmemleak.rst suggests: an
	# object is reported only once it stayed unreferenced past its minimum age.
	sleep 6
	echo scan > $KMEMLEAK
	sleep 6
	echo scan > $KMEMLEAK
	LEAKS=$(grep -c '^unreferenced object' $KMEMLEAK)
	counted kmemleak_leaks "$LEAKS"
	expect_eq "kmemleak: no leak suspected after the run" 0 "$LEAKS"
	[ "$LEAKS" = 0 ] || head -n 60 $KMEMLEAK | sed 's/^/#   /'
}

# report <key> <regex> [<regex to leave out>]: count the kernel log lines of one checker,
# one TAP result; show the first ones in context
report()
{
	dmesg | grep -E "$2" | if [ -n "${3:-}" ]; then grep -vE "$3"; else cat; fi > /tmp/report.txt
	c=$(grep -c . /tmp/report.txt)
	counted "reports_$1" "$c"
	expect_eq "no $1 report in the kernel log" 0 "$c"
	[ "$c" = 0 ] || dmesg | grep -F -f /tmp/report.txt -A 12 | head -n 40 | sed 's/^/#   /'
}

# kcsan_reports: KCSAN's reports, split by kcsan-reports.awk into those with a frame of
# lkmdemo code (a data race of ours: fails) and the others (races among core kernel code,
# which the strict rules report too: counted and listed, not ours to fix here).
kcsan_reports()
{
	local ours
	dmesg | awk -f /harness/kcsan-reports.awk > /tmp/kcsan.txt
	# An awk that did not run would leave the list empty: zero reports, a false pass.
	expect_eq "kcsan-reports.awk read the kernel log" 0 $?
	ours=$(grep -c '^ours' /tmp/kcsan.txt)
	counted reports_kcsan_lkmdemo "$ours"
	counted reports_kcsan_other "$(grep -c '^other' /tmp/kcsan.txt)"
	expect_eq "no KCSAN report that involves lkmdemo" 0 "$ours"
	awk -F'\t' '{ print "#   KCSAN, " ($1 == "ours" ? "lkmdemo" : "not lkmdemo") ": " $2 }' /tmp/kcsan.txt
}

reports()
{
	step "reports of the checkers"
	report lockdep 'possible circular locking|possible recursive locking|inconsistent lock state|lock held when returning|bad unlock balance|suspicious RCU usage|DEBUG_LOCKS_WARN_ON|BUG: MAX_LOCK'
	report kasan 'BUG: KASAN|KernelAddressSanitizer.*(error|failure)'
	kcsan_reports
	report ubsan 'UBSAN:'
	report debugobjects 'ODEBUG:'
	report kmemleak_disabled 'kmemleak: .*(disabled|Cannot allocate)'
	report atomic_sleep 'sleeping function called from invalid context|scheduling while atomic'
	report warning_or_bug 'WARNING:|BUG:|Oops|kernel BUG' 'BUG: KCSAN:'
	expect_eq "lockdep still on at the end (no report turned it off)" 1 \
		"$(sed -n 's/^ *debug_locks: *//p' /proc/lockdep_stats)"
	taint=$(cat /proc/sys/kernel/tainted)
	diag "tainted at the end: $taint"
	# B (bad page: KASAN), D (died), W (warned), L (soft lockup)
	expect_eq "kernel not tainted by a warning, oops or bad page" 0 $(( taint & ((1 << 5) | (1 << 7) | (1 << 9) | (1 << 14)) ))
}

echo "LKMDEMO-TAP-BEGIN mode=stress kernel=$(uname -r) arch=$(uname -m) cpus=$(grep -c ^processor /proc/cpuinfo)"
if [ ! -x "$S" ]; then
	TEST_GROUP=stress fail "$S missing"
	echo "LKMDEMO-TAP-END"
	exit 0
fi
checkers
traffic
fuzz
cycles
faultsweep
leaks
reports
step "done"
echo "LKMDEMO-TAP-END"
