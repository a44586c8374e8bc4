# SPDX-License-Identifier: GPL-2.0
# Exercise 09-sysfs (a sysfs attribute), host checks on the ABI entry; sourced by
# harness/lib/exercises.sh with EX_SRC = the scratch copy. Prints TAP lines. The
# What: paths of the ABI file go to the guest (EX_OUT/stage/abi-paths.txt), which checks
# that each exists in the running kernel and that every attribute has one.

ABI=$EX_SRC/Documentation/ABI/testing/sysfs-driver-lkmdemo
# The attribute's path, as the class or as the device sees it: either may be documented.
OPENS='/sys/(class/misc|devices/virtual/misc)/lkmdemo/opens'
# The ABI entry of opens: from its What: line to the next blank line.
entry() { awk -v re="^What:[[:space:]]+$OPENS\$" '$0 ~ re { on = 1 } on && /^$/ { exit } on' "$ABI"; }

mkdir -p "$EX_OUT/stage"
awk '/^What:/ { sub(/^What:[ \t]*/, ""); sub(/[ \t]+$/, ""); print }' "$ABI" > "$EX_OUT/stage/abi-paths.txt" 2>/dev/null

hcheck "the ABI file has an entry for the opens attribute" \
	"add an entry to Documentation/ABI/testing/sysfs-driver-lkmdemo whose What: line names /sys/class/misc/lkmdemo/opens" \
	grep -qE "^What:[[:space:]]+$OPENS\$" "$ABI"
for f in Date KernelVersion Contact Description; do
	hcheck "the opens entry has $f:" \
		"every ABI entry has What:, Date:, KernelVersion:, Contact: and Description: (Documentation/ABI/README; copy the layout of the entries around it)" \
		grep -q "^$f:" <(entry)
done
hcheck "the opens entry says it is read-only and what it counts" \
	"start the description with (RO), as the other entries do, and say that it counts opens" \
	grep -qiE '^[[:space:]]+\(RO\).*open' <(entry)
# What the built module imports: sysfs_emit() knows the buffer is a sysfs page;
# sprintf() and friends into buf are what checkpatch warns about.
no_sprintf() { ! nm -u "$EX_OUT/lkmdemo.ko" | grep -wE 'v?s(n|cn)?printf'; }
hcheck "lkmdemo.ko formats its sysfs values with sysfs_emit(), not sprintf()" \
	"show a value with sysfs_emit(buf, \"%llu\\n\", ...): it knows the buffer is one sysfs page" \
	no_sprintf
