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
	local kver arch mode=$MODE cell_b
	kver=$(one_kver) arch=$(one_arch)
	new_run_dir "cell-$kver-$arch-$mode"
	KUNIT_PY=$(series_base)/tools/testing/kunit/kunit.py
	prepare_kernel "$kver" || exit 1
	# A Y cell of the matrix includes the boot whose init fails (as in `test`).
	run_cell "$kver" "$arch" "$mode" cell_b
	[ "$mode" = y ] && [ -n "$cell_b" ] && run_initfail "$kver" "$arch" "$cell_b"
	summary
}

run_shell()
{
	local kver arch mode=$MODE b
	kver=$(one_kver) arch=$(one_arch)
	# A bad MODULE_DIR stops here, before a kernel is built.
	[ -z "${MODULE_DIR:-}" ] || module_dir_check "$MODULE_DIR" || exit 2
	new_run_dir "shell-$kver-$arch-$mode"
	prepare_kernel "$kver" || exit 1
	b=$(cell_build "$kver" "$SRC" "$arch" "$mode") || exit 1
	local root=$RUN_DIR/guest-root
	if [ -n "${MODULE_DIR:-}" ]; then
		rm -rf "$root" && mkdir -p "$root"
		module_dir_build "$b" "$arch" "$MODULE_DIR" "$root" || exit 1
		log "$(basename "$MODULE_DIR"): $(cd "$root" && echo */*.ko) in the guest's /root"
	fi
	log "booting $kver $arch ($mode); leave the guest with: reboot -f"
	boot_cell "$b" "$arch" "$mode" shell --root "$root" --interactive
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
	boot_cell "$b" "$arch" m demo || exit 1
	sed -n '/^LKMDEMO-DEMO-BEGIN/,/^LKMDEMO-DEMO-END/p' "$b/console.log" | sed '1d;$d'
	grep -q '^LKMDEMO-DEMO-END' "$b/console.log" || { log "the demo did not finish; see $b/console.log"; exit 1; }
	log "demo finished; console log: $b/console.log"
}

# ---- benchmark ------------------------------------------------------------------------

# run_bench: the data-path benchmark (lkmdemo vs pipe(2)) and the footprint in one booted
# guest, the module footprint from the built objects of every kernel built so far, and
# the warm developer loop: one driver file changed -> module rebuilt -> initramfs ->
# guest booted -> verdict, each phase timed. Writes harness/bench/results/<arch>.{md,csv}
# and <arch>.svg, the plot of the stream throughput (bench_plot).
run_bench()
{
	local kver arch b res v accel t_build t_stage t_boot t_total
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
	QEMU_TCG_EXTRA=$([ "$BENCH_ICOUNT" = 1 ] && echo "-icount shift=0,sleep=off") \
		bench_boot "$b" "$arch" m "$RUN_DIR/bench-console.log" || exit 1
	bench_extract "$RUN_DIR/bench-console.log" "$RUN_DIR/bench" || die "the benchmark failed; see $RUN_DIR/bench-console.log"
	accel=$(cat "$RUN_DIR/bench-console.log.accel")

	# The developer loop (lib/dev.sh) as `harness/run dev` runs it after an edit of
	# fifo.c: the scratch copy made to differ, so the loop sees that one file changed.
	log "developer loop: fifo.c changed, harness/run dev"
	dev_loop "$kver" "$arch" "$b" >/dev/null 2>&1
	echo "/* changed */" >> "$(dev_dir "$b")/src/drivers/misc/lkmdemo/fifo.c"
	dev_loop "$kver" "$arch" "$b" || exit 1
	v=$(tail -n 1 "$RUN_DIR/verdict.txt")
	read -r t_build t_stage t_boot t_total < "$RUN_DIR/dev-times"

	{
		echo "# lkmdemo benchmark results"
		echo
		echo "Measured $(date -u '+%Y-%m-%d %H:%M UTC') by \`harness/run bench KVER=$kver ARCH=$arch\`"
		echo "on $(nproc) host CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')),"
		echo "guest: Linux $(cat "$b/include/config/kernel.release") $arch under QEMU ($accel$([ "$accel" = tcg ] && { [ "$BENCH_ICOUNT" = 1 ] && echo ', -icount shift=0: guest time in instructions, repeatable' || echo ', wall-clock guest time (BENCH_ICOUNT=0)'; })), git $(git -C "$REPO_DIR" rev-parse --short HEAD)."
		echo
		cat "$RUN_DIR/bench/bench.md"
		echo
		echo "### Developer loop (warm): fifo.c changed, \`harness/run dev\`"
		echo
		echo "| phase | seconds |"
		echo "|---|---:|"
		echo "| sync, module rebuild out of tree (M=), modules_install | $t_build |"
		echo "| kselftest + initramfs | $t_stage |"
		echo "| boot + guest test groups that cover fifo.c | $t_boot |"
		echo "| total to verdict | $t_total |"
		echo
		echo "Verdict of that run: $v (passed failed skipped, KUnit passed failed skipped)."
		echo
		footprint_table $(ls -d "$WORK_DIR"/build/*/*-gcc* 2>/dev/null)
	} > "$res/$arch.md"
	cp "$RUN_DIR/bench/bench.csv" "$res/$arch.csv"
	bench_plot "$res/$arch.csv" "$res/$arch.svg" || die "plotting $res/$arch.csv failed"
	cat "$res/$arch.md"
	log "results: $res/$arch.md, $arch.csv and $arch.svg"
}
