# `harness/run demo`: modinfo, loading with parameters, sysfs, device I/O, the client
# module and unloading, printed for a reader (guest/run-demo.sh).
ENTRY=demo
CMDLINE=builtin.cmdline
RUNNER=demo
