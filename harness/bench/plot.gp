# SPDX-License-Identifier: GPL-2.0
# Throughput of the "stream 1w+1r" rows of one benchmark CSV (lkmdemo_bench -c, or
# harness/bench/results/x86_64.csv) as an SVG: MB/s against the transfer size, both axes
# logarithmic, /dev/lkmdemo beside the pipe, the median as the point and the min-max of the
# runs as the error bar (the two series are drawn a little apart in x so that the bars do
# not hide each other), and lkmdemo/pipe of the medians over each size. The title gives
# kernel, machine, cpus and accelerator from the CSV.
#
#   gnuplot -e "csv='bench.csv'; svg='bench.svg'" harness/bench/plot.gp
#
# bench_plot (bench.sh) does that. The CSV has quoted fields with commas in them ("stream
# 4w+4r, checked records"): the awk program below splits it properly (quotes, doubled
# quotes) and finds the columns by their names in the header line, so gnuplot only sees
# whitespace-separated numbers. Needs awk and a shell (gnuplot's '< command' and system()).

if (!exists("csv") || !exists("svg")) {
	print "usage: gnuplot -e \"csv='in.csv'; svg='out.svg'\" plot.gp"
	exit status 2
}

# what=title: one line "kernel machine, N CPUs, accel"; what=data: per stream 1w+1r row,
# "size lkmdemo_median min max pipe_median min max \"size label\"", by size. No single
# quotes in here: it goes to sh between single quotes.
awkprog = \
	'function csvsplit(s, f,   n, i, c, q, v) {' . \
	'	n = 0; v = ""; q = 0;' . \
	'	for (i = 1; i <= length(s); i++) {' . \
	'		c = substr(s, i, 1);' . \
	'		if (q && c == "\"" && substr(s, i + 1, 1) == "\"") { v = v c; i++ }' . \
	'		else if (c == "\"") q = !q;' . \
	'		else if (c == "," && !q) { f[++n] = v; v = "" }' . \
	'		else v = v c' . \
	'	}' . \
	'	f[++n] = v; return n' . \
	'}' . \
	'{ sub(/\r$/, "") }' . \
	'NR == 1 { n = csvsplit($0, h); for (i = 1; i <= n; i++) col[h[i]] = i; next }' . \
	'{ csvsplit($0, f) }' . \
	'what == "title" { c = f[col["cpus"]];' . \
	'	printf "%s %s, %s CPU%s, %s", f[col["kernel"]], f[col["machine"]], c,' . \
	'		c == 1 ? "" : "s", f[col["accel"]]; exit }' . \
	'what == "data" && f[col["test"]] == "stream 1w+1r" {' . \
	'	s = f[col["size_bytes"]] + 0;' . \
	'	l = (s >= 1024 && s % 1024 == 0) ? (s / 1024) " KiB" : s " B";' . \
	'	print s, f[col["lkmdemo_median"]], f[col["lkmdemo_min"]], f[col["lkmdemo_max"]],' . \
	'		f[col["pipe_median"]], f[col["pipe_min"]], f[col["pipe_max"]],' . \
	'		"\"" l "\"" | "sort -n"' . \
	'}'

shq(s) = "'" . s . "'"
ttl = system("awk -v what=title " . shq(awkprog) . " " . shq(csv))
dat = "< awk -v what=data " . shq(awkprog) . " " . shq(csv)
if (int(system(dat[3:] . " | wc -l")) == 0) {
	print sprintf("plot.gp: no \"stream 1w+1r\" rows in %s", csv)
	exit status 1
}

set terminal svg size 800,520 fixed font "sans,12" background rgb "white"
set output svg
set title sprintf("lkmdemo vs pipe(2), stream 1 writer + 1 reader: %s", ttl) noenhanced
set xlabel "bytes per write() and read()"
set ylabel "MB/s (10^6 bytes/s), median and min-max" noenhanced
set logscale xy
set xrange [0.5:131072]
set grid xtics ytics mytics
set key top left Left reverse box opaque
set bars small
max2(a, b) = a > b ? a : b
set label 1 "numbers: lkmdemo/pipe of the medians" at graph 0.98, graph 0.04 right

plot dat using ($1 * 0.9):2:3:4 with yerrorlines lw 2 pt 7 \
		lc rgb "#1f77b4" title "/dev/lkmdemo", \
	dat using ($1 / 0.9):5:6:7 with yerrorlines lw 2 pt 5 lc rgb "#d62728" \
		title "pipe(2), same capacity", \
	dat using 1:(max2($4, $7) * 1.6):(sprintf("%.2f", $2 / $5)):xticlabels(8) \
		with labels notitle
