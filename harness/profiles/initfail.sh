# The second boot of a Y cell: lkmdemo's init refuses its parameters; the exported
# symbols stay in vmlinux, and the client module must fail to load, cleanly
# (guest/run-initfail.sh).
ENTRY=initfail
CMDLINE=initfail.cmdline
