# `harness/run stress`: a debug kernel (lockdep, UBSAN, kmemleak, debug objects, fault
# injection and one sanitizer, STRESS_KIND) under concurrent checksummed I/O while the
# parameters change, load/unload cycles, the init fault sweep and random inputs
# (guest/run-stress.sh, stress/lkmdemo_stress.c). Its own tree and build directory.
ENTRY=stress
CONFIGS='debug.config ${STRESS_KIND}.config'
CMDLINE=stress.cmdline
RUNNER=stress
FULL=1
