// SPDX-License-Identifier: GPL-2.0
/*
 * start.c - the first half of the module two.ko: its init function, which
 * calls two_say() from the other half. kbuild links start.o and stop.o
 * into one module (see the Makefile).
 */
#include <linux/init.h>
#include <linux/module.h>

#include "two.h"

static int __init two_init(void)
{
	two_say("Hello from start.c");
	return 0;
}

module_init(two_init);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("One module built from two source files");
