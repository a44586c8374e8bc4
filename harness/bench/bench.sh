# SPDX-License-Identifier: GPL-2.0
# Host side of the benchmark (issue "Benchmark the driver against the kernel's own pipe").
# Sourced after lib/common.sh, lib/arch.sh, lib/profile.sh and lib/guest.sh (boot_profile,
# guest_prog). Nothing here runs make in a kernel tree or a build directory: the kernel
# and modules must be built already.
#
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
