# SPDX-License-Identifier: GPL-2.0
# Exercise 06-namespace (importing a symbol namespace), host checks; sourced by
# harness/lib/exercises.sh with D = the scratch copy's drivers/misc/lkmdemo and EX_OUT
# holding the build logs. Prints TAP lines. The build itself is checked by ex_build.

# The build log of the grading kernel says nothing about namespaces.
modpost_quiet()
{
	local l
	l=$(ls "$EX_OUT"/build-*.log 2>/dev/null | grep -v -e '/build-old-' -e '\.salvage$' | head -n 1) &&
		[ -n "$l" ] || return 1
	! grep -hE 'from namespace|MODULE_IMPORT_NS' "$l"
}
# The driver's C files other than compat.h.
not_compat() { ls "$D"/*.[ch] | grep -v -e '/compat\.h$' -e '\.mod\.c$'; }

hcheck "modpost reports no namespace problem" \
	"modpost checks at build time what the loader checks at load time: a module using a symbol of namespace LKMDEMO must import it" \
	modpost_quiet
hcheck_other_kernel "builds on the oldest supported kernel too, namespaces included" \
	"before 6.13 the namespace is an identifier: MODULE_IMPORT_NS(LKMDEMO); from 6.13 a string: MODULE_IMPORT_NS(\"LKMDEMO\"); a wrapper in compat.h picks the right one (there is one already)"
hcheck "no kernel-version conditionals outside compat.h" \
	"keep LINUX_VERSION_CODE, KERNEL_VERSION() and LKMDEMO_KERNEL_GE() in compat.h, the one file that looks at kernel versions" \
	not grep -nE 'LINUX_VERSION_CODE|KERNEL_VERSION\(|LKMDEMO_KERNEL_GE' $(not_compat)
