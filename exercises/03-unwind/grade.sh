# SPDX-License-Identifier: GPL-2.0
# Exercise 03-unwind (error unwinding), guest checks: a load whose last init step fails must
# leave nothing behind (no device, no leaked memory: kmemleak), must undo the steps in
# reverse order (the function tracer sees the FIFO freed only after the device is
# unregistered), every allocation failure injected into init (fail-nth) must fail the
# load cleanly, and the module must load again afterwards.
# Sourced by harness/guest/run-exercises.sh: KO is this variant's lkmdemo.ko.

# Four banner lines of 1024 characters (the longest a charp parameter takes) need 4100
# bytes with their newlines: more than bufsize=4096, so queueing the banner fails, after
# the FIFO is allocated and /dev/lkmdemo is registered.
line=$(printf '%01024d' 0 | tr 0 x)
BAD="bufsize=4096 banner=$line,$line,$line,$line"
T=/sys/kernel/tracing
DBG=/sys/kernel/debug
left_dev() { test -e /dev/lkmdemo; }
left_class() { test -e /sys/class/misc/lkmdemo; }
stale() { left_dev || left_class; }

gcheck "loads with default parameters" \
	"insmod of your lkmdemo.ko fails: see the kernel log (dmesg) for why" insmod "$KO"
gcheck "/dev/lkmdemo carries data after a normal load" \
	"the device does not work after a normal load: did a change break the success path?" \
	sh -c 'echo hello > /dev/lkmdemo && [ "$(timeout 10 head -c 6 /dev/lkmdemo)" = hello ]'
gcheck "rmmod after a normal load" "rmmod lkmdemo fails" rmmod lkmdemo

# The refused load, traced: which of the device's unregistration and the frees made by
# module code came first. The trace is of this insmod only (set_ftrace_pid), and of
# four functions; a call from module code shows its caller as lkmdemo_... or, the module
# being gone when the trace is read, as a bare address.
kmemleak_clear
trace_ok=
if [ -w $T/set_ftrace_filter ]; then
	echo 0 > $T/tracing_on
	echo function > $T/current_tracer
	echo 'misc_deregister kvfree kfree vfree' > $T/set_ftrace_filter
	echo > $T/trace
	trace_ok=1
fi
dmesg_mark
gcheck_fails "a banner that does not fit into bufsize=4096 is refused" \
	"the load must fail when lkmdemo_queue_banner() fails: return its error from init" \
	sh -c "[ -z '$trace_ok' ] || { echo \$\$ > $T/set_ftrace_pid && echo 1 > $T/tracing_on; }; exec insmod $KO $BAD"
if [ -n "$trace_ok" ]; then
	echo 0 > $T/tracing_on
	grep -v '^#' $T/trace > /tmp/ex01.trace
	echo nop > $T/current_tracer
	echo > $T/set_ftrace_filter
	echo > $T/set_ftrace_pid
fi
# (busybox insmod retries a refused finit_module() with init_module(): the message may
# come twice.)
n=$(dmesg_new | grep -c 'banner: lines do not fit')
gcheck "the kernel log says why the load failed" \
	"lkmdemo_queue_banner() logs 'banner: lines do not fit': keep that message" \
	test "$n" -ge 1
gcheck_fails "no /dev/lkmdemo after the refused load" \
	"the misc device registered before the failing step stays behind: unregister it on the error path (lkmdemo_chardev_unregister())" \
	left_dev
gcheck_fails "no /sys/class/misc/lkmdemo after the refused load" \
	"the misc device's sysfs directory stays behind: undo lkmdemo_chardev_register() when a later step fails" \
	left_class
gcheck_fails "the refused module is not in /proc/modules" \
	"a module whose init fails is never listed as loaded" loaded lkmdemo

