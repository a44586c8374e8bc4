# The graders of the exercises (exercises/*/grade.sh), every staged variant in as few
# boots as possible (guest/run-exercises.sh; a variant that crashes or taints the
# kernel ends its boot, the rest are graded in the next). Its own kernel: the
# matrix's, plus kmemleak, the function tracer, lockdep and fault injection
# (configs/exercises.config), so that graders can observe leaks, teardown order and
# locking instead of reading code.
ENTRY=exercises
CONFIGS=exercises.config
CMDLINE=exercises.cmdline
BUILD_TAG=ex
RUNNER=exercises
