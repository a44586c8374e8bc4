// SPDX-License-Identifier: GPL-2.0
/*
 * greet.c - a module that offers three functions to other modules:
 *
 *   greet_any()	EXPORT_SYMBOL: any module may call it;
 *   greet_gpl()	EXPORT_SYMBOL_GPL: only GPL-compatible modules;
 *   greet_ns()		EXPORT_SYMBOL_NS_GPL: GPL modules that also import
 *			the namespace GREET (MODULE_IMPORT_NS).
 */
#include <linux/export.h>
#include <linux/init.h>
#include <linux/module.h>
#include <linux/printk.h>

#include "greet.h"

void greet_any(const char *who)
{
	pr_info("greet: hello %s, from %s\n", who, __func__);
}
EXPORT_SYMBOL(greet_any);

void greet_gpl(const char *who)
{
	pr_info("greet: hello %s, from %s\n", who, __func__);
}
EXPORT_SYMBOL_GPL(greet_gpl);

void greet_ns(const char *who)
{
	pr_info("greet: hello %s, from %s\n", who, __func__);
}
EXPORT_SYMBOL_GREET_NS_GPL(greet_ns);

static int __init greet_init(void)
{
	pr_info("greet: ready\n");
	return 0;
}

static void __exit greet_exit(void)
{
	pr_info("greet: gone\n");
}

module_init(greet_init);
module_exit(greet_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Exports a function three ways");
