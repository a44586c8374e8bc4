# The graders of the exercises (exercises/*/grade.sh), every staged variant in one boot
# (guest/run-exercises.sh).
ENTRY=exercises
RUNNER=exercises
