# The newest supported kernel with PREEMPT_RT, lockdep and DEBUG_ATOMIC_SLEEP
# (configs/rt.config) on arm64, M and Y: every guest test, the kselftest and KUnit, whose
# lkmdemo_fifo_stats_section case proves that the counters never wait for a FIFO mutex
# on RT. Its build directory is its own (BUILD_TAG=rt).
ENTRY=test
CMDLINE=builtin.cmdline
CONFIGS=rt.config
KERNEL=newest
ARCH=arm64
MODES="m y"
LABEL='${KVER}-rt'
BUILD_TAG=rt
FULL=1
