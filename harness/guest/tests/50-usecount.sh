# Use counts: an open file pins the module (fops.owner = THIS_MODULE).
[ "$MODE" = m ] || { skip "use count" "lkmdemo is built in"; return 0; }
ensure_loaded

expect_eq "refcnt 0 with no opener" "0" "$(cat $LKMDEMO_MOD/refcnt)"
exec 3<$LKMDEMO_DEV
expect_eq "refcnt 1 while /dev/lkmdemo is open" "1" "$(cat $LKMDEMO_MOD/refcnt)"
expect_match "/proc/modules shows the use" "lkmdemo * 1 *" "$(grep '^lkmdemo ' /proc/modules)"
expect_eq "openers attribute" "1" "$(attr openers)"
check_fails "rmmod refused while open" rmmod lkmdemo
check "still loaded" is_module lkmdemo
exec 3<&-
expect_eq "refcnt 0 after close" "0" "$(cat $LKMDEMO_MOD/refcnt)"
check "rmmod succeeds after close" rmmod lkmdemo
check "modprobe again" modprobe lkmdemo
