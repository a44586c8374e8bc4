// SPDX-License-Identifier: GPL-2.0
/*
 * oops.c - a module with a bug on purpose, to read and decode an oops.
 *
 * Write a colour's name to /sys/kernel/debug/oops/lookup and the module
 * logs its number. oops_find() returns NULL for a name it does not know,
 * and oops_write() forgets to check: writing "purple" dereferences NULL.
 * Do not unload the module after that: the task that oopsed still holds
 * the debugfs file.
 */
#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/string.h>
#include <linux/uaccess.h>

struct oops_colour {
	const char *name;
	int number;
};

static const struct oops_colour oops_colours[] = {
	{ "red", 1 },
	{ "green", 2 },
	{ "blue", 3 },
};

static struct dentry *oops_dir;

static noinline const struct oops_colour *oops_find(const char *name)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(oops_colours); i++)
		if (sysfs_streq(name, oops_colours[i].name))
			return &oops_colours[i];
	return NULL;
}

static ssize_t oops_write(struct file *file, const char __user *ubuf,
			  size_t count, loff_t *ppos)
{
	const struct oops_colour *c;
	char name[16];

	if (count >= sizeof(name))
		return -EINVAL;
	if (copy_from_user(name, ubuf, count))
		return -EFAULT;
	name[count] = '\0';

	c = oops_find(name);
	pr_info("oops: %s is colour %d\n", c->name, c->number);	/* the bug */
	return count;
}

static const struct file_operations oops_fops = {
	.owner = THIS_MODULE,
	.write = oops_write,
};

static int __init oops_init(void)
{
	oops_dir = debugfs_create_dir("oops", NULL);
	debugfs_create_file("lookup", 0200, oops_dir, NULL, &oops_fops);
	return 0;
}

static void __exit oops_exit(void)
{
	debugfs_remove_recursive(oops_dir);
}

module_init(oops_init);
module_exit(oops_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("A NULL pointer dereference on purpose, to decode an oops");