# module_free_first: "free-first" when a free called by module code comes before the
# first misc_deregister() in the trace, "unregister" when it does not, empty when there
# is no misc_deregister() at all.
module_free_first()
{
	awk '
		# "insmod-123 [000] ..... 1.234: kvfree <-lkmdemo_fifo_free"
		{ f = ""; p = ""; for (i = 1; i < NF; i++) if ($i ~ /:$/ && $(i + 2) ~ /^<-/) { f = $(i + 1); p = substr($(i + 2), 3) } }
		f == "" { next }
		f == "misc_deregister" { if (!free) print "unregister"; else print "free-first"; exit }
		(f == "kvfree" || f == "kfree" || f == "vfree") && (p ~ /^lkmdemo_/ || p ~ /^0x/ || p ~ /^\[/) { free = 1 }' /tmp/ex01.trace
}
if [ -z "$trace_ok" ]; then
	gfail "the FIFO is freed after the device is unregistered (traced)" \
		"not graded: this kernel has no function tracer (the exercises' kernel has one: harness/run exercise 3 grade)"
elif stale; then
	gfail "the FIFO is freed after the device is unregistered (traced)" \
		"not graded: the device was not unregistered at all (see above)"
else
	order=$(module_free_first)
	gcheck "the FIFO is freed after the device is unregistered (traced)" \
		"your error path freed memory while /dev/lkmdemo was still registered: between the two, an open(2) and read(2) would use freed memory. Undo in the reverse order of init: unregister first, then free" \
		test "$order" != free-first
	[ "$order" != free-first ] ||
		grep -E 'misc_deregister|<-(lkmdemo_|0x)' /tmp/ex01.trace | head -n 4 | sed 's/^ *//; s/^/#   /'
fi

# Every allocation failure injected into init, in turn (fail-nth, only allocations with
# module code on the stack): each fails the load cleanly, nothing left behind, until
# one load runs without a fault and succeeds.
AREA=$(harness_arg module_area)
sweep_ok=
if [ -n "$AREA" ] && [ -w /proc/self/fail-nth ] && [ -d $DBG/failslab ] && ! stale; then
	for f in failslab fail_page_alloc; do
		echo N > $DBG/$f/ignore-gfp-wait
		echo 0 > $DBG/$f/verbose
		echo 32 > $DBG/$f/stacktrace-depth
		echo "${AREA%-*}" > $DBG/$f/require-start
		echo "${AREA#*-}" > $DBG/$f/require-end
	done
	echo N > $DBG/fail_page_alloc/ignore-gfp-highmem
	echo 0 > $DBG/fail_page_alloc/min-order
	sweep_ok=1
fi
if [ -z "$sweep_ok" ]; then
	gfail "every allocation failure injected into init fails the load cleanly" \
		"not graded: $(stale && echo 'a stale device is left behind (see above)' || echo 'no fault injection in this kernel')"
else
	gcheck "every allocation failure injected into init fails the load cleanly" \
		"a load failed by an allocation failure left something behind or failed wrongly: each step's failure must undo exactly the steps before it" \
		/harness/bin/lkmdemo_stress failnth "$KO" "whom=sweep"
	for f in failslab fail_page_alloc; do echo Y > $DBG/$f/ignore-gfp-wait; done
	loaded lkmdemo && rmmod lkmdemo
fi

# kmemleak reports an object once it is unreferenced and older than 5 s.
if [ -w $DBG/kmemleak ]; then
	kmemleak_new > /tmp/ex01.leaks
	geq "no memory leaked by the refused loads (kmemleak)" \
		"memory allocated by init stays allocated after the load failed: the FIFO (lkmdemo_fifo_init()) must be freed on every error path after it (lkmdemo_fifo_free())" \
		0 "$(grep -c '^unreferenced object' /tmp/ex01.leaks)"
	grep -A3 '^unreferenced object' /tmp/ex01.leaks | head -n 8 | sed 's/^/#   /'
else
	gfail "no memory leaked by the refused loads (kmemleak)" \
		"not graded: this kernel has no kmemleak (the exercises' kernel has)"
fi

# With a stale misc device registered, the next misc_register() would walk a list that
# points into the freed module: loading again would crash this guest, so it is not tried.
if stale; then
	mark_unsafe "exercise 03: a stale /dev/lkmdemo was left behind"
	gfail "loads again after the refused load" \
		"not tried: with a stale misc device left behind, loading again would crash the kernel"
	gfail "/dev/lkmdemo works after loading again" "not tried (see above)"
else
	gcheck "loads again after the refused load" \
		"insmod fails after a refused load: something of the first attempt is left (dmesg says what)" \
		insmod "$KO"
	gcheck "/dev/lkmdemo works after loading again" \
		"the device does not carry data after a refused load and a reload" \
		sh -c 'echo again > /dev/lkmdemo && [ "$(timeout 10 head -c 6 /dev/lkmdemo)" = again ]'
fi
gcheck "rmmod at the end" "rmmod lkmdemo fails" sh -c '! grep -q "^lkmdemo " /proc/modules || rmmod lkmdemo'
