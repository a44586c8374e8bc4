# Built in (LKMDEMO=y): the driver is there from boot, with the parameters given on the
# kernel command line as lkmdemo.<param>=<value>.
[ "$MODE" = y ] || { skip "built-in driver" "lkmdemo is a module"; return 0; }

check_fails "not in /proc/modules (built in)" is_module lkmdemo
check "/sys/module/lkmdemo/parameters exists" test -d $LKMDEMO_PARAMS
check "/dev/lkmdemo exists at boot" test -c $LKMDEMO_DEV
expect_eq "command-line lkmdemo.whom" "Builtin" "$(param whom)"
expect_eq "command-line lkmdemo.howmany" "2" "$(param howmany)"
expect_eq "command-line lkmdemo.bufsize" "16384" "$(param bufsize)"
expect_eq "command-line lkmdemo.banner" "boot1,boot2" "$(param banner)"
expect_eq "capacity from the command line" "16384" "$(attr capacity)"
expect_eq "greeting at boot, howmany times" 2 "$(dmesg | grep -c 'lkmdemo: Hello, Builtin$')"
expect_eq "banner lines queued at boot" "$(printf 'boot1\nboot2')" "$(drain)"
check_fails "rmmod of a built-in driver fails" rmmod lkmdemo
