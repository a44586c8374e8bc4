# SPDX-License-Identifier: GPL-2.0
# Every knob of the harness, with its one default, in one table. harness/run reads it
# before anything else: VAR=value arguments are checked against it, `harness/run help`
# prints it, and knobs_apply gives each unset knob its default (exported, so the same
# value reaches every step and the guest's command line). Nothing else may hold a default
# for one of these; code reads the variable.
#
# A default is a shell word evaluated in table order, so it may use an earlier knob.
# An empty default means "not set": the command decides (KVER, ARCH: see the text).

# name|default|what it is
KNOBS_TABLE='KVER||kernel: 5.10, 6.1, 6.12 or 7.2. test: all of them; the other commands: 7.2
ARCH||arch, one of harness/arches/: test: x86_64 and arm; demo: arm; the others: x86_64
MODE|m|LKMDEMO=n, m or y (cell, shell)
KDIR||your kernel tree, used instead of KVER (a copy gets the series unless it has it)
JOBS|$(( $(nproc) + 1 ))|make -j of kernel builds
ACCEL||tcg or kvm: force QEMU'"'"'s accelerator (unset: kvm where a probe boot works, else tcg)
LKMDEMO_CACHE|/var/cache/lkmdemo|downloads, kernel trees, ccache (shared by runs, locked)
LKMDEMO_WORK|$LKMDEMO_CACHE/work|applied trees, build directories and run results of this user
TIER|ci|test: ci = the newest and oldest kernel (7.2, 5.10) on SUPPORTED_ARCHES (x86_64 arm); full = every kernel on every arch of harness/arches/
SHARD||i/n: test runs the i-th of n deterministic shares of its units (harness/run plan lists them)
BENCH_REPS|5|bench: repetitions of each measurement
BENCH_MS|60|bench: target milliseconds of one measurement (guest time, -icount under TCG)
BENCH_ICOUNT|1|bench: 1 = under TCG count guest time in instructions (-icount, repeatable); 0 = wall clock (a 2-CPU arm guest hangs at boot with -icount)
STRESS_KIND|kasan|stress: the kind of debug kernel: kasan (memory errors), kcsan (data races; not on 32-bit ARM) or rt (PREEMPT_RT, lockdep and the other checkers without a sanitizer)
STRESS_JOBS|2|stress: make -j of the debug kernel
STRESS_TIMEOUT|7200|stress: seconds the guest may run
STRESS_SECONDS|60|stress: seconds of each record traffic test
STRESS_CYCLES|500|stress: load/unload cycles
STRESS_FUZZ|20000|stress: random inputs
DOCS_FULL|0|1: the docs gate builds all of userspace-api (about 3 min instead of 25 s)
QEMU_TCG_EXTRA||more QEMU options for a TCG guest (bench sets -icount)
PROGRESS_EVERY|30|seconds between progress lines of a kernel build
PROFILE||cell, profiles: a profile cell of harness/profiles/ (next, clang, signing: the files with a KERNEL)
DEBIAN|12|field: the Debian releases whose kernels are tested, e.g. "12 13 11 sid" (lib/field.sh)
EXERCISE_DIR|$LKMDEMO_WORK/exercises|exercise: where your copies of the exercises go
MODULE_DIR||shell: a directory with your own module (a Makefile or Kbuild with obj-m); built out of tree (M=) against the booted kernel, its .ko files in the guest'"'"'s /root/<dir name>/
DEV_GROUPS||dev: guest test groups to run, e.g. "device kunit" or all (unset: those covering the files changed since the last dev run)'

# knob_names: every knob, one per line.
knob_names() { printf '%s\n' "$KNOBS_TABLE" | cut -d'|' -f1; }

# knob_known <name>
knob_known() { knob_names | grep -qx -- "$1"; }

# knobs_help: the table for `harness/run help`.
knobs_help()
{
	local name def doc
	echo "knobs (environment variables or VAR=value arguments; default after '='):"
	while IFS='|' read -r name def doc; do
		printf '  %-34s %s\n' "$name${def:+=$def}" "$doc"
	done <<< "$KNOBS_TABLE"
}

# knobs_args <arg>...: export every VAR=value argument; a name that is not a knob, or an
# argument that is not VAR=value, is a one-line error (status 2).
knobs_args()
{
	local a
	for a in "$@"; do
		case "$a" in
		[A-Z]*=*) knob_known "${a%%=*}" ||
			{ echo "lkmdemo-harness: error: unknown knob ${a%%=*} (harness/run help lists them)" >&2; return 2; }
			export "${a?}" ;;
		*) echo "lkmdemo-harness: error: unknown argument: $a (knobs are VAR=value)" >&2; return 2 ;;
		esac
	done
}

# knobs_apply: give every unset knob with a default its default, and export it.
knobs_apply()
{
	local name def doc
	while IFS='|' read -r name def doc; do
		[ -n "$def" ] && [ -z "${!name:-}" ] || continue
		eval "export $name=\"$def\""
	done <<< "$KNOBS_TABLE"
}
