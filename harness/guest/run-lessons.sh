# SPDX-License-Identifier: GPL-2.0
# The lessons' guest command blocks (lessons/*/*.md), inside the guest: each lesson's
# script (generated on the host by harness/lib/lessons.py into /harness/bin/lessons/)
# runs from a fresh state - none of our modules loaded, the kernel log cleared, no
# modprobe.d options, in /root - and its output goes to the console between markers.
# The host compares it with the lessons' expected output.

dir=/harness/bin/lessons

# fresh_state: what every lesson may assume at its start.
fresh_state()
{
	for m in lkmdemo_client lkmdemo_kunit lkmdemo; do
		grep -q "^$m " /proc/modules && rmmod "$m"
	done
	# The examples (/root/<example>/*.ko), users before what they use: two passes.
	# Never buggy.ko: after its oops a task still holds its debugfs file, and rmmod
	# would wait for ever (the debugging lesson runs last for that reason).
	for pass in 1 2; do
		for ko in /root/*/*.ko; do
			[ -f "$ko" ] || continue
			m=$(basename "$ko" .ko | tr - _)
			[ "$m" = buggy ] && continue
			grep -q "^$m " /proc/modules && rmmod "$m" 2>/dev/null
		done
	done
	echo 1 > /proc/sys/kernel/printk
	echo 0 > /sys/kernel/debug/tracing/tracing_on 2>/dev/null
	rm -rf /etc/modprobe.d /tmp/lesson
	mkdir -p /tmp/lesson
	dmesg -c >/dev/null
}

echo "LKMDEMO-LESSONS-BEGIN kernel=$(uname -r) arch=$(uname -m)"
if [ ! -f $dir/index ]; then
	echo "no lessons in $dir"
else
	while read -r script name; do
		fresh_state
		echo "LKMDEMO-LESSON-BEGIN $name"
		# A command that blocks must not stop the other lessons.
		(cd /root && timeout 300 sh "$dir/$script")
		echo "LKMDEMO-LESSON-END $name rc=$?"
	done < $dir/index
fi
echo "LKMDEMO-LESSONS-END"
