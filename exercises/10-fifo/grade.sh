# SPDX-License-Identifier: GPL-2.0
# Exercise 10-fifo (a one-screen FIFO, skeleton tinyfifo.c), guest checks: /dev/tinyfifo carries
# data, a reader of an empty FIFO waits, is woken by a writer and can be interrupted by
# a signal, a full FIFO refuses more with EAGAIN and holds exactly 4096 bytes, the device
# goes away with the module, and nothing leaks (the allocation events of insmod and
# rmmod, and kmemleak).
# Sourced by harness/guest/run-exercises.sh.

M=./tinyfifo.ko
D=/dev/tinyfifo
# What the FIFO holds, read for at most a second (a right FIFO waits when empty).
drain_fifo() { timeout 1 cat $D 2>/dev/null; }
alive() { kill -0 "$1" 2>/dev/null; }
# put <bytes>: one write, given up after 5 s (a broken FIFO can block a writer).
put() { timeout 5 sh -c "printf '%s' '$1' > $D" 2>/dev/null; }
# stop <pid>: end a background reader whatever it waits in (a byte for one that cannot
# be interrupted).
stop()
{
	kill "$1" 2>/dev/null
	usleep 300000
	alive "$1" && put x
	usleep 300000
	kill -9 "$1" 2>/dev/null
	wait "$1" 2>/dev/null
}

# The kernel's allocation events of the insmod and of the rmmod (kmem:kmalloc, kmem:kfree;
# set_event_pid): what init or exit allocated, in the module or in kfifo_alloc() for it,
# must be freed by the time the module is gone. (kmemleak, below too, did not see a
# kfifo_alloc()ed buffer never freed: it kept finding a stale copy of the pointer.)
T=/sys/kernel/tracing
ev_ok=
if [ -w $T/events/kmem/kmalloc/enable ] && [ -w $T/set_event_pid ]; then
	echo 0 > $T/tracing_on
	echo > $T/set_event_pid
	echo > $T/trace
	echo 1 > $T/events/kmem/kmalloc/enable
	echo 1 > $T/events/kmem/kfree/enable
	ev_ok=1
fi
# traced <command...>: run it with its allocation events recorded.
traced()
{
	if [ -n "$ev_ok" ]; then
		sh -c "echo \$\$ >> $T/set_event_pid && echo 1 > $T/tracing_on && exec $*"
	else
		"$@"
	fi
}
kmemleak_clear
gcheck "loads" "insmod tinyfifo.ko fails: see dmesg" traced insmod $M
geq "/dev/tinyfifo exists, a character device of mode 0666" \
	"register a struct miscdevice with .name = \"tinyfifo\", .minor = MISC_DYNAMIC_MINOR, .mode = 0666" \
	"crw-rw-rw-" "$(ls -l $D 2>/dev/null | cut -c1-10)"
gcheck "reads back what was written" \
	"write(2) stores with kfifo_from_user(), read(2) returns with kfifo_to_user(); both return the bytes copied" \
	sh -c "timeout 5 sh -c 'echo hello > $D' && [ \"\$(timeout 5 head -c 6 $D)\" = hello ]"
drain_fifo > /dev/null

timeout 10 head -c 5 $D > /tmp/fifo.r 2>/dev/null &
r=$!
usleep 500000
gcheck "a read of an empty FIFO waits for a writer" \
	"when the kfifo is empty, read(2) must sleep on the wait queue (not return 0, which means end of file)" \
	alive $r
put abcde
usleep 500000
gcheck "the waiting reader is woken by a write and gets its bytes" \
	"after storing, write(2) must wake the readers (wake_up_interruptible()); a reader must not wait with the mutex held, or no writer can store" \
	sh -c "! kill -0 $r 2>/dev/null && [ \"\$(cat /tmp/fifo.r)\" = abcde ]"
stop $r
drain_fifo > /dev/null

head -c 1 $D > /dev/null 2>&1 &
r=$!
usleep 300000
kill -TERM $r 2>/dev/null
usleep 500000
gcheck "a waiting reader can be interrupted by a signal" \
	"wait interruptibly (wait_event_interruptible()) and return -ERESTARTSYS when it says a signal came" \
	sh -c "! kill -0 $r 2>/dev/null"
stop $r
drain_fifo > /dev/null

# write_full: fill the FIFO (one 4096-byte write), then one more write, which must fail
# at once (EAGAIN): not succeed, and not wait (timeout's status is 124 and up).
write_full()
{
	local rc
	timeout 5 dd if=/dev/zero of=$D bs=4096 count=1 2>/dev/null
	timeout 3 sh -c "echo x > $D" 2>/dev/null
	rc=$?
	echo "the write to the full FIFO: status $rc"
	[ "$rc" -ne 0 ] && [ "$rc" -lt 124 ]
}
gcheck "a write to a full FIFO fails (EAGAIN), without waiting" \
	"store what fits; when nothing fits, return -EAGAIN at once" \
	write_full
geq "the FIFO then holds exactly 4096 bytes" "a kfifo of 4096 bytes, filled to the brim" \
	4096 "$(drain_fifo | wc -c)"

gcheck "rmmod" "rmmod tinyfifo fails" traced rmmod tinyfifo
if [ -n "$ev_ok" ]; then
	echo 0 > $T/tracing_on
	grep -v '^#' $T/trace > /tmp/fifo.trace
	echo 0 > $T/events/kmem/kmalloc/enable
	echo 0 > $T/events/kmem/kfree/enable
	echo > $T/set_event_pid
	# Allocations whose call site is the module (tinyfifo_..., or a bare address once
	# it is gone) or kfifo_alloc()'s, with no kfree of the same pointer.
	awk '
		{
			ev = ""; cs = ""; p = ""
			for (i = 1; i <= NF; i++)
				if ($i == "kmalloc:" || $i == "kfree:") ev = $i
				else if ($i ~ /^call_site=/) cs = substr($i, 11)
				else if ($i ~ /^ptr=/) p = substr($i, 5)
		}
		p == "" || p ~ /^(\(null\)|0+)$/ { next }
		ev == "kmalloc:" && (cs ~ /^tinyfifo_/ || cs ~ /^0x/ || cs ~ /\[tinyfifo\]/ || cs ~ /^__kfifo_alloc/) { kept[p] = cs }
		ev == "kfree:" { delete kept[p] }
		END { for (p in kept) print "allocated by " kept[p] ", never freed" }' /tmp/fifo.trace > /tmp/fifo.kept
	gcheck "exit frees what init allocated (traced)" \
		"free in exit what init allocated (kfifo_free() for a kfifo_alloc()ed FIFO), and on init's error paths" \
		test ! -s /tmp/fifo.kept
	head -n 3 /tmp/fifo.kept | sed 's/^/#   /'
else
	gfail "exit frees what init allocated (traced)" \
		"not graded: this kernel has no allocation events (the exercises' kernel has)"
fi
gcheck_fails "/dev/tinyfifo is gone after rmmod" \
	"exit must deregister the misc device (misc_deregister()): a device left behind points into a module that is gone" \
	test -e $D
if [ -e $D ] || [ -e /sys/class/misc/tinyfifo ]; then
	mark_unsafe "tinyfifo: a stale misc device was left behind"
fi
if [ -w /sys/kernel/debug/kmemleak ]; then
	kmemleak_new > /tmp/fifo.leaks
	geq "nothing leaked (kmemleak)" \
		"free in exit what init allocated (kfifo_free() for a kfifo_alloc()ed FIFO)" \
		0 "$(grep -c '^unreferenced object' /tmp/fifo.leaks)"
fi
