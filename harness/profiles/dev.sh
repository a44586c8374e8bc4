# `harness/run dev`: the driver rebuilt out of tree (M=) and the guest test groups that
# cover the files changed (guest/run-test.sh with lkmdemo_harness.groups=).
ENTRY=test
CMDLINE=dev.cmdline
RUNNER=dev
