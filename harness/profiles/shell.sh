# `harness/run shell`: an interactive busybox shell with the tests in /harness
# (guest/init starts it; "reboot -f" leaves).
ENTRY=shell
CMDLINE=builtin.cmdline
RUNNER=shell
