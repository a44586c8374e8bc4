# SPDX-License-Identifier: GPL-2.0
# Exercise 08-compat (a compat.h wrapper for from_timer() -> timer_container_of()), host checks;
# sourced by harness/lib/exercises.sh with D = the scratch copy's drivers/misc/lkmdemo.
# Prints TAP lines. The build against the grading kernel (7.2: timer_container_of()
# only) is checked by ex_build; here the build against the oldest supported kernel
# (5.10: from_timer() only), which is never skipped, and the task's two rules.

# The driver's C files other than compat.h.
not_compat() { ls "$D"/*.[ch] | grep -v -e '/compat\.h$' -e '\.mod\.c$'; }

hcheck_other_kernel "builds on the oldest supported kernel too" \
	"Linux 5.10 has from_timer() and no timer_container_of(): your wrapper must pick the name the kernel has (test for the macro with #ifdef, or compare versions in compat.h)"
hcheck "no kernel-version or kernel-API conditionals outside compat.h" \
	"keep LINUX_VERSION_CODE, KERNEL_VERSION(), LKMDEMO_KERNEL_GE() and #ifdef tests of kernel names in compat.h; the .c files call the wrapper" \
	not grep -nE 'LINUX_VERSION_CODE|KERNEL_VERSION\(|LKMDEMO_KERNEL_GE|^[[:space:]]*#[[:space:]]*(el)?if.*(timer_container_of|from_timer)' $(not_compat)
hcheck "compat.h defines no kernel name" \
	"never #define from_timer or timer_container_of yourself, not even under #ifndef: stable kernels backport new names, and yours would clash; name the wrapper lkmdemo_..." \
	not grep -nE '^[[:space:]]*#[[:space:]]*define[[:space:]]+(from_timer|timer_container_of)([^_a-z0-9]|$)' "$D/compat.h"
