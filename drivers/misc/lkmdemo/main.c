// SPDX-License-Identifier: GPL-2.0-only
/*
 * lkmdemo - LKM demonstration driver: module load and unload
 *
 * Copyright (C) 2025 The lkmdemo authors
 *
 * Load: check the parameters, set up the FIFO, queue the banner lines,
 * register /dev/lkmdemo, and last mark the device up for the in-kernel API.
 * Unload: the reverse.
 *
 * Built in, lkmdemo_init() runs as an initcall, and when it fails the kernel
 * goes on booting: vmlinux still holds lkmdemo's exported functions, and
 * other code (lkmdemo_client, built in or loaded later) can call them. That
 * is why they check lkmdemo_get_up() rather than trust that a failed init
 * means nobody can reach them, which only holds for a module.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/init.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/printk.h>
#include <linux/string.h>

#include "internal.h"

/* The device singleton; see internal.h. */
struct lkmdemo lkmdemo_dev;

/**
 * lkmdemo_get_up() - the device, if it is up
 *
 * Return: &lkmdemo_dev once lkmdemo_init() has succeeded and until
 * lkmdemo_exit() starts, else NULL.
 */
struct lkmdemo *lkmdemo_get_up(void)
{
	/* Pairs with smp_store_release() in lkmdemo_init(). */
	return smp_load_acquire(&lkmdemo_dev.up) ? &lkmdemo_dev : NULL;
}

/**
 * lkmdemo_dev_stats() - consistent snapshot of all counters of the device
 * @ld: the device
 * @st: filled completely, @st->pad = 0
 *
 * Context: process context; does not sleep.
 */
void lkmdemo_dev_stats(struct lkmdemo *ld, struct lkmdemo_stats *st)
{
	lkmdemo_fifo_stats(&ld->fifo, st);
	st->opens = atomic64_read(&ld->opens);
	st->openers = atomic_read(&ld->openers);
}

/* Greet @howmany times. The whom parameter is writable, so lock it. */
static void lkmdemo_greet(const char *greeting, int howmany)
{
	int i;

	kernel_param_lock(THIS_MODULE);
	for (i = 0; i < howmany; i++)
		pr_info("%s, %s\n", greeting, lkmdemo_whom);
	kernel_param_unlock(THIS_MODULE);
}

/* Queue each banner line, with a '\n', so that the first reader gets them. */
static int __init lkmdemo_queue_banner(struct lkmdemo_fifo *fifo)
{
	int i, ret;

	for (i = 0; i < lkmdemo_banner_count; i++) {
		ret = lkmdemo_fifo_post(fifo, lkmdemo_banner[i],
					strlen(lkmdemo_banner[i]));
		if (ret >= 0)
			ret = lkmdemo_fifo_post(fifo, "\n", 1);
		if (ret < 0) {
			pr_err("banner: lines do not fit into bufsize=%u\n",
			       fifo->size);
			return -ENOSPC;
		}
	}

	pr_info("%d banner line(s) queued\n", lkmdemo_banner_count);
	return 0;
}

static int __init lkmdemo_init(void)
{
	struct lkmdemo *ld = &lkmdemo_dev;
	int ret;

	if (!lkmdemo_bufsize_valid(lkmdemo_bufsize)) {
		pr_err("bufsize=%u: must be a power of two from %d to %d\n",
		       lkmdemo_bufsize, LKMDEMO_BUFSIZE_MIN,
		       LKMDEMO_BUFSIZE_MAX);
		return -EINVAL;
	}

	ret = lkmdemo_fifo_init(&ld->fifo, lkmdemo_bufsize);
	if (ret)
		return ret;

	ret = lkmdemo_queue_banner(&ld->fifo);
	if (ret)
		goto err_free_fifo;

	ret = lkmdemo_chardev_register(ld);
	if (ret)
		goto err_free_fifo;

	lkmdemo_greet("Hello", lkmdemo_howmany);
	/* Last: everything the in-kernel API touches is set up before this. */
	smp_store_release(&ld->up, true);
	return 0;

err_free_fifo:
	lkmdemo_fifo_free(&ld->fifo);
	return ret;
}
module_init(lkmdemo_init);

static void __exit lkmdemo_exit(void)
{
	struct lkmdemo *ld = &lkmdemo_dev;

	/*
	 * First. No module that uses the exports is loaded any more (each one
	 * holds a reference on lkmdemo), so no call is in progress.
	 */
	WRITE_ONCE(ld->up, false);
	lkmdemo_chardev_unregister(ld);
	lkmdemo_fifo_free(&ld->fifo);
	lkmdemo_greet("Goodbye", 1);
}
module_exit(lkmdemo_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("The lkmdemo authors");
MODULE_DESCRIPTION("LKM demonstration driver: a FIFO misc device");
MODULE_VERSION("1.0");
/*
 * "modprobe lkmdemo-fifo" loads this module: depmod lists the alias in
 * modules.alias. The usual misc-device aliases (char-major-10-<minor>,
 * devname:lkmdemo) need a fixed minor, and /dev/lkmdemo has a dynamic one.
 */
MODULE_ALIAS("lkmdemo-fifo");
