// SPDX-License-Identifier: GPL-2.0
/*
 * stop.c - the second half of two.ko: its exit function. It is not static,
 * so start.c can name it; two.h declares it for both files.
 */
#include <linux/printk.h>

#include "two.h"

void two_exit(void)
{
	pr_info("two: Goodbye from stop.c\n");
}
