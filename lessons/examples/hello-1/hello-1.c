// SPDX-License-Identifier: GPL-2.0
/*
 * hello-1.c - the smallest module: two functions with fixed names.
 *
 * The kernel calls init_module() when the module is loaded and
 * cleanup_module() when it is removed. printk() writes to the kernel log;
 * the KERN_* prefix in front of the text is the message's log level.
 */
#include <linux/module.h>
#include <linux/printk.h>

int init_module(void)
{
	printk(KERN_INFO "hello-1: Hello, world\n");
	printk(KERN_WARNING "hello-1: a warning is level 4\n");
	printk(KERN_DEBUG "hello-1: a debug message is level 7\n");

	/* 0: loaded. A negative errno would make insmod fail. */
	return 0;
}

void cleanup_module(void)
{
	printk(KERN_INFO "hello-1: Goodbye, world\n");
}

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Hello world with init_module() and cleanup_module()");
