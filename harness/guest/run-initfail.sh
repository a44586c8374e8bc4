# SPDX-License-Identifier: GPL-2.0
# The built-in lkmdemo whose init failed (lkmdemo_harness.run=initfail; the host boots the
# Y kernel with lkmdemo.bufsize=1000, a value the driver refuses). The kernel boots on
# and lkmdemo's exports stay in vmlinux: the in-kernel API must refuse (-ENODEV) and the
# client module must fail its init cleanly, with nothing in the kernel log but that.

. /harness/lib.sh
MODE=y TEST_GROUP=initfail
export MODE TEST_GROUP
echo "LKMDEMO-TAP-BEGIN mode=initfail kernel=$(uname -r) arch=$(uname -m)"
expect_match "lkmdemo's init failed at boot: bufsize=1000 refused" \
	"*lkmdemo: bufsize=1000: must be a power of two*" "$(dmesg | grep 'lkmdemo: bufsize')"
check_fails "no /dev/lkmdemo" test -e $LKMDEMO_DEV
check_fails "no /sys/class/misc/lkmdemo" test -e $LKMDEMO_CLASS
check "the exports are still in vmlinux" grep -qE " lkmdemo_post([[:space:]]|$)" /proc/kallsyms
dmesg_mark
out=$(modprobe lkmdemo_client 2>&1)
rc=$?
expect_eq "modprobe lkmdemo_client fails" 1 "$([ $rc -ne 0 ] && echo 1 || echo 0)"
expect_match "... with ENODEV" "*No such device*" "$out"
expect_match "the client says lkmdemo is not up" "*lkmdemo_client: lkmdemo is not up (-19)*" \
	"$(dmesg_new | tr '\n' ' ')"
check_fails "no lkmdemo_client left loaded" is_module lkmdemo_client
check_fails "a second attempt fails the same way" modprobe lkmdemo_client
( TEST_GROUP=kernel-log; . /harness/tests/90-kernel-log.sh )
echo "LKMDEMO-TAP-END"
