# /dev/lkmdemo and /sys/class/misc/lkmdemo: the node, a write/read round trip, the
# statistics attributes, and validation of the writable attribute and parameters.
ensure_loaded

expect_match "/dev/lkmdemo is a char device, mode 0600" "crw-------*" "$(ls -l $LKMDEMO_DEV)"
expect_eq "device number matches sysfs" "$(cat $LKMDEMO_CLASS/dev)" \
	"$(printf '%d:%d' 0x$(stat -c %t $LKMDEMO_DEV) 0x$(stat -c %T $LKMDEMO_DEV))"
expect_match "misc major 10" "10:*" "$(cat $LKMDEMO_CLASS/dev)"
for a in bytes_in bytes_out bytes_flushed opens openers fill capacity write_lowat; do
	check "attribute $a exists" test -f $LKMDEMO_CLASS/$a
done
drain >/dev/null
in0=$(attr bytes_in) out0=$(attr bytes_out)
printf 'hello, fifo' > $LKMDEMO_DEV
expect_eq "fill after an 11-byte write" "11" "$(attr fill)"
expect_eq "read back what was written" "hello, fifo" "$(head -c 11 $LKMDEMO_DEV)"
expect_eq "bytes_in counted" "$((in0 + 11))" "$(attr bytes_in)"
expect_eq "bytes_out counted" "$((out0 + 11))" "$(attr bytes_out)"
expect_eq "empty again" "0" "$(attr fill)"
expect_eq "stats invariant in = out + flushed + fill" "$(attr bytes_in)" \
	"$(( $(attr bytes_out) + $(attr bytes_flushed) + $(attr fill) ))"

# write_lowat: 1..capacity; anything else is EINVAL and the old value stays.
cap=$(attr capacity)
lowat=$(attr write_lowat)
expect_eq "write_lowat defaults to PIPE_BUF" "4096" "$lowat"
for bad in 0 $((cap + 1)) -5 abc ""; do
	check_fails "write_lowat='$bad' refused" sh -c "echo '$bad' > $LKMDEMO_CLASS/write_lowat"
	expect_eq "write_lowat unchanged after '$bad'" "$lowat" "$(attr write_lowat)"
done
check "write_lowat=100 accepted" sh -c "echo 100 > $LKMDEMO_CLASS/write_lowat"
expect_eq "write_lowat reads back 100" "100" "$(attr write_lowat)"
echo "$lowat" > $LKMDEMO_CLASS/write_lowat

# Parameters through sysfs. howmany only acts at load (range-checked then by its
# kernel_param_ops, see 20-load.sh): read-only afterwards, even for root.
howmany=$(param howmany)
for v in 5 101 x; do
	check_fails "howmany='$v' refused (read-only)" sh -c "echo '$v' > $LKMDEMO_PARAMS/howmany"
	expect_eq "howmany unchanged after '$v'" "$howmany" "$(param howmany)"
done
whom=$(param whom)
check "whom writable" sh -c "echo Someone > $LKMDEMO_PARAMS/whom"
expect_eq "whom reads back" "Someone" "$(param whom)"
echo "$whom" > $LKMDEMO_PARAMS/whom
check_fails "bufsize is read-only" sh -c "echo 4096 > $LKMDEMO_PARAMS/bufsize"
check_fails "banner is read-only" sh -c "echo x > $LKMDEMO_PARAMS/banner"
check "verbose writable" sh -c "echo 1 > $LKMDEMO_PARAMS/verbose && echo 0 > $LKMDEMO_PARAMS/verbose"

# Dynamic debug: the last opener's comm and pid.
if [ -f /sys/kernel/debug/dynamic_debug/control ]; then
	echo 'module lkmdemo +p' > /sys/kernel/debug/dynamic_debug/control
	dmesg_mark
	sh -c 'exec 3</dev/lkmdemo; echo $$ > /tmp/opener.pid'
	expect_match "dynamic debug names the opener" "*opened by sh (pid $(cat /tmp/opener.pid))*" "$(dmesg_new | tr '\n' ' ')"
	echo 'module lkmdemo -p' > /sys/kernel/debug/dynamic_debug/control
else
	skip "dynamic debug names the opener" "no dynamic_debug/control"
fi

# whom drops the newline of echo, and refuses more than one line.
whom=$(param whom)
echo Newline > $LKMDEMO_PARAMS/whom
# param_get_charp prints the value and one newline: 8 bytes for "Newline".
expect_eq "whom stored without echo's newline" 8 "$(( $(wc -c < $LKMDEMO_PARAMS/whom) ))"
check_fails "whom of two lines refused" sh -c "printf 'a\nb\n' > $LKMDEMO_PARAMS/whom"
expect_eq "whom unchanged after the refused value" "Newline" "$(param whom)"
echo "$whom" > $LKMDEMO_PARAMS/whom
