# SPDX-License-Identifier: GPL-2.0
# Compatibility: what was lib/steps.sh is now in files named for what they hold. Sourced by
# harness/run; sources them in order.
#   lib/deps.sh      Debian packages, install_deps
#   lib/kernel.sh    kernel trees (kernel_src, user_tree at its end)
#   lib/cells.sh     one cell: build, kselftest, boot, judge; sparse/W=1 gate; profile cells
#   lib/gates.sh     static gates on the series (drift, checkpatch, bisect, maintainers)
#   lib/commands.sh  the one-kernel commands (cell, shell, demo, series, bench)

. "$HARNESS_DIR/lib/deps.sh"
. "$HARNESS_DIR/lib/cells.sh"
. "$HARNESS_DIR/lib/gates.sh"
. "$HARNESS_DIR/lib/commands.sh"
