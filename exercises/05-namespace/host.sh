# SPDX-License-Identifier: GPL-2.0
# Exercise 05 (importing a symbol namespace), host checks; sourced by
# harness/lib/exercises.sh with D = the scratch copy's drivers/misc/lkmdemo and EX_OUT
# holding the build logs. Prints TAP lines. The build itself is checked by ex_build.

# The build log of the grading kernel says nothing about namespaces.
modpost_quiet()
{
	local l
	l=$(ls "$EX_OUT"/build-*.log 2>/dev/null | head -n 1) && [ -n "$l" ] || return 1
	! grep -h 'namespace' "$l"
}

hcheck "modpost reports no namespace problem" \
	"modpost checks at build time what the loader checks at load time: a module using a symbol of namespace LKMDEMO must import it" \
	modpost_quiet
hcheck "lkmdemo_client.c imports through the compat.h wrapper" \
	"MODULE_IMPORT_NS() takes an identifier before 6.13 and a string from 6.13: LKMDEMO_IMPORT_NS() in compat.h hides that" \
	grep -q '^LKMDEMO_IMPORT_NS();' "$D/lkmdemo_client.c"
hcheck "no version checks outside compat.h" \
	"keep LINUX_VERSION_CODE and KERNEL_VERSION() in compat.h" \
	not grep -nE 'LINUX_VERSION_CODE|KERNEL_VERSION\(|LKMDEMO_KERNEL_GE' "$D/lkmdemo_client.c"
hcheck_other_kernel "builds on a second, older kernel too" \
	"before 6.13 the namespace is an identifier: MODULE_IMPORT_NS(LKMDEMO); from 6.13 a string: MODULE_IMPORT_NS(\"LKMDEMO\"); the wrapper picks the right one"
