# KUnit: built in, the suite ran at boot; as a module, it runs when lkmdemo_kunit loads.
# The host parses the KTAP from the kernel log with the kernel's kunit.py; here we check
# that it ran and what debugfs says.
no_kunit && { skip "KUnit suite" "the kernel has no KUnit"; return 0; }
if [ "$MODE" = m ]; then
	ensure_loaded
	check "modprobe lkmdemo_kunit" modprobe lkmdemo_kunit
	# lkmdemo.rst's way to see the results (the host parses the same lines with kunit.py).
	check "lkmdemo.rst: dmesg | grep -E '(not )?ok [0-9]+ ' lists results" \
		sh -c "dmesg | grep -E '(not )?ok [0-9]+ '"
fi
results=$(ls -d /sys/kernel/debug/kunit/lkmdemo* 2>/dev/null | head -n 1)
check "KUnit suite results in debugfs" test -f "$results/results"
check_fails "no failed KUnit case in debugfs" grep -q '^[[:space:]]*not ok' "$results/results"
if [ "$MODE" = m ]; then
	check "rmmod lkmdemo_kunit" rmmod lkmdemo_kunit
fi
