# How the kselftest (tools/testing/selftests/drivers/misc/lkmdemo) behaves as an
# upstream selftest must: without /dev/lkmdemo it skips (KSFT_SKIP, 4) instead of
# failing, and it never discards data it did not write (with bytes queued, its FIFO
# tests skip). Its results on the driver are the next group's.
bin=/harness/bin/lkmdemo_test
[ -x $bin ] || { fail "the kselftest binary is missing"; return 0; }
if [ "$MODE" = m ]; then
	! is_module lkmdemo || rmmod lkmdemo
	$bin > /tmp/ksft.out 2>&1
	expect_eq "lkmdemo_test skips without /dev/lkmdemo (exit 4)" 4 "$?"
fi
ensure_loaded
drain > /dev/null
printf keep > $LKMDEMO_DEV
$bin > /tmp/ksft.out 2>&1
expect_eq "lkmdemo_test passes with someone else's data queued" 0 "$?"
expect_eq "lkmdemo_test left someone else's data alone" keep "$(drain)"
# LKMDEMO_DEVICE names the device to test: one it does not know is an error that says
# so (KSFT_FAIL, 1), not a silent test of /dev/lkmdemo.
LKMDEMO_DEVICE=/dev/null $bin > /tmp/ksft.out 2>&1
expect_eq "LKMDEMO_DEVICE=/dev/null is refused (exit 1)" 1 "$?"
check "... with the reason" grep -q 'LKMDEMO_DEVICE=/dev/null: not /dev/lkmdemo or /dev/lkmdemo_rs' /tmp/ksft.out
rs_test=/harness/bin/kselftest/drivers/misc/lkmdemo/lkmdemo_rs_test.sh
if [ -x $rs_test ] && [ ! -e /dev/lkmdemo_rs ]; then
	$rs_test > /tmp/ksft.out 2>&1
	expect_eq "lkmdemo_rs_test.sh skips without /dev/lkmdemo_rs (exit 4)" 4 "$?"
fi
