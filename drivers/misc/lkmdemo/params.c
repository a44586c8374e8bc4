// SPDX-License-Identifier: GPL-2.0-only
/*
 * lkmdemo - module parameters
 *
 * Copyright (C) 2025 The lkmdemo authors
 *
 * The writable parameters (mode 0644, never world-writable) can change at
 * any time through /sys/module/lkmdemo/parameters/; the others are 0444,
 * set at load only. The kernel serialises
 * those writes with kernel_param_lock(); whoever reads the charp lkmdemo_whom
 * must hold that lock too, because a write frees the old string.
 */

#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/moduleparam.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "internal.h"

char *lkmdemo_whom = "world";

/*
 * whom is a charp with a set operation of its own: "echo name > .../whom"
 * writes "name\n", and the newline is not part of the name. Values from the
 * kernel command line or insmod have no newline and go straight to
 * param_set_charp(), which also copes with being called before the slab
 * allocator is up (built-in parameters are parsed that early).
 */
static int lkmdemo_whom_set(const char *val, const struct kernel_param *kp)
{
	size_t len = strcspn(val, "\n");
	char *name;
	int ret;

	if (!val[len])
		return param_set_charp(val, kp);
	if (val[len + 1])
		return -EINVAL;		/* more than one line */

	name = kstrndup(val, len, GFP_KERNEL);
	if (!name)
		return -ENOMEM;
	ret = param_set_charp(name, kp);
	kfree(name);
	return ret;
}

static const struct kernel_param_ops lkmdemo_whom_ops = {
	.set = lkmdemo_whom_set,
	.get = param_get_charp,
	.free = param_free_charp,
};
module_param_cb(whom, &lkmdemo_whom_ops, &lkmdemo_whom, 0644);
MODULE_PARM_DESC(whom, "Whom to greet at load and unload (default \"world\")");

int lkmdemo_howmany = 1;

/**
 * lkmdemo_howmany_check() - validate a value of the howmany parameter
 * @n: the value
 *
 * Return: 0 if @n is from 0 to LKMDEMO_HOWMANY_MAX, else -EINVAL.
 */
int lkmdemo_howmany_check(int n)
{
	return n >= 0 && n <= LKMDEMO_HOWMANY_MAX ? 0 : -EINVAL;
}
EXPORT_SYMBOL_IF_LKMDEMO_KUNIT(lkmdemo_howmany_check);

static int lkmdemo_howmany_set(const char *val, const struct kernel_param *kp)
{
	int n;

	/* On any error the old value stays. */
	if (kstrtoint(val, 0, &n))
		return -EINVAL;
	if (lkmdemo_howmany_check(n))
		return -EINVAL;

	*(int *)kp->arg = n;
	return 0;
}

/*
 * howmany only matters while lkmdemo_init() runs, so it is read-only in
 * sysfs (0444): a writable parameter that nothing reads again would tell
 * whoever writes it that something changed. It can still be set at load:
 * insmod, modprobe.d or lkmdemo.howmany= on the kernel command line, where
 * lkmdemo_howmany_set() validates it and a bad value fails the load.
 */
static const struct kernel_param_ops lkmdemo_howmany_ops = {
	.set = lkmdemo_howmany_set,
	.get = param_get_int,
};
module_param_cb(howmany, &lkmdemo_howmany_ops, &lkmdemo_howmany, 0444);
MODULE_PARM_DESC(howmany, "How many times to greet at load (0-100, default 1)");

unsigned int lkmdemo_bufsize = 65536;
module_param_named(bufsize, lkmdemo_bufsize, uint, 0444);
MODULE_PARM_DESC(bufsize,
		 "FIFO capacity in bytes: a power of two from 4096 (PIPE_BUF) to 1 MiB (default 65536)");

/**
 * lkmdemo_bufsize_valid() - validate a value of the bufsize parameter
 * @size: the value
 *
 * Return: true if @size is a power of two from LKMDEMO_BUFSIZE_MIN
 * (PIPE_BUF, 4096) to LKMDEMO_BUFSIZE_MAX (1 MiB).
 */
bool lkmdemo_bufsize_valid(unsigned int size)
{
	return is_power_of_2(size) && size >= LKMDEMO_BUFSIZE_MIN &&
	       size <= LKMDEMO_BUFSIZE_MAX;
}
EXPORT_SYMBOL_IF_LKMDEMO_KUNIT(lkmdemo_bufsize_valid);

bool lkmdemo_verbose;
module_param_named(verbose, lkmdemo_verbose, bool, 0644);
MODULE_PARM_DESC(verbose, "Log every open and release of /dev/lkmdemo (default N)");

/* More than LKMDEMO_MAX_BANNER elements: the array parser fails the load. */
char *lkmdemo_banner[LKMDEMO_MAX_BANNER];
int lkmdemo_banner_count;
module_param_array_named(banner, lkmdemo_banner, charp, &lkmdemo_banner_count,
			 0444);
MODULE_PARM_DESC(banner,
		 "Up to 4 comma-separated lines queued into the FIFO at load");
