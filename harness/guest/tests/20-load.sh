# Loading and unloading: insmod with parameters, lsmod, /proc/modules, /sys/module,
# the greeting and goodbye in the kernel log, rmmod; bad parameters refused cleanly;
# modprobe with options from /etc/modprobe.d and through the module alias.
[ "$MODE" = m ] || { skip "insmod/rmmod" "lkmdemo is built in"; return 0; }

# Where depmod found it: kernel/drivers/misc/lkmdemo/ in a kernel tree, extra/ for
# `make modules_install` out of tree, updates/dkms/ for Debian's DKMS.
KO=/lib/modules/$(uname -r)/$(sed -n 's#^\([^:]*/lkmdemo\.ko\):.*#\1#p' /lib/modules/$(uname -r)/modules.dep)
check "lkmdemo.ko is installed" test -f "$KO"
check_fails "not loaded at boot" is_module lkmdemo

dmesg_mark
check "insmod with parameters" insmod "$KO" whom=Tester howmany=3 bufsize=8192 verbose=1 banner=first,second
expect_eq "greeting printed howmany times" 3 "$(dmesg_new | grep -c 'lkmdemo: Hello, Tester$')"
check "listed by lsmod" sh -c 'lsmod | grep -q "^lkmdemo "'
check "listed in /proc/modules, Live" sh -c 'grep -q "^lkmdemo [0-9]* 0 - Live" /proc/modules'
expect_eq "param whom" "Tester" "$(param whom)"
expect_eq "param howmany" "3" "$(param howmany)"
expect_eq "param bufsize" "8192" "$(param bufsize)"
expect_eq "param verbose" "Y" "$(param verbose)"
expect_eq "param banner (array, 2 elements)" "first,second" "$(param banner)"
expect_eq "banner lines queued in the FIFO" "$(printf 'first\nsecond')" "$(drain)"
expect_eq "capacity is bufsize" "8192" "$(attr capacity)"
for p in whom verbose; do
	expect_eq "param $p is 0644" "-rw-r--r--" "$(ls -l $LKMDEMO_PARAMS/$p | cut -c1-10)"
done
for p in howmany bufsize banner; do
	expect_eq "param $p is 0444" "-r--r--r--" "$(ls -l $LKMDEMO_PARAMS/$p | cut -c1-10)"
done
expect_eq "refcnt 0 when idle" "0" "$(cat $LKMDEMO_MOD/refcnt)"
expect_match "/sys/module/lkmdemo/version" "[0-9]*.[0-9]*" "$(cat $LKMDEMO_MOD/version)"
expect_eq "initstate live" "live" "$(cat $LKMDEMO_MOD/initstate)"

dmesg_mark
check "rmmod" rmmod lkmdemo
expect_eq "goodbye printed" 1 "$(dmesg_new | grep -c 'lkmdemo: Goodbye, Tester$')"
check_fails "gone from /proc/modules" is_module lkmdemo
check_fails "gone from /sys/module" test -e $LKMDEMO_MOD
check_fails "gone from /dev" test -e $LKMDEMO_DEV

# Bad parameters: the load fails, the log says what is allowed, nothing stays behind.
left_behind() { is_module lkmdemo || test -e $LKMDEMO_MOD || test -e $LKMDEMO_DEV; }
bad_load() {
	dmesg_mark
	check_fails "insmod $1 is refused" insmod "$KO" $1
	check_fails "nothing left after $1" left_behind
	expect_match "the log explains $1" "*$2*" "$(dmesg_new | tr '\n' ' ')"
}
bad_load howmany=101 "howmany"
bad_load howmany=-1 "howmany"
bad_load howmany=many "howmany"
bad_load bufsize=1000 "power of two"
bad_load bufsize=2097152 "power of two"
bad_load bufsize=2048 "power of two"
bad_load banner=a,b,c,d,e "banner"
check "loads again after refused loads" insmod "$KO"
check "rmmod" rmmod lkmdemo

# modprobe: options from /etc/modprobe.d, dependencies from modules.dep, the alias.
mkdir -p /etc/modprobe.d
echo "options lkmdemo whom=Modprobe howmany=2" > /etc/modprobe.d/lkmdemo.conf
dmesg_mark
check "modprobe lkmdemo" modprobe lkmdemo
expect_eq "modprobe.d option whom" "Modprobe" "$(param whom)"
expect_eq "modprobe.d option howmany" "2" "$(param howmany)"
expect_eq "greeting from modprobe.d options" 2 "$(dmesg_new | grep -c 'lkmdemo: Hello, Modprobe$')"
check "modprobe -r lkmdemo" modprobe -r lkmdemo
rm /etc/modprobe.d/lkmdemo.conf
check "modprobe through the alias lkmdemo-fifo" modprobe lkmdemo-fifo
check "the alias loaded lkmdemo" is_module lkmdemo
check "rmmod" rmmod lkmdemo
