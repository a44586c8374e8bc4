// SPDX-License-Identifier: GPL-2.0
/*
 * start.c - the first half of the module two.ko: its init function.
 * kbuild links start.o and stop.o into one module (see the Makefile).
 */
#include <linux/init.h>
#include <linux/module.h>
#include <linux/printk.h>

#include "two.h"

static int __init two_init(void)
{
	pr_info("two: Hello from start.c\n");
	return 0;
}

module_init(two_init);
module_exit(two_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("One module built from two source files");
