# The commands that README and Documentation/misc-devices/lkmdemo.rst tell a user to
# type on a running kernel, run here as they are written there, each with what it must
# do. The gate doc-commands (harness/lib/doc-commands.py) checks that this file holds
# each command's documented text, as harness/doc-commands says; change a command in the
# documents and this file together. The KUnit module's commands are in 80-kunit.sh (it
# may run once per boot), the taint check's in 85-taint.sh.
[ "$MODE" = m ] || { skip "the documented module commands" "lkmdemo is built in"; return 0; }
modprobe -r lkmdemo_client lkmdemo 2>/dev/null
check_fails "lkmdemo not loaded before the documented commands" is_module lkmdemo

# README, user story 1.
dmesg_mark
check "README: modprobe lkmdemo whom=you howmany=3" modprobe lkmdemo whom=you howmany=3
expect_eq "README: dmesg | tail -3 shows the three greetings" 3 \
	"$(dmesg | tail -3 | grep -c 'lkmdemo: Hello, you$')"
check "rmmod lkmdemo" rmmod lkmdemo
# README, DKMS (after dkms install; here the in-tree module).
check "README: modprobe lkmdemo" modprobe lkmdemo
check "rmmod lkmdemo" rmmod lkmdemo

# lkmdemo.rst, "Setting parameters": insmod in the module's directory.
cd "$(dirname "/lib/modules/$(uname -r)/$(sed -n 's#^\([^:]*/lkmdemo\.ko\):.*#\1#p' \
	"/lib/modules/$(uname -r)/modules.dep")")" || { fail "no directory of lkmdemo.ko"; return 0; }
check "lkmdemo.rst: insmod lkmdemo.ko whom=Alice howmany=3 bufsize=131072 banner=hello,world" \
	insmod lkmdemo.ko whom=Alice howmany=3 bufsize=131072 banner=hello,world
expect_eq "  whom, bufsize and banner as given" "Alice 131072 hello,world" \
	"$(param whom) $(param bufsize) $(param banner)"
drain > /dev/null
check "rmmod lkmdemo" rmmod lkmdemo
check "lkmdemo.rst: modprobe lkmdemo whom=Alice verbose=1" modprobe lkmdemo whom=Alice verbose=1
expect_eq "  whom and verbose as given" "Alice Y" "$(param whom) $(param verbose)"
check "rmmod lkmdemo" rmmod lkmdemo
if insmod lkmdemo.ko 'whom="big world"' 'banner="first line,second line"' > /tmp/check.out 2>&1; then
	pass "lkmdemo.rst: a value with spaces, quoted"
else
	fail "lkmdemo.rst: a value with spaces, quoted"; sed 's/^/#   /' /tmp/check.out
fi
expect_eq "  whom has its space" "big world" "$(param whom)"
expect_eq "  the banner lines have theirs" "$(printf 'first line\nsecond line')" "$(drain)"
check "lkmdemo.rst: echo Bob > /sys/module/lkmdemo/parameters/whom" \
	sh -c "echo Bob > /sys/module/lkmdemo/parameters/whom"
expect_eq "  whom is Bob" Bob "$(param whom)"
check "lkmdemo.rst: echo 1 > /sys/module/lkmdemo/parameters/verbose" \
	sh -c "echo 1 > /sys/module/lkmdemo/parameters/verbose"
expect_eq "  verbose is Y" Y "$(param verbose)"
check "rmmod lkmdemo" rmmod lkmdemo
cd /

# lkmdemo.rst, "A quick test", in one shell as a user types it; its output as there.
# Into a file, bounded by timeout: a background cat that outlives the test must not
# hold the test's output open (7.2 x86_64 once hung here).
timeout 30 sh -c '
modprobe lkmdemo banner=hello
cat /dev/lkmdemo &
usleep 300000
echo world > /dev/lkmdemo
usleep 300000
cat /sys/class/misc/lkmdemo/bytes_in
kill %1 || echo "kill %1 failed"
wait
' > /tmp/quick.out 2>&1
expect_eq "lkmdemo.rst: the quick test prints hello, world, 12" "$(printf 'hello\nworld\n12')" "$(cat /tmp/quick.out)"
killall cat 2>/dev/null
check "rmmod lkmdemo" rmmod lkmdemo

# lkmdemo.rst, the client: two of its lines.
check "lkmdemo.rst: modprobe lkmdemo_client interval_ms=500" modprobe lkmdemo_client interval_ms=500
expect_match "lkmdemo.rst: head -n 2 /dev/lkmdemo" "Hello, * #*Hello, * #*" \
	"$(head -n 2 /dev/lkmdemo | tr -d '\n')"
check "rmmod lkmdemo_client lkmdemo" rmmod lkmdemo_client lkmdemo
