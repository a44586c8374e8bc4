// SPDX-License-Identifier: GPL-2.0
/*
 * hello - a module of two source files (exercise: write its Makefile)
 */
#include <linux/init.h>
#include <linux/module.h>
#include <linux/printk.h>

#include "hello_util.h"

static int __init hello_init(void)
{
	pr_info("hello: 6 * 7 = %d\n", hello_multiply(6, 7));
	return 0;
}

static void __exit hello_exit(void)
{
	pr_info("hello: goodbye\n");
}

module_init(hello_init);
module_exit(hello_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("hello: one module from two source files (lkmdemo exercise)");
