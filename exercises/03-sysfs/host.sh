# SPDX-License-Identifier: GPL-2.0
# Exercise 03 (a sysfs attribute), host checks on the ABI entry and the show function;
# sourced by harness/lib/exercises.sh with EX_SRC = the scratch copy. Prints TAP lines.

ABI=$EX_SRC/Documentation/ABI/testing/sysfs-driver-lkmdemo
# The ABI entry of opens: from its What: line to the next blank line.
entry() { awk '/^What:[[:space:]]+\/sys\/class\/misc\/lkmdemo\/opens$/ { on = 1 } on && /^$/ { exit } on' "$ABI"; }

hcheck "the ABI file documents What: /sys/class/misc/lkmdemo/opens" \
	"add an entry to Documentation/ABI/testing/sysfs-driver-lkmdemo that starts 'What:<TAB><TAB>/sys/class/misc/lkmdemo/opens'" \
	grep -qE '^What:[[:space:]]+/sys/class/misc/lkmdemo/opens$' "$ABI"
for f in Date KernelVersion Contact Description; do
	hcheck "the opens entry has $f:" \
		"every ABI entry has What:, Date:, KernelVersion:, Contact: and Description: (copy the layout of the entries around it)" \
		grep -q "^$f:" <(entry)
done
hcheck "the opens entry says it is read-only and what it counts" \
	"start the description with (RO), as the other entries do, and say what is counted" \
	grep -qE '^[[:space:]]+\(RO\).*open' <(entry)
hcheck "opens_show() uses sysfs_emit()" \
	"sysfs_emit() knows the buffer is PAGE_SIZE and sysfs; sprintf()/snprintf() into buf is what checkpatch warns about" \
	grep -qE 'sysfs_emit\(buf, .*\.opens\)|sysfs_emit\(buf, .*opens' <(sed -n '/opens_show(/,/^}/p' "$D/sysfs.c")
