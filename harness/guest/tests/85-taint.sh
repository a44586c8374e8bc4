# Taint flags of a module built out of tree (the field command's boots): the host
# passes the flags it expects on the kernel command line, lkmdemo_harness.taint=<letters>
# for /sys/module/lkmdemo/taint and lkmdemo_harness.tainted=<number> for
# /proc/sys/kernel/tainted. O: out-of-tree module; E: no signature the kernel trusts.
want=$(harness_arg taint)
[ -n "$want" ] || { skip "taint flags" "no expectation from the host (an in-tree build)"; return 0; }
want_n=$(harness_arg tainted)
ensure_loaded
modprobe lkmdemo_client 2>/dev/null
diag "taint: /proc/sys/kernel/tainted=$(cat /proc/sys/kernel/tainted)" \
	"/sys/module/lkmdemo/taint=$(cat $LKMDEMO_MOD/taint)" \
	"/sys/module/lkmdemo_client/taint=$(cat /sys/module/lkmdemo_client/taint 2>/dev/null)"
dmesg | grep -E 'taints kernel|tainting kernel' | while read -r line; do diag "taint: why: $line"; done
expect_eq "/sys/module/lkmdemo/taint" "$want" "$(cat $LKMDEMO_MOD/taint)"
expect_eq "/sys/module/lkmdemo_client/taint" "$want" "$(cat /sys/module/lkmdemo_client/taint)"
expect_eq "/proc/sys/kernel/tainted" "$want_n" "$(cat /proc/sys/kernel/tainted)"
# The README's command, as written there, and the output it shows.
expect_eq "README: cat /sys/module/lkmdemo/taint /proc/sys/kernel/tainted" "$(printf '%s\n%s' "$want" "$want_n")" \
	"$(cat /sys/module/lkmdemo/taint /proc/sys/kernel/tainted)"
check "the kernel log says why: out-of-tree module" sh -c "dmesg | grep -q 'loading out-of-tree module taints kernel'"
case "$want" in
*E*) check "the kernel log says why: signature and/or required key missing" \
	sh -c "dmesg | grep -q 'module verification failed: signature and/or required key missing'" ;;
esac
rmmod lkmdemo_client
