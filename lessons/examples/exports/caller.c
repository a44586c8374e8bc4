// SPDX-License-Identifier: GPL-2.0
/*
 * caller.c - a module that calls the three functions greet.ko exports.
 * insmod refuses it while greet.ko is not loaded; modprobe would load
 * greet.ko first (modules.dep says caller depends on greet).
 */
#include <linux/init.h>
#include <linux/module.h>
#include <linux/printk.h>

#include "greet.h"

static int __init caller_init(void)
{
	greet_any("caller");
	greet_gpl("caller");
	greet_ns("caller");
	return 0;
}

static void __exit caller_exit(void)
{
	pr_info("caller: gone\n");
}

module_init(caller_init);
module_exit(caller_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Calls the functions greet.ko exports");
IMPORT_GREET_NS();
