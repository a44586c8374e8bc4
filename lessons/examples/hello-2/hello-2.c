// SPDX-License-Identifier: GPL-2.0
/*
 * hello-2.c - the init and exit functions get names of our own:
 * module_init() and module_exit() tell the kernel which they are.
 */
#include <linux/module.h>
#include <linux/printk.h>

static int hello_2_init(void)
{
	pr_info("hello-2: Hello, world 2\n");
	return 0;
}

static void hello_2_exit(void)
{
	pr_info("hello-2: Goodbye, world 2\n");
}

module_init(hello_2_init);
module_exit(hello_2_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Hello world with module_init() and module_exit()");
