# SPDX-License-Identifier: GPL-2.0
# The benchmark inside the guest (lkmdemo_harness.run=bench): loads lkmdemo with a 64 KiB
# FIFO if it is a module, measures the memory of the loaded modules, then runs
# /harness/bin/lkmdemo_bench (/dev/lkmdemo against a pipe of the same capacity).
# Kernel command line: lkmdemo_harness.accel=tcg|kvm (printed in the header; only the host
# knows it), lkmdemo_harness.mode=m|y, lkmdemo_harness.bench_reps=N and
# lkmdemo_harness.bench_ms=N (target time of one measurement; both from the host's
# BENCH_REPS and BENCH_MS, whose defaults are the only ones), lkmdemo_harness.bench_pin=CPU
# (every benchmark process on that CPU) and lkmdemo_harness.bench_offset=N (ring offset past
# a page boundary at the start of each run, default 0). For MODE=y the capacity is the boot
# parameter lkmdemo.bufsize.
# Output, for the host: LKMDEMO-BENCH-FOOTPRINT-BEGIN/END (Markdown), the benchmark's
# header line and its LKMDEMO-BENCH-CSV-BEGIN/END (the host renders the table, bench/
# table.py), then "LKMDEMO-BENCH-STATUS ok" or "LKMDEMO-BENCH-STATUS fail <why>".

. /harness/lib.sh

ACCEL=$(harness_arg accel unknown)
MODE=$(harness_arg mode m)
REPS=$(harness_arg bench_reps)
MS=$(harness_arg bench_ms)
PIN=$(harness_arg bench_pin)
OFF=$(harness_arg bench_offset 0)
BENCH=/harness/bin/lkmdemo_bench
BUFSIZE=65536

status() { echo "LKMDEMO-BENCH-STATUS $*"; }

# mod_row <module>: one Markdown row of what a loaded module occupies. /proc/modules has the
# core size; /sys/module/<m>/coresize and initsize (the init part, freed once init returns).
mod_row()
{
	m=$1
	size=$(awk -v m="$m" '$1 == m { print $2 }' /proc/modules)
	if [ -z "$size" ]; then
		if [ -d "/sys/module/$m" ]; then echo "| $m | built-in | - | - |"
		else echo "| $m | not loaded | - | - |"
		fi
		return
	fi
	echo "| $m | $size | $(cat "/sys/module/$m/coresize" 2>/dev/null || echo -)" \
		"| $(cat "/sys/module/$m/initsize" 2>/dev/null || echo -) |"
}

echo "LKMDEMO-BENCH-BEGIN mode=$MODE kernel=$(uname -r) arch=$(uname -m) accel=$ACCEL"
if [ ! -x "$BENCH" ]; then
	status "fail $BENCH missing"
	exit 0
fi

# The client posts into the FIFO on a timer: it must not run during the benchmark.
is_module lkmdemo_client && rmmod lkmdemo_client
if [ ! -e "$LKMDEMO_DEV" ]; then
	if ! modprobe lkmdemo bufsize=$BUFSIZE; then
		status "fail modprobe lkmdemo bufsize=$BUFSIZE"
		exit 0
	fi
fi

# Footprint: the driver as loaded (or built in), and the client while loaded for a moment.
client_rows=$(
	if modprobe lkmdemo_client 2>/dev/null; then
		mod_row lkmdemo_client
		rmmod lkmdemo_client
	else
		mod_row lkmdemo_client
	fi
)
echo "LKMDEMO-BENCH-FOOTPRINT-BEGIN"
echo "| module | /proc/modules size | coresize | initsize now (0: init memory freed) |"
echo "|---|---:|---:|---:|"
mod_row lkmdemo
echo "$client_rows"
echo
echo "lkmdemo: capacity $(cat "$LKMDEMO_CLASS/capacity") bytes (bufsize $(param bufsize)), MemFree $(awk '/^MemFree/ { print $2, $3 }' /proc/meminfo)"
echo "LKMDEMO-BENCH-FOOTPRINT-END"

# The benchmark prints its own markers; it fails (status 1) on any lost or extra byte.
"$BENCH" -a "$ACCEL" ${REPS:+-r "$REPS"} ${MS:+-t "$MS"} -O "$OFF" ${PIN:+-p "$PIN"} 2>/tmp/bench.err
rc=$?
sed 's/^/# /' /tmp/bench.err
if [ $rc -eq 0 ]; then
	status ok
else
	status "fail lkmdemo_bench exited with $rc: $(grep -m 1 LKMDEMO-BENCH-FAIL /tmp/bench.err)"
fi
echo "LKMDEMO-BENCH-END"
