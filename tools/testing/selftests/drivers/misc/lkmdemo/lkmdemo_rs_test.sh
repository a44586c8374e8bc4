#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# lkmdemo_test against /dev/lkmdemo_rs, the Rust twin of lkmdemo: every test
# that applies to it, the others skipped with the reason. Without the device
# the whole program skips, as lkmdemo_test does without /dev/lkmdemo.
LKMDEMO_DEVICE=/dev/lkmdemo_rs exec "$(dirname "$0")/lkmdemo_test"
