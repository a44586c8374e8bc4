# SPDX-License-Identifier: GPL-2.0
# Exercise 03-unwind (error unwinding), guest checks: a load whose last init step fails must
# leave nothing behind (no device; no memory kept: the kernel's allocation events of the
# load, and kmemleak), must undo the steps in reverse order (the function tracer sees
# the FIFO freed only after the device is unregistered), every allocation failure
# injected into init (fail-nth) must fail the load cleanly and keep no memory, and the
# module must load again afterwards. (kmemleak alone missed the FIFO leaked by a refused
# load: it kept finding a stale copy of the pointer in memory it scans.)
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
# module code came first, and whether what module code allocated was freed. The trace
# is of this insmod only (set_ftrace_pid, set_event_pid): calls of four functions, and
# the kernel's own allocation events (kmem:kmalloc with the caller, kmem:kfree). A call
# from module code shows its caller as lkmdemo_... or, the module being gone when the
# trace is read, as a bare address.
AREA=$(harness_arg module_area)
kmemleak_clear
trace_ok=
events_ok=
if [ -w $T/set_ftrace_filter ]; then
	echo 0 > $T/tracing_on
	# The filter before the tracer: the function tracer then patches the call sites of
	# these four functions only, not of every function in the kernel (under QEMU's TCG
	# the other vCPU could run into a breakpoint of that patching: an int3 oops).
	echo 'misc_deregister kvfree kfree vfree' > $T/set_ftrace_filter
	echo function > $T/current_tracer
	if [ -w $T/events/kmem/kmalloc/enable ] && [ -w $T/set_event_pid ]; then
		# Only the allocations called from the module area (fewer events to keep).
		[ -z "$AREA" ] || echo "call_site >= ${AREA%-*} && call_site < ${AREA#*-}" \
			> $T/events/kmem/kmalloc/filter 2>/dev/null
		echo 1 > $T/events/kmem/kmalloc/enable
		echo 1 > $T/events/kmem/kfree/enable
		events_ok=1
	fi
	echo > $T/trace
	trace_ok=1
fi
dmesg_mark
gcheck_fails "a banner that does not fit into bufsize=4096 is refused" \
	"the load must fail when lkmdemo_queue_banner() fails: return its error from init" \
	sh -c "[ -z '$trace_ok' ] || { echo \$\$ > $T/set_ftrace_pid && echo \$\$ > $T/set_event_pid && echo 1 > $T/tracing_on; }; exec insmod $KO $BAD"
if [ -n "$trace_ok" ]; then
	echo 0 > $T/tracing_on
	grep -v '^#' $T/trace > /tmp/ex01.trace
	echo nop > $T/current_tracer
	echo > $T/set_ftrace_filter
	echo > $T/set_ftrace_pid
	if [ -n "$events_ok" ]; then
		echo 0 > $T/events/kmem/kmalloc/enable
		echo 0 > $T/events/kmem/kfree/enable
		echo > $T/set_event_pid
	fi
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

# allocs_kept <trace>: each allocation that module code made in the traced process
# (kmem:kmalloc whose call site is lkmdemo_..., a bare address or in [lkmdemo]) and that
# no kmem:kfree of the same pointer released before the trace ended: one line each.
# (A failed allocation traces a NULL pointer: not counted.)
allocs_kept()
{
	awk '
		{
			ev = ""; cs = ""; p = ""
			for (i = 1; i <= NF; i++)
				if ($i == "kmalloc:" || $i == "kfree:") ev = $i
				else if ($i ~ /^call_site=/) cs = substr($i, 11)
				else if ($i ~ /^ptr=/) p = substr($i, 5)
		}
		p == "" || p ~ /^(\(null\)|0+)$/ { next }
		ev == "kmalloc:" && (cs ~ /^lkmdemo_/ || cs ~ /^0x/ || cs ~ /\[lkmdemo\]/) { kept[p] = cs }
		ev == "kfree:" { delete kept[p] }
		END { for (p in kept) print "allocated by " kept[p] ", never freed" }' "$1"
}
if [ -z "$events_ok" ]; then
	gfail "the refused load frees what init allocated (traced)" \
		"not graded: this kernel has no allocation events (the exercises' kernel has: harness/run exercise 3 grade)"
else
	allocs_kept /tmp/ex01.trace > /tmp/ex01.kept
	gcheck "the refused load frees what init allocated (traced)" \
		"memory that init allocated was still allocated when the refused load ended, and nothing can free it once the module is gone: free the FIFO (lkmdemo_fifo_free()) on every error path after lkmdemo_fifo_init()" \
		test ! -s /tmp/ex01.kept
	head -n 3 /tmp/ex01.kept | sed 's/^/#   /'
fi

# Every allocation failure injected into init, in turn (fail-nth, only allocations with
# module code on the stack): each fails the load cleanly, nothing left behind, until
# one load runs without a fault and succeeds.
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
	why="not graded: $(stale && echo 'a stale device is left behind (see above)' || echo 'no fault injection in this kernel')"
	gfail "every allocation failure injected into init fails the load cleanly" "$why"
	gfail "every load of the sweep frees what its init allocated (traced)" "$why"
else
	# The sweep's allocation events too (its loads and the unloads of those that
	# succeed are all made by lkmdemo_stress): at its end, everything module code
	# allocated must have been freed. A bigger trace buffer: the kfree events of
	# every load's module loader are kept too.
	sweep_trace=
	if [ -n "$events_ok" ]; then
		kb=$(cat $T/buffer_size_kb)
		echo 8192 > $T/buffer_size_kb
		echo > $T/trace
		echo 1 > $T/events/kmem/kmalloc/enable
		echo 1 > $T/events/kmem/kfree/enable
		sweep_trace=1
	fi
	gcheck "every allocation failure injected into init fails the load cleanly" \
		"a load failed by an allocation failure left something behind or failed wrongly: each step's failure must undo exactly the steps before it" \
		sh -c "[ -z '$sweep_trace' ] || { echo \$\$ > $T/set_event_pid && echo 1 > $T/tracing_on; }; exec /harness/bin/lkmdemo_stress failnth $KO whom=sweep"
	for f in failslab fail_page_alloc; do echo Y > $DBG/$f/ignore-gfp-wait; done
	if [ -n "$sweep_trace" ]; then
		echo 0 > $T/tracing_on
		grep -v '^#' $T/trace > /tmp/ex01.sweep
		echo 0 > $T/events/kmem/kmalloc/enable
		echo 0 > $T/events/kmem/kfree/enable
		echo > $T/set_event_pid
		echo "${kb%% *}" > $T/buffer_size_kb
		allocs_kept /tmp/ex01.sweep > /tmp/ex01.sweep.kept
		gcheck "every load of the sweep frees what its init allocated (traced)" \
			"a load failed by an injected allocation failure kept memory that init had allocated: every error path after lkmdemo_fifo_init() must free the FIFO (lkmdemo_fifo_free()), including the one taken when lkmdemo_chardev_register() fails" \
			test ! -s /tmp/ex01.sweep.kept
		head -n 3 /tmp/ex01.sweep.kept | sed 's/^/#   /'
	else
		gfail "every load of the sweep frees what its init allocated (traced)" \
			"not graded: this kernel has no allocation events (the exercises' kernel has)"
	fi
	loaded lkmdemo && rmmod lkmdemo
fi
[ -z "$events_ok" ] || echo 0 > $T/events/kmem/kmalloc/filter

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
