// SPDX-License-Identifier: GPL-2.0
/*
 * closed.c - the same module under a licence that is not GPL compatible.
 * Loading it taints the kernel with P (proprietary module). The file is
 * GPL-2.0 like every example; only the string the kernel reads differs.
 */
#include <linux/init.h>
#include <linux/module.h>
#include <linux/printk.h>

static int __init closed_init(void)
{
	pr_info("closed: Hello from a proprietary module\n");
	return 0;
}

static void __exit closed_exit(void)
{
	pr_info("closed: Goodbye\n");
}

module_init(closed_init);
module_exit(closed_exit);

MODULE_LICENSE("Proprietary");
MODULE_DESCRIPTION("A module whose licence taints the kernel");
