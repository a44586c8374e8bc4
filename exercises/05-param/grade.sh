# SPDX-License-Identifier: GPL-2.0
# Exercise 05-param (a validated, writable module parameter), guest checks on the client's
# interval_ms. Sourced by harness/guest/run-exercises.sh: KO and CLIENT are this
# variant's lkmdemo.ko and lkmdemo_client.ko.

P=/sys/module/lkmdemo_client/parameters/interval_ms
pval() { cat $P 2>/dev/null; }
# pset <value>: write it the way a user does; fails when the kernel refuses it.
pset() { echo "$1" > $P; }
# Client lines ("Hello, ...") that arrive in the FIFO within 2 seconds.
lines_in_2s() {
	drain > /dev/null
	sleep 2
	drain | grep -c '^Hello, '
}

geq "modinfo lists parameter interval_ms" \
	"declare it with module_param_cb() (or module_param()) and describe it with MODULE_PARM_DESC(interval_ms, ...)" \
	1 "$(modinfo -F parm "$CLIENT" 2>/dev/null | grep -c '^interval_ms:.*[a-z]')"

insmod "$KO"
gcheck "the client loads with interval_ms=500" \
	"insmod lkmdemo_client.ko interval_ms=500 fails: is the parameter declared?" \
	insmod "$CLIENT" interval_ms=500
geq "interval_ms reads back 500 in sysfs" \
	"/sys/module/lkmdemo_client/parameters/interval_ms shows the value: give the parameter a non-zero mode" \
	500 "$(pval)"
geq "interval_ms is writable by root only (0644)" \
	"the mode is the last argument of module_param_cb(): 0644, never world-writable" \
	"-rw-r--r--" "$(ls -l $P 2>/dev/null | cut -c1-10)"
gcheck "writing 50 is accepted" "echo 50 > $P must succeed: mode 0644 and a set operation that accepts 10..60000" \
	pset 50
geq "interval_ms reads back 50" "a write must store the new value" 50 "$(pval)"
for bad in 5 9 60001 abc -1 ""; do
	gcheck_fails "writing '$bad' is refused" \
		"validate in the .set of a struct kernel_param_ops: kstrtouint(), then 10 <= value <= 60000, else -EINVAL" \
		pset "$bad"
done
geq "interval_ms is still 50 after the refused writes" \
	"a refused write must leave the old value: check first, store only a good value" 50 "$(pval)"
n=$(lines_in_2s)
gcheck "the new interval takes effect: at least 10 lines in 2 s at 50 ms (seen $n)" \
	"the timer must pick up a written value: re-arm it with msecs_to_jiffies(READ_ONCE(interval_ms)) instead of a period computed once at load" \
	test "$n" -ge 10
pset 1000
n=$(lines_in_2s)
gcheck "back at 1000 ms: at most 3 lines in 2 s (seen $n)" \
	"after writing 1000 the client must slow down again" test "$n" -le 3
rmmod lkmdemo_client 2>/dev/null

gcheck_fails "insmod with interval_ms=5 is refused" \
	"a bad value at load must fail the load too: the same .set operation runs for insmod's arguments" \
	insmod "$CLIENT" interval_ms=5
gcheck_fails "nothing left after the refused load" \
	"the client must not be loaded after a refused value" loaded lkmdemo_client
rmmod lkmdemo_client 2>/dev/null
gcheck "the client loads without parameters" "insmod lkmdemo_client.ko fails" insmod "$CLIENT"
geq "the default is 1000" "static unsigned int interval_ms = 1000;" 1000 "$(pval)"
rmmod lkmdemo_client 2>/dev/null
rmmod lkmdemo 2>/dev/null
