# `harness/run bench`: lkmdemo against pipe(2), throughput and latency, and the
# footprint in the guest (guest/run-bench.sh, bench/lkmdemo_bench.c).
ENTRY=bench
CMDLINE=bench.cmdline
RUNNER=bench
