# The client module: it imports namespace LKMDEMO and posts "Hello, <whom> #<n>" lines
# into the FIFO from a timer + workqueue. modprobe pulls lkmdemo in through modules.dep;
# lkmdemo is held while the client is loaded; unloading the client stops its work.
if [ "$MODE" = m ]; then
	modprobe -r lkmdemo 2>/dev/null
	check_fails "lkmdemo not loaded before the client" is_module lkmdemo
fi
check_fails "interval_ms=5 refused" modprobe lkmdemo_client interval_ms=5
check_fails "no client left after the refused load" is_module lkmdemo_client
check "modprobe lkmdemo_client interval_ms=20" modprobe lkmdemo_client interval_ms=20
check "lkmdemo_client loaded" is_module lkmdemo_client
if [ "$MODE" = m ]; then
	check "lkmdemo loaded by modprobe as a dependency" is_module lkmdemo
	expect_match "/proc/modules: lkmdemo used by lkmdemo_client" "lkmdemo * 1 lkmdemo_client,*" \
		"$(grep '^lkmdemo ' /proc/modules)"
	check "holders/lkmdemo_client" test -e $LKMDEMO_MOD/holders/lkmdemo_client
	check_fails "rmmod lkmdemo refused while the client is loaded" rmmod lkmdemo
fi
check "client lines arrive in the FIFO" wait_for '[ $(attr fill) -gt 40 ]' 50
expect_match "lines read 'Hello, <whom> #<n>'" "Hello, $(param whom) #*" "$(drain | head -n 1)"
for sym in lkmdemo_post lkmdemo_get_whom lkmdemo_get_stats; do
	check "/proc/kallsyms has $sym" grep -qE " $sym([[:space:]]|$)" /proc/kallsyms
done
check "rmmod lkmdemo_client" rmmod lkmdemo_client
in1=$(attr bytes_in)
usleep 300000
expect_eq "no more lines after the client is gone" "$in1" "$(attr bytes_in)"
drain >/dev/null
if [ "$MODE" = m ]; then
	check "rmmod lkmdemo after the client" rmmod lkmdemo
fi
