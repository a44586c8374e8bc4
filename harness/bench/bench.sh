# SPDX-License-Identifier: GPL-2.0
# Host side of the benchmark (issue "Benchmark the driver against the kernel's own pipe"):
# `harness/run bench` (run_bench) and its steps. Sourced by harness/run after the
# harness's lib/ (boot_profile, guest_prog, the cells and the developer loop). Only
# run_bench builds: the steps below need the kernel and modules built already.
#
#   run_bench
#	The command: builds the LKMDEMO=m kernel, runs the benchmark and the developer
#	loop, writes harness/bench/results/<arch>.{md,csv,svg}.
#   bench_build <arch> <out dir>
#	Compile bench/lkmdemo_bench.c with guest_prog (lib/guest.sh) for <arch> into
#	<out dir>/lkmdemo_bench.
#   bench_boot <build dir> <arch> <mode m|y> <log>
#	Boot <build dir>'s kernel (boot_profile) with the benchmark in /harness/bin and
#	the bench profile's command line (profiles/bench.cmdline: BENCH_REPS, BENCH_MS,
#	the accelerator boot_profile picks, for the header; for mode y the FIFO size),
#	console into <log>. Keep it short under TCG: about 1.5 min with the defaults.
#   bench_extract <log> <out dir>
#	Split the console log into <out dir>/bench.csv and <out dir>/bench.md (the
#	footprint, then the CSV's table by bench/table.py). Returns 1 unless the guest
#	printed LKMDEMO-BENCH-STATUS ok.
#   bench_plot <csv> <svg>
#	Draw the "stream 1w+1r" rows of a benchmark CSV (bench_extract's bench.csv,
#	results/x86_64.csv) with bench/plot.gp into <svg>: MB/s against the transfer size,
#	log-log, lkmdemo beside the pipe with min-max error bars, titled with kernel, machine
#	and CPUs of the CSV. Needs gnuplot (gnuplot-nox). Works on a copy of the CSV, so any
#	path will do; <svg> is replaced only by a complete, well-formed SVG. Returns 1 on
#	failure, 2 on wrong use or without gnuplot.

BENCH_DIR=$HARNESS_DIR/bench
bench_build()
{
	guest_prog "$1" "$BENCH_DIR/lkmdemo_bench.c" "$2/lkmdemo_bench"
}

bench_boot()
{
	local b=$1 arch=$2 mode=$3 logf=$4 bin rc
	bin=$(mktemp -d) || return 1
	bench_build "$arch" "$bin" || { rm -rf "$bin"; return 1; }
	boot_profile bench "$b" "$arch" "$logf" --bin "$bin" --timeout 600 MODE="$mode" ARCH="$arch"
	rc=$?
	rm -rf "$bin"
	return $rc
}

bench_extract()
{
	local logf=$1 out=$2
	mkdir -p "$out"
	tr -d '\r' < "$logf" | awk -v md="$out/bench.md" -v csv="$out/bench.csv" '
		/^LKMDEMO-BENCH-FOOTPRINT-BEGIN/ { f = md; print "### lkmdemo footprint in the guest\n" > md; next }
		/^LKMDEMO-BENCH-CSV-BEGIN/ { f = csv; next }
		/^LKMDEMO-BENCH-(FOOTPRINT|CSV)-END/ { if (f == md) print "" > md; f = ""; next }
		f != "" { print > f }'
	grep -a 'LKMDEMO-BENCH-STATUS' "$logf" | tr -d '\r' >&2
	grep -aq '^LKMDEMO-BENCH-STATUS ok' "$logf" || return 1
	# The table is rendered from the CSV, on the host (bench/table.py).
	python3 "$BENCH_DIR/table.py" "$out/bench.csv" \
		"$(tr -d '\r' < "$logf" | grep -a -m 1 '^LKMDEMO-BENCH kernel=')" >> "$out/bench.md"
}

bench_plot()
{
	local csv=${1:-} svg=${2:-} d
	if [ $# -ne 2 ] || [ -z "$csv" ] || [ -z "$svg" ]; then
		echo "usage: bench_plot <csv> <svg>" >&2
		return 2
	fi
	if ! command -v gnuplot >/dev/null; then
		echo "bench_plot: no gnuplot (apt-get install gnuplot-nox)" >&2
		return 2
	fi
	[ -r "$csv" ] || { echo "bench_plot: cannot read $csv" >&2; return 1; }
	d=$(mktemp -d) || return 1
	# plot.gp hands the CSV's name to sh: a copy with a plain name keeps quoting simple.
	if cp "$csv" "$d/bench.csv" &&
	   gnuplot -e "csv='$d/bench.csv'; svg='$d/plot.svg'" "$BENCH_DIR/plot.gp" &&
	   python3 -c 'import sys, xml.etree.ElementTree as E; E.parse(sys.argv[1])' "$d/plot.svg" &&
	   mv "$d/plot.svg" "$svg"; then
		rm -rf "$d"
		return 0
	fi
	echo "bench_plot: plotting $csv failed" >&2
	rm -rf "$d"
	return 1
}

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
