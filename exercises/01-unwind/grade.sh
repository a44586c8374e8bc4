# SPDX-License-Identifier: GPL-2.0
# Exercise 01 (error unwinding), guest checks: a load whose last init step fails must
# leave nothing behind, and the module must load again afterwards.
# Sourced by harness/guest/run-exercises.sh: KO is this variant's lkmdemo.ko.

# Four banner lines of 1024 characters (the longest a charp parameter takes) need 4100
# bytes with their newlines: more than bufsize=4096, so queueing the banner fails, after
# the FIFO is allocated and /dev/lkmdemo is registered.
line=$(printf '%01024d' 0 | tr 0 x)
BAD="bufsize=4096 banner=$line,$line,$line,$line"
left_dev() { test -e /dev/lkmdemo; }
left_class() { test -e /sys/class/misc/lkmdemo; }

gcheck "loads with default parameters" \
	"insmod of your lkmdemo.ko fails: see the kernel log (dmesg) for why" insmod "$KO"
gcheck "/dev/lkmdemo carries data after a normal load" \
	"the device does not work after a normal load: did a change break the success path?" \
	sh -c 'echo hello > /dev/lkmdemo && [ "$(timeout 10 head -c 6 /dev/lkmdemo)" = hello ]'
gcheck "rmmod after a normal load" "rmmod lkmdemo fails" rmmod lkmdemo

dmesg_mark
gcheck_fails "a banner that does not fit into bufsize=4096 is refused" \
	"the load must fail when lkmdemo_queue_banner() fails: return its error from init" \
	insmod "$KO" $BAD
geq "the kernel log says why the load failed" \
	"lkmdemo_queue_banner() logs 'banner: lines do not fit': keep that message" \
	1 "$(dmesg_new | grep -c 'banner: lines do not fit')"
gcheck_fails "no /dev/lkmdemo after the refused load" \
	"the misc device registered before the failing step stays behind: unregister it on the error path (a goto label that calls lkmdemo_chardev_unregister())" \
	left_dev
gcheck_fails "no /sys/class/misc/lkmdemo after the refused load" \
	"the misc device's sysfs directory stays behind: undo lkmdemo_chardev_register() when a later step fails" \
	left_class
gcheck_fails "the refused module is not in /proc/modules" \
	"a module whose init fails is never listed as loaded" loaded lkmdemo

# With a stale misc device registered, the next misc_register() would walk a list that
# points into the freed module: loading again would crash this guest, so it is not tried.
if left_dev || left_class; then
	mark_unsafe "exercise 01: a stale /dev/lkmdemo was left behind"
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
