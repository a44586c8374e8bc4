# SPDX-License-Identifier: GPL-2.0
# Exercise 07-usecount (use counts), guest checks: while /dev/lkmdemo is open the module is pinned
# (refcnt counts open files, rmmod is refused), closing a duplicated descriptor does not
# unpin it, the last close does. Files are held open by background processes, so that a
# module unloaded while open (the mistake) is never closed into: the grader then marks
# the kernel unsafe and the boot ends.
# Sourced by harness/guest/run-exercises.sh: KO is this variant's lkmdemo.ko.

refcnt() { cat /sys/module/lkmdemo/refcnt 2>/dev/null; }
# hold [shell commands]: a background process with /dev/lkmdemo open on its stdin, which
# first runs the commands (e.g. dup and close a descriptor); HELD is its pid.
hold() { sh -c "$1 exec sleep 600" < /dev/lkmdemo & HELD=$!; usleep 300000; }
release() { kill "$1" 2>/dev/null; wait "$1" 2>/dev/null; usleep 200000; }
gone_while_open()
{
	mark_unsafe "exercise usecount: lkmdemo was unloaded while /dev/lkmdemo was open"
	gfail "$1" "not tried: lkmdemo was unloaded while a file of it was open; closing that file would run freed code"
}

gcheck "lkmdemo loads" "insmod of your lkmdemo.ko fails: see dmesg" insmod "$KO"
geq "refcnt is 0 with nothing open" "a fresh module has no users" 0 "$(refcnt)"
hold
geq "an open /dev/lkmdemo holds one reference (refcnt 1)" \
	"the kernel takes a reference on the module that owns a file's file_operations at open(2): which field of struct file_operations names that module?" \
	1 "$(refcnt)"
gcheck_fails "rmmod is refused while /dev/lkmdemo is open" \
	"with the device open, rmmod must fail with 'in use': the open file must pin the module" \
	rmmod lkmdemo
if ! loaded lkmdemo; then
	gone_while_open "the last close drops the reference"
	gone_while_open "closing a duplicated descriptor keeps the reference"
	gone_while_open "two opens hold two references"
	gone_while_open "rmmod after the last close"
	return 0 2>/dev/null || exit 0
fi
h=$HELD
release $h
geq "the last close drops the reference (refcnt 0)" \
	"after the last close(2) the module must be free to go: every reference taken must be dropped exactly once" \
	0 "$(refcnt)"
# One open file, two descriptors (dup), one of them closed.
hold 'exec 4<&0; exec 4<&-;'
h=$HELD
geq "closing a duplicated descriptor keeps the reference" \
	"a reference belongs to the open file, not to a descriptor: close(2) of one of two descriptors of the same file must not drop it" \
	1 "$(refcnt)"
if [ "$(refcnt)" -lt 1 ] 2>/dev/null && rmmod lkmdemo 2>/dev/null; then
	gone_while_open "two opens hold two references"
	gone_while_open "rmmod after the last close"
	return 0 2>/dev/null || exit 0
fi
release $h
hold
a=$HELD
hold
b=$HELD
geq "two opens hold two references" "each open(2) takes one reference, each last close(2) drops it" \
	2 "$(refcnt)"
release $a
release $b
gcheck "rmmod after the last close" \
	"rmmod must succeed once no file is open: was a reference taken and never dropped?" rmmod lkmdemo
