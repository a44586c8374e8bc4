# lkmdemo_rs, the Rust twin (drivers/misc/lkmdemo/lkmdemo_rs.rs), in a kernel built with
# it (profile rust): its device beside /dev/lkmdemo, its parameters checked at load, the
# same bytes through it, and the kselftest run against it by run_kselftest.sh
# (lkmdemo_rs_test.sh, in 70-kselftest.sh) with nothing failed and a reason for every skip.
RS=lkmdemo_rs
RS_DEV=/dev/$RS
rs_ko=$(sed -n "s#^\([^:]*/$RS\.ko\):.*#\1#p" /lib/modules/$(uname -r)/modules.dep 2>/dev/null)
if [ -z "$rs_ko" ] && [ ! -e /sys/class/misc/$RS ]; then
	skip "lkmdemo_rs" "this kernel was built without it (CONFIG_LKMDEMO_RS)"
	return 0
fi

if [ "$MODE" = m ]; then
	KO=/lib/modules/$(uname -r)/$rs_ko
	is_module $RS && rmmod $RS
	rs_left() { is_module $RS || test -e $RS_DEV; }
	# Bad parameters: refused with a reason in the log, nothing left behind.
	for bad in bufsize=1000 bufsize=2097152 bufsize=2048 howmany=101; do
		dmesg_mark
		check_fails "insmod $RS $bad is refused" insmod "$KO" $bad
		check_fails "nothing left after $bad" rs_left
		expect_match "the log explains $bad" "*$RS: $bad: must be *" "$(dmesg_new | tr "\n" " ")"
	done
	dmesg_mark
	check "insmod $RS howmany=2 bufsize=8192" insmod "$KO" howmany=2 bufsize=8192
	expect_eq "greeting printed howmany times" 2 "$(dmesg_new | grep -c "$RS: Hello, world\$")"
	check "$RS_DEV exists" test -c $RS_DEV
	# Three pages into a FIFO of two: the writer blocks after 8192 bytes until the
	# timeout ends it; then the reader gets those 8192 and blocks until its timeout.
	timeout 2 dd if=/dev/zero of=$RS_DEV bs=4096 count=3 2>/dev/null
	expect_eq "the FIFO holds bufsize bytes" 8192 "$(timeout 2 cat $RS_DEV | wc -c)"
	dmesg_mark
	check "rmmod $RS" rmmod $RS
	expect_eq "goodbye printed" 1 "$(dmesg_new | grep -c "$RS: Goodbye, world\$")"
	check_fails "gone from /dev" test -e $RS_DEV
	# The example of Documentation/misc-devices/lkmdemo.rst, as written there.
	check "modprobe lkmdemo_rs bufsize=8192" modprobe lkmdemo_rs bufsize=8192
	echo hello > /dev/lkmdemo_rs
	expect_eq "the document's example reads back hello" hello "$(head -n 1 /dev/lkmdemo_rs)"
else
	check "$RS is built in (modules.builtin)" \
		grep -q "/$RS\.ko\$" /lib/modules/$(uname -r)/modules.builtin
fi

check "$RS_DEV beside $LKMDEMO_DEV" test -c $RS_DEV -a -c $LKMDEMO_DEV
expect_eq "$RS_DEV is mode 0600" "crw-------" "$(ls -l $RS_DEV | cut -c1-10)"
expect_eq "misc major 10" 10 "$(cut -d: -f1 /sys/class/misc/$RS/dev)"
printf 'through Rust\n' > $RS_DEV
expect_eq "bytes written come back" "through Rust" "$(head -n 1 $RS_DEV)"

# The kselftest's section of 70-kselftest.sh: lkmdemo_rs_test.sh ran, not skipped.
if [ -f /tmp/ksft.out ]; then
	check "the kselftest ran against $RS_DEV" \
		grep -q "^ok [0-9]* selftests: drivers/misc/lkmdemo: lkmdemo_rs_test.sh\$" /tmp/ksft.out
	check "every skip of it names its reason" sh -c \
		"! sed -n '/lkmdemo_rs_test.sh/,\$p' /tmp/ksft.out | grep -E '# SKIP *\$'"
else
	fail "the kselftest did not run before this group (70-kselftest.sh)"
fi
