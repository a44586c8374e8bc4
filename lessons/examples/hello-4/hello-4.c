// SPDX-License-Identifier: GPL-2.0
/*
 * hello-4.c - a module describes itself: licence, author, description and
 * version end up in the .ko file, where modinfo reads them.
 */
#include <linux/init.h>
#include <linux/module.h>
#include <linux/printk.h>

static int __init hello_4_init(void)
{
	pr_info("hello-4: Hello, world 4\n");
	return 0;
}

static void __exit hello_4_exit(void)
{
	pr_info("hello-4: Goodbye, world 4\n");
}

module_init(hello_4_init);
module_exit(hello_4_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("A. Learner <learner@example.org>");
MODULE_DESCRIPTION("Hello world that describes itself");
MODULE_VERSION("1.0");
