// SPDX-License-Identifier: GPL-2.0-only
/*
 * lkmdemo - in-kernel API for other modules (declared in lkmdemo.h)
 *
 * Copyright (C) 2025 The lkmdemo authors
 *
 * The functions act on the device singleton, and each one first checks that
 * the device is up (lkmdemo_get_up()), failing with -ENODEV otherwise. For a
 * module that calls them, the symbol dependency already guarantees most of
 * that: the loader resolves the symbols only once lkmdemo's init has
 * succeeded, and lkmdemo cannot be unloaded while a module that uses its
 * symbols is loaded. A built-in lkmdemo is different: its exports stay in
 * vmlinux when its init fails, and then only the check stands between a
 * caller and a FIFO that was never set up, or was freed.
 */

#include <linux/errno.h>
#include <linux/export.h>
#include <linux/moduleparam.h>
#include <linux/string.h>

#include "internal.h"

/**
 * lkmdemo_post() - append a message to the lkmdemo FIFO, all or nothing
 * @buf: the bytes to append
 * @len: their number
 *
 * Readers of /dev/lkmdemo see the bytes as one uninterrupted sequence.
 * Never waits: if the FIFO is too full now, or a writer is storing into it
 * at this moment, nothing is stored.
 *
 * Context: process context; does not sleep.
 * Return: @len on success (0 if @len is 0), -EAGAIN if there is not enough
 * room now or the FIFO is busy, -EMSGSIZE if @len exceeds the capacity of
 * the FIFO, -ENODEV if lkmdemo is not up.
 */
int lkmdemo_post(const void *buf, size_t len)
{
	struct lkmdemo *ld = lkmdemo_get_up();

	if (!ld)
		return -ENODEV;
	return lkmdemo_fifo_post(&ld->fifo, buf, len);
}
EXPORT_SYMBOL_LKMDEMO_NS_GPL(lkmdemo_post);

/**
 * lkmdemo_get_stats() - read the counters of the lkmdemo device
 * @st: filled completely with a consistent snapshot (@st->pad = 0), the
 *	same that the LKMDEMO_IOC_GET_STATS ioctl returns
 *
 * Unlike the other functions of this API, this one is exported with plain
 * EXPORT_SYMBOL(), outside any namespace: modules under any license may call
 * it. Reading counters exposes nothing of the kernel's internals, whereas
 * lkmdemo_post() and lkmdemo_get_whom() reach into the driver's data and
 * are for GPL-compatible modules only.
 *
 * Context: process context; does not sleep.
 * Return: 0, or -ENODEV if lkmdemo is not up (@st is then zeroed).
 */
int lkmdemo_get_stats(struct lkmdemo_stats *st)
{
	struct lkmdemo *ld = lkmdemo_get_up();

	if (!ld) {
		memset(st, 0, sizeof(*st));
		return -ENODEV;
	}
	lkmdemo_dev_stats(ld, st);
	return 0;
}
EXPORT_SYMBOL(lkmdemo_get_stats);

/**
 * lkmdemo_get_whom() - copy the current value of the whom parameter
 * @buf: destination
 * @size: size of @buf; if non-zero, @buf is always NUL-terminated
 *
 * The parameter is writable through sysfs at any time, so it is read under
 * kernel_param_lock().
 *
 * Context: process context; may sleep.
 * Return: the length of the string stored in @buf, not counting the NUL,
 * like strscpy(); a value longer than @size - 1 characters is truncated to
 * @size - 1. 0 if @size is 0. -ENODEV if lkmdemo is not up (@buf is then
 * the empty string).
 */
ssize_t lkmdemo_get_whom(char *buf, size_t size)
{
	ssize_t len;

	if (!size)
		return 0;
	if (!lkmdemo_get_up()) {
		buf[0] = '\0';
		return -ENODEV;
	}

	kernel_param_lock(THIS_MODULE);
	len = strscpy(buf, lkmdemo_whom, size);
	kernel_param_unlock(THIS_MODULE);

	return len < 0 ? size - 1 : len;
}
EXPORT_SYMBOL_LKMDEMO_NS_GPL(lkmdemo_get_whom);
