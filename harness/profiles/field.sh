# `harness/run field`: Debian's own production kernel (DEBIAN=) booted with our modules
# built out of tree as the README says and through DKMS; the guest tests without KUnit
# (Debian's kernels do not build it), and the taint flags (guest/run-test.sh).
ENTRY=test
CMDLINE=field.cmdline
RUNNER=field
FULL=1
