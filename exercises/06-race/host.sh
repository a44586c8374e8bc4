# SPDX-License-Identifier: GPL-2.0
# Exercise 06 (a data race between writers), host checks; sourced by
# harness/lib/exercises.sh with D = the scratch copy's drivers/misc/lkmdemo.
# Prints TAP lines.

# The bodies of lkmdemo_fifo_try_write() and lkmdemo_fifo_write().
try_write() { sed -n -e '/^static ssize_t lkmdemo_fifo_try_write(/,/^}/p' -e '/^ssize_t lkmdemo_fifo_write(/,/^}/p' "$D/fifo.c"; }

# It takes write_lock and releases it (or holds it with guard()/scoped_guard()).
holds_write_lock()
{
	local b
	b=$(try_write)
	grep -qE '(scoped_)?guard\(mutex(_intr)?\)\(&f->write_lock\)' <<< "$b" && return 0
	grep -qE 'mutex_lock(_interruptible|_killable)?\(&f->write_lock\)' <<< "$b" &&
		grep -q 'mutex_unlock(&f->write_lock)' <<< "$b"
}

hcheck "the write path takes the producers' lock, and releases it" \
	"lkmdemo_fifo_room() and lkmdemo_fifo_store() assert write_lock (lockdep_assert_held): take it around them, interruptibly (a writer waits here on behalf of a user)" \
	holds_write_lock
