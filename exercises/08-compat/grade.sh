# SPDX-License-Identifier: GPL-2.0
# Exercise 08-compat (a compat.h wrapper), guest checks: the client, whose timer callback finds
# its state through the wrapper, loads and its timer works.
# Sourced by harness/guest/run-exercises.sh: KO and CLIENT are this variant's modules.

gcheck "lkmdemo loads" "insmod of your lkmdemo.ko fails: see dmesg" insmod "$KO"
gcheck "lkmdemo_client.ko was built" \
	"the client did not build for this kernel: see the build check's hint" test -f "$CLIENT"
gcheck "the client loads with interval_ms=20" "insmod lkmdemo_client.ko fails: see dmesg" \
	insmod "$CLIENT" interval_ms=20
gcheck "the client's timer posts lines into the FIFO" \
	"the timer callback must find struct lkmdemo_client from its timer_list argument: that is what the wrapper returns" \
	wait_for '[ "$(cat /sys/class/misc/lkmdemo/fill)" -gt 40 ]' 50
geq "the lines read 'Hello, world #<n>'" "the work item posts 'Hello, <whom> #<n>'" \
	"Hello, world #1" "$(drain | head -n 1)"
gcheck "rmmod the client" "rmmod lkmdemo_client fails" rmmod lkmdemo_client
gcheck "rmmod lkmdemo" "rmmod lkmdemo fails" rmmod lkmdemo
