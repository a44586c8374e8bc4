// SPDX-License-Identifier: GPL-2.0
/*
 * hello-5.c - module parameters: values given to insmod (or on the kernel
 * command line for a built-in driver), visible in
 * /sys/module/hello_5/parameters/ when their mode is not 0.
 */
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/printk.h>

static int count = 1;
module_param(count, int, 0644);
MODULE_PARM_DESC(count, "how many times to greet (int, writable by root)");

static char *whom = "world";
module_param(whom, charp, 0444);
MODULE_PARM_DESC(whom, "whom to greet (charp, read-only in sysfs)");

static bool loud;
module_param(loud, bool, 0644);
MODULE_PARM_DESC(loud, "greet at KERN_WARNING instead of KERN_INFO (bool)");

static int lucky[4] = { 7 };
static int nr_lucky = 1;
module_param_array(lucky, int, &nr_lucky, 0444);
MODULE_PARM_DESC(lucky, "up to 4 lucky numbers (array of int)");

static int secret = 42;
module_param(secret, int, 0);
MODULE_PARM_DESC(secret, "set at load time only, not in sysfs (mode 0)");

static int __init hello_5_init(void)
{
	int i;

	for (i = 0; i < count; i++) {
		if (loud)
			pr_warn("hello-5: HELLO, %s\n", whom);
		else
			pr_info("hello-5: Hello, %s\n", whom);
	}
	for (i = 0; i < nr_lucky; i++)
		pr_info("hello-5: lucky[%d] = %d\n", i, lucky[i]);
	pr_info("hello-5: secret = %d\n", secret);
	return 0;
}

static void __exit hello_5_exit(void)
{
	pr_info("hello-5: Goodbye, %s\n", whom);
}

module_init(hello_5_init);
module_exit(hello_5_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Hello world with module parameters");
