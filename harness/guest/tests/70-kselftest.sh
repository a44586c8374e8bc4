# The kselftest (tools/testing/selftests/drivers/misc/lkmdemo), built by the kernel's
# selftests build for this arch; a 32-bit build too where there is one (compat_ioctl).
# Each of its results becomes one result here.
bin=/harness/bin/lkmdemo_test
# Without the device, the whole program skips (KSFT_SKIP, 4) instead of failing.
if [ "$MODE" = m ] && [ -x $bin ]; then
	! is_module lkmdemo || rmmod lkmdemo
	$bin > /tmp/ksft.out 2>&1
	expect_eq "lkmdemo_test skips without /dev/lkmdemo (exit 4)" 4 "$?"
fi
ensure_loaded
# It never discards data it did not write: with bytes queued, its FIFO tests skip.
if [ -x $bin ]; then
	drain > /dev/null
	printf keep > $LKMDEMO_DEV
	$bin > /tmp/ksft.out 2>&1
	expect_eq "lkmdemo_test passes with someone else's data queued" 0 "$?"
	expect_eq "lkmdemo_test left someone else's data alone" keep "$(drain)"
fi
for bin in /harness/bin/lkmdemo_test /harness/bin/lkmdemo_test_32; do
	[ -x "$bin" ] || continue
	name=$(basename "$bin")
	"$bin" > /tmp/ksft.out 2>&1
	rc=$?
	sed -n 's/^\(not \)\{0,1\}ok [0-9]* /&/p' /tmp/ksft.out | while read -r line; do
		case "$line" in
		"not ok "*) fail "$name: ${line#not ok [0-9]* }" ;;
		"ok "*"# SKIP"*) d=${line#ok [0-9]* }; skip "$name: ${d%% \# SKIP*}" "${d#*\# SKIP}" ;;
		"ok "*) pass "$name: ${line#ok [0-9]* }" ;;
		esac
	done
	grep -v '^\(not \)\{0,1\}ok [0-9]' /tmp/ksft.out | sed 's/^/# /' | tail -n 40
	expect_eq "$name exit status" 0 "$rc"
done
[ -x /harness/bin/lkmdemo_test ] || fail "the kselftest binary is missing"
