# The next kernel: the newest linux-source Debian ships (experimental's release
# candidate, or sid's newest release) with the series applied, M and Y, every guest test,
# then sparse (C=2) + W=1 on our files.
ENTRY=test
CMDLINE=builtin.cmdline
KERNEL=next
ARCH=x86_64
MODES="m y"
LABEL=next
STATIC=1
FULL=1
