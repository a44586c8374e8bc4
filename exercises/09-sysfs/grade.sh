# SPDX-License-Identifier: GPL-2.0
# Exercise 09-sysfs (a sysfs attribute), guest checks on /sys/class/misc/lkmdemo/opens.
# Sourced by harness/guest/run-exercises.sh: KO is this variant's lkmdemo.ko.

A=/sys/class/misc/lkmdemo/opens
opens() { cat $A 2>/dev/null; }
# open_close: one open(2) and close(2) of /dev/lkmdemo, no I/O.
# (In a subshell: a failed redirection of exec would end the grader's shell.)
open_close() { ( exec 3< /dev/lkmdemo ) 2>/dev/null; }

gcheck "lkmdemo loads" "insmod of your lkmdemo.ko fails: see dmesg" insmod "$KO"
gcheck "/sys/class/misc/lkmdemo/opens exists" \
	"define opens_show(), declare it with DEVICE_ATTR_RO(opens) and list &dev_attr_opens.attr in lkmdemo_attrs[]" \
	test -f $A
geq "opens is read-only (0444)" \
	"DEVICE_ATTR_RO() gives mode 0444: a counter is not for writing" \
	"-r--r--r--" "$(ls -l $A 2>/dev/null | cut -c1-10)"
v0=$(opens)
gcheck "opens reads one decimal number and a newline" \
	"show it with sysfs_emit(buf, \"%llu\\n\", ...): one value per file, newline-terminated" \
	sh -c "[ \"\$(wc -l < $A)\" = 1 ] && grep -qxE '[0-9]+' $A"
geq "opens is 0 right after loading" "count successful opens since the load: read the opens field of the device's snapshot (lkmdemo_snapshot(dev).opens)" \
	0 "$v0"
open_close
open_close
open_close
geq "opens counts three opens" "each successful open(2) of /dev/lkmdemo must add one" 3 "$(opens)"
geq "reading opens does not change it" "a show() function must not have side effects" 3 "$(opens)"
gcheck_fails "opens refuses writes" "a read-only attribute has no store(): DEVICE_ATTR_RO" \
	sh -c "echo 7 > $A"
# The ABI file's What: paths (from the host): each exists, and every attribute of the
# device has one (by either of its paths).
abi_missing() { while read -r p; do [ -e "$p" ] || echo "$p"; done < ./abi-paths.txt; }
abi_undocumented()
{
	local f
	for f in /sys/class/misc/lkmdemo/*; do
		case "${f##*/}" in dev|uevent|power|subsystem) continue ;; esac
		grep -qxE "/sys/(class/misc|devices/virtual/misc)/lkmdemo/${f##*/}" ./abi-paths.txt || echo "$f"
	done
}
geq "every What: path of the ABI file exists in the running kernel" \
	"a documented path must be the attribute's real path: /sys/class/misc/lkmdemo/<name>" \
	"" "$(abi_missing | tr '\n' ' ')"
geq "every attribute of the device has an ABI entry" \
	"document every sysfs file you add in Documentation/ABI/testing/sysfs-driver-lkmdemo" \
	"" "$(abi_undocumented | tr '\n' ' ')"
for a in bytes_in bytes_out bytes_flushed openers fill capacity write_lowat; do
	gcheck "the other attribute $a is still there" \
		"keep the other entries of lkmdemo_attrs[] (and the terminating NULL)" test -f /sys/class/misc/lkmdemo/$a
done
gcheck "rmmod" "rmmod lkmdemo fails" rmmod lkmdemo
