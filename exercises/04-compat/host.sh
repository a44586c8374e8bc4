# SPDX-License-Identifier: GPL-2.0
# Exercise 04 (a compat.h wrapper for from_timer() -> timer_container_of()), host checks;
# sourced by harness/lib/exercises.sh with D = the scratch copy's drivers/misc/lkmdemo.
# Prints TAP lines. The build against the grading kernel is checked by ex_build.

# The driver's C files other than compat.h.
not_compat() { ls "$D"/*.[ch] | grep -v -e '/compat\.h$' -e '\.mod\.c$'; }

hcheck_other_kernel "builds on a second, older kernel too" \
	"the old kernel has from_timer() and no timer_container_of(): your wrapper must pick the right one (test for the macro with #ifdef)"
hcheck "no version checks outside compat.h" \
	"keep LINUX_VERSION_CODE, KERNEL_VERSION() and LKMDEMO_KERNEL_GE() in compat.h; the .c files call the wrapper" \
	not grep -nE 'LINUX_VERSION_CODE|KERNEL_VERSION\(|LKMDEMO_KERNEL_GE' $(not_compat)
hcheck "lkmdemo_client.c calls a wrapper, not from_timer()/timer_container_of()" \
	"call your lkmdemo_-prefixed wrapper from lkmdemo_client_tick()" \
	not grep -nE '(^|[^_a-z])(from_timer|timer_container_of)\(' "$D/lkmdemo_client.c"
hcheck "compat.h defines no kernel name" \
	"never #define from_timer or timer_container_of yourself: stable kernels backport new names, and yours would clash; name the wrapper lkmdemo_..." \
	not grep -nE '^#[[:space:]]*define[[:space:]]+(from_timer|timer_container_of)([^_a-z0-9]|$)' "$D/compat.h"
