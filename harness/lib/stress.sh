# SPDX-License-Identifier: GPL-2.0
# `harness/run stress`: the driver under a debug kernel (newest kernel, SMP, preemptible,
# lockdep + UBSAN + kmemleak + debugobjects + fault injection, panic_on_warn=1, and one
# kind, STRESS_KIND=: KASAN or KCSAN with CONFIG_PREEMPT, or PREEMPT_RT without a
# sanitizer), on x86_64 or 32-bit ARM (ARCH=): concurrent
# checksummed record traffic while the writable parameters and attributes change under it,
# 500 load/unload cycles, the init failure sweep by fail-nth, bounded random inputs, then a
# kmemleak scan. The guest side is guest/run-stress.sh with stress/lkmdemo_stress.c; the
# kernel and its command line are the stress profile (harness/profiles/stress.sh:
# configs/debug.config plus configs/<kind>.config; profiles/stress.cmdline).
#
# Each arch x kind has its own kernel tree and build directory ($WORK_DIR/src-stress,
# build-stress/.../<arch>-debug-<kind>-...), so it can run next to `harness/run test`
# without either touching the other's files.
# knobs (defaults in lib/knobs.sh): STRESS_KIND, STRESS_JOBS, STRESS_TIMEOUT,
#        STRESS_SECONDS, STRESS_CYCLES, STRESS_FUZZ; ARCH (default x86_64).

STRESS_KVER=${SUPPORTED_KVERS[-1]}
STRESS_ARCH=${ARCH:-x86_64}

# stress_check: refuse, in one line, a kind or arch the debug kernel cannot be built for.
stress_check()
{
	local karch
	arch_check "$STRESS_ARCH" || return 2
	case "$STRESS_KIND" in
	kasan|kcsan|rt) ;;
	*) echo "lkmdemo-harness: error: STRESS_KIND=$STRESS_KIND: the stress kernels are kasan, kcsan and rt" >&2; return 2 ;;
	esac
	[ -n "$(arch_get "$STRESS_ARCH" MODULE_AREA)" ] || {
		echo "lkmdemo-harness: error: ARCH=$STRESS_ARCH: harness/arches/$STRESS_ARCH.sh has no MODULE_AREA, which the init fault sweep needs" >&2
		return 2
	}
	karch=$(arch_karch "$STRESS_ARCH")
	if [ "$STRESS_KIND" = kcsan ] && [ "$karch" = arm ]; then
		echo "lkmdemo-harness: error: STRESS_KIND=kcsan: 32-bit ARM has no KCSAN (arch/arm does not select HAVE_ARCH_KCSAN); use STRESS_KIND=kasan there" >&2
		return 2
	fi
	return 0
}

# stress_tree: print the stress run's own tree of the newest kernel, series applied by git am.
stress_tree()
{
	local pristine
	pristine=$(kernel_tree "$STRESS_KVER") || return 1
	applied_tree "$STRESS_KVER" "$pristine" "$WORK_DIR/src-stress"
}

# stress_build_dir <src>: the O= directory of the debug kernel.
stress_build_dir()
{
	echo "$WORK_DIR/build-stress/linux-$STRESS_KVER-$(cat "$1/.lkmdemo-baseline")/$STRESS_ARCH-debug-$STRESS_KIND-gcc$(cc_key "$STRESS_ARCH")"
}

# build_stress_prog <b>: the static stress program (guest_prog) in <b>/stress/bin; prints
# that directory, to add to the guest's /harness/bin.
build_stress_prog()
{
	local out=$1/stress/bin
	rm -rf "$out"
	guest_prog "$STRESS_ARCH" "$HARNESS_DIR/stress/lkmdemo_stress.c" "$out/lkmdemo_stress" || return 1
	echo "$out"
}

# stress_cell: the debug kernel configured (profiles/stress.sh: its CONFIGS), built,
# booted with profiles/stress.cmdline, judged; recorded and counted into the current run
# (`harness/run stress`, and the unit "profile stress" of the full tier).
stress_cell()
{
	local JOBS=$STRESS_JOBS t0 b bin v name frags
	name="stress $STRESS_KVER $STRESS_ARCH $STRESS_KIND"
	t0=$(date +%s)
	SRC=$(stress_tree 2> "$RUN_DIR/git-am.log") ||
		{ cat "$RUN_DIR/git-am.log" >&2; record fail 0 "$name: git am"; count 0 1 0; return; }
	b=$(stress_build_dir "$SRC")
	frags=$(profile_configs stress) || return 2
	log "$name: configuring $b (common + $STRESS_ARCH + lkmdemo-m + $(echo $frags | xargs -n 1 basename | xargs))"
	# shellcheck disable=SC2086
	if ! configure "$SRC" "$b" "$STRESS_ARCH" m $frags; then
		record fail $(( $(date +%s) - t0 )) "$name: configure"; count 0 1 0; return
	fi
	log "$name: building with make -j$JOBS (a $STRESS_KIND kernel: long the first time)"
	if ! build "$SRC" "$b" "$STRESS_ARCH"; then
		record fail $(( $(date +%s) - t0 )) "$name: build"; count 0 1 0; return
	fi
	if ! bin=$(build_stress_prog "$b"); then
		record fail $(( $(date +%s) - t0 )) "$name: lkmdemo_stress build"; count 0 1 0; return
	fi
	record pass $(( $(date +%s) - t0 )) "$name: configure and build"; count 1 0 0
	t0=$(date +%s)
	log "$name: booting (console log: $b/console-stress.log)"
	v=$(boot_profile stress "$b" "$STRESS_ARCH" "$b/console-stress.log" --bin "$bin" \
		--timeout "$STRESS_TIMEOUT" --verdict "$b/verdict-stress.txt" MODE=m ARCH="$STRESS_ARCH" \
		MODULE_AREA="$(arch_get "$STRESS_ARCH" MODULE_AREA)")
	sed -n 's/^# STRESS-COUNT /  /p' "$b/console-stress.log" | tr -d '\r' >&2
	record_verdict "$name" "$t0" "$b/console-stress.log" $v
}

# run_stress: `harness/run stress`: a run of its own.
run_stress()
{
	stress_check || exit 2
	new_run_dir "stress-$STRESS_KVER-$STRESS_ARCH-$STRESS_KIND"
	stress_cell
	echo
	echo "== lkmdemo stress ($STRESS_KVER $STRESS_ARCH, debug kernel with $STRESS_KIND) =="
	summary
}
