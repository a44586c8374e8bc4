# SPDX-License-Identifier: GPL-2.0
# Exercise 01 (error unwinding), host checks; sourced by harness/lib/exercises.sh with
# D = the scratch copy's drivers/misc/lkmdemo. Prints TAP lines.

# The body of lkmdemo_init(), from its opening line to the closing brace.
init_body() { sed -n '/^static int __init lkmdemo_init(void)/,/^}/p' "$D/main.c"; }

hcheck "lkmdemo_init() unwinds with goto labels" \
	"on a failure, jump to a label that undoes the steps that succeeded, in reverse order (err_unregister:, err_free_fifo:)" \
	grep -qE '^[[:space:]]*goto err_?[a-z_]+;' <(init_body)
hcheck "lkmdemo_init() unregisters the device on its error path" \
	"a step after lkmdemo_chardev_register() can fail: its label must call lkmdemo_chardev_unregister()" \
	grep -q 'lkmdemo_chardev_unregister(' <(init_body)
