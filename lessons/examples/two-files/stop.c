// SPDX-License-Identifier: GPL-2.0
/*
 * stop.c - the second half of two.ko: two_say(), which start.c calls (not
 * static, declared in two.h), and the exit function. module_exit() must be
 * in the file that defines the exit function.
 */
#include <linux/init.h>
#include <linux/module.h>
#include <linux/printk.h>

#include "two.h"

void two_say(const char *what)
{
	pr_info("two: %s\n", what);
}

static void __exit two_exit(void)
{
	two_say("Goodbye from stop.c");
}

module_exit(two_exit);
