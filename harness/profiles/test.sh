# A cell of the matrix: every guest test group, the kselftest and KUnit
# (guest/run-test.sh), for a module (M) or the built-in driver (Y).
ENTRY=test
CMDLINE=builtin.cmdline
