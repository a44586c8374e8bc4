// SPDX-License-Identifier: GPL-2.0
/*
 * hello5 - a module with parameters (exercise skeleton)
 *
 * Fill in the TODOs in order. Each parameter is a variable with a default;
 * module_param() and friends make it settable at insmod time (and on the
 * kernel command line, built in), and visible in
 * /sys/module/hello5/parameters/ with the permissions you give it.
 */
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/moduleparam.h>

static int count = 1;
static char *name = "world";
static bool loud;
static int values[4];
static int nvalues;

/*
 * TODO 1: make count a parameter of type int, readable by everybody and
 * writable by root (0644).
 */

/*
 * TODO 2: make name a parameter of type charp (a string the kernel copies
 * for you), readable by everybody, writable by nobody (0444).
 */

/*
 * TODO 3: make loud a parameter of type bool that has no file in sysfs at
 * all (permissions 0).
 */

/*
 * TODO 4: make values an array parameter of up to 4 ints; the kernel must
 * store how many were given in nvalues. Readable by root only (0400).
 */

/*
 * TODO 5: describe every parameter for modinfo with MODULE_PARM_DESC().
 */

static int __init hello5_init(void)
{
	int i;

	/*
	 * TODO 6: print, with pr_info(), one line
	 *   hello5: hello <name>, count=<count> loud=<loud as 0 or 1>
	 * then one line per value that was given (only those):
	 *   hello5: values[<i>]=<value>
	 */
	return 0;
}

static void __exit hello5_exit(void)
{
	pr_info("hello5: goodbye %s\n", name);
}

module_init(hello5_init);
module_exit(hello5_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("hello5: module parameters (lkmdemo exercise)");
