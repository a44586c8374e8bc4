# SPDX-License-Identifier: GPL-2.0
# The one-kernel commands: cell, shell, demo, series and bench (the test command is
# lib/plan.sh), and what they share: a run directory, a kernel tree with the series.

new_run_dir()
{
	RUN_DIR=$WORK_DIR/runs/$(date -u +%Y%m%dT%H%M%SZ)-$1-$$
	mkdir -p "$RUN_DIR"
	RESULTS=$RUN_DIR/results.tsv
	: > "$RESULTS"
	log "run directory: $RUN_DIR"
}

# prepare_kernel <kver>: SRC = the tree with the series applied by git am (a result).
prepare_kernel()
{
	local kver=$1 t0=$(date +%s) out=$RUN_DIR/git-am-$1.log
	if SRC=$(kernel_src "$kver" 2> "$out"); then
		record pass $(( $(date +%s) - t0 )) "git am of the series onto $kver ($(cat "$SRC/.lkmdemo-baseline"))"
		count 1 0 0
	else
		record fail $(( $(date +%s) - t0 )) "git am of the series onto $kver"
		count 0 1 0
		sed 's/^/    /' "$out" >&2
		return 1
	fi
}

# run_series: `harness/run series`: patches/ and series from the sources.
run_series()
{
	local base
	base=$(series_base) || exit 2
	python3 "$HARNESS_DIR/gen-series" --base "$base"
}

# The kernel and arch of a one-kernel command (cell, shell, bench): KVER and ARCH, else
# the newest kernel on x86_64 (as listed by `harness/run help`).
one_kver() { echo "${KVER:-${SUPPORTED_KVERS[-1]}}"; }
one_arch() { echo "${ARCH:-x86_64}"; }

run_cell_cmd()
{
	local kver arch mode=$MODE
	kver=$(one_kver) arch=$(one_arch)
	new_run_dir "cell-$kver-$arch-$mode"
	KUNIT_PY=$(series_base)/tools/testing/kunit/kunit.py
	prepare_kernel "$kver" || exit 1
	run_cell "$kver" "$arch" "$mode"
	summary
}

run_shell()
{
	local kver arch mode=$MODE b
	kver=$(one_kver) arch=$(one_arch)
	new_run_dir "shell-$kver-$arch-$mode"
	prepare_kernel "$kver" || exit 1
	b=$(cell_build "$kver" "$SRC" "$arch" "$mode") || exit 1
	log "booting $kver $arch ($mode); leave the guest with: reboot -f"
	boot_cell "$b" "$arch" "$mode" shell interactive
}

run_demo()
{
	local kver arch=${ARCH:-arm} b
	kver=$(one_kver)
	new_run_dir "demo-$kver-$arch"
	log "lkmdemo demo: Linux $kver on $arch (change with KVER= ARCH=)"
	prepare_kernel "$kver" || exit 1
	log "building the kernel (LKMDEMO=m) - a few minutes the first time"
	b=$(cell_build "$kver" "$SRC" "$arch" m) || exit 1
	log "booting it in QEMU"
	boot_cell "$b" "$arch" m demo
	sed -n '/^LKMDEMO-DEMO-BEGIN/,/^LKMDEMO-DEMO-END/p' "$b/console.log" | sed '1d;$d'
	grep -q '^LKMDEMO-DEMO-END' "$b/console.log" || { log "the demo did not finish; see $b/console.log"; exit 1; }
	log "demo finished; console log: $b/console.log"
}

# ---- benchmark ------------------------------------------------------------------------

# run_bench: the data-path benchmark (lkmdemo vs pipe(2)) and the footprint in one booted
# guest, the module footprint from the built objects of every kernel built so far, and
# the warm developer loop: one driver file changed -> module rebuilt -> initramfs ->
# guest booted -> verdict, each phase timed. Writes harness/bench/results/latest.{md,csv}.
run_bench()
{
	local kver arch b res t0 t1 t2 t3 v accel bin
	kver=$(one_kver) arch=$(one_arch)
	new_run_dir "bench-$kver-$arch"
	res=$HARNESS_DIR/bench/results
	mkdir -p "$res"
	KUNIT_PY=$(series_base)/tools/testing/kunit/kunit.py
	prepare_kernel "$kver" || exit 1
	b=$(cell_build "$kver" "$SRC" "$arch" m) || exit 1
	log "benchmark: booting $kver $arch"
	# Under TCG, wall-clock time in the guest follows the host's load; counting guest
	# time in instructions (-icount) makes runs repeatable, at about 4x the run time.
	QEMU_TCG_EXTRA="-icount shift=0,sleep=off" \
	BENCH_APPEND="lkmdemo_harness.bench_reps=$BENCH_REPS lkmdemo_harness.bench_ms=$BENCH_MS" \
		bench_boot "$b" "$arch" m "$RUN_DIR/bench-console.log" || exit 1
	bench_extract "$RUN_DIR/bench-console.log" "$RUN_DIR/bench" || die "the benchmark failed; see $RUN_DIR/bench-console.log"
	accel=$(cat "$RUN_DIR/bench-console.log.accel")

	log "developer loop: touch drivers/misc/lkmdemo/fifo.c, rebuild, boot, test"
	touch "$SRC/drivers/misc/lkmdemo/fifo.c"
	t0=$(date +%s.%N)
	cell_build "$kver" "$SRC" "$arch" m >/dev/null || exit 1
	t1=$(date +%s.%N)
	bin=$(build_kselftest "$SRC" "$b" "$arch") && make_initramfs "$b" "$arch" "$b/initramfs.cpio" "$bin" || exit 1
	t2=$(date +%s.%N)
	run_qemu "$arch" "$b/$(arch_image "$arch")" "$b/initramfs.cpio" \
		"lkmdemo_harness.run=test lkmdemo_harness.mode=m" "$b/console.log" 900
	t3=$(date +%s.%N)
	v=$(judge "$b/console.log" "$b/verdict.txt" --kunit 2>/dev/null)

	{
		echo "# lkmdemo benchmark results"
		echo
		echo "Measured $(date -u '+%Y-%m-%d %H:%M UTC') by \`harness/run bench KVER=$kver ARCH=$arch\`"
		echo "on $(nproc) host CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')),"
		echo "guest: Linux $(cat "$b/include/config/kernel.release") $arch under QEMU ($accel$([ "$accel" = tcg ] && echo ', -icount shift=0: guest time in instructions, repeatable')), git $(git -C "$REPO_DIR" rev-parse --short HEAD)."
		echo
		cat "$RUN_DIR/bench/bench.md"
		echo
		echo "### Developer loop (warm): one driver .c file changed"
		echo
		echo "| phase | seconds |"
		echo "|---|---:|"
		printf '| rebuild (kbuild, module) | %.1f |\n' "$(echo "$t1 - $t0" | bc)"
		printf '| kselftest + initramfs | %.1f |\n' "$(echo "$t2 - $t1" | bc)"
		printf '| boot + guest tests | %.1f |\n' "$(echo "$t3 - $t2" | bc)"
		printf '| total to verdict | %.1f |\n' "$(echo "$t3 - $t0" | bc)"
		echo
		echo "Verdict of that run: $v (passed failed skipped, KUnit passed failed skipped)."
		echo
		footprint_table $(ls -d "$WORK_DIR"/build/*/*-gcc* 2>/dev/null)
	} > "$res/latest.md"
	cp "$RUN_DIR/bench/bench.csv" "$res/latest.csv"
	cat "$res/latest.md"
	log "results: $res/latest.md and latest.csv"
}
