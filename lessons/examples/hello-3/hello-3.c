// SPDX-License-Identifier: GPL-2.0
/*
 * hello-3.c - __init, __initdata and __exit: code and data that are needed
 * only while loading, or only while unloading.
 */
#include <linux/init.h>
#include <linux/module.h>
#include <linux/printk.h>

static int hello_3_data __initdata = 3;

static int __init hello_3_init(void)
{
	pr_info("hello-3: Hello, world %d\n", hello_3_data);
	return 0;
}

static void __exit hello_3_exit(void)
{
	pr_info("hello-3: Goodbye, world 3\n");
}

module_init(hello_3_init);
module_exit(hello_3_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Hello world with __init, __initdata and __exit");
