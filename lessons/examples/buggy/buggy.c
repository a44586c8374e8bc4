// SPDX-License-Identifier: GPL-2.0
/*
 * buggy.c - a module with a bug on purpose, to read and decode an oops.
 *
 * Write a colour's name to /sys/kernel/debug/buggy/lookup and the module
 * logs its number. buggy_find() returns NULL for a name it does not know,
 * and buggy_write() forgets to check: writing "purple" dereferences NULL.
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

struct buggy_colour {
	const char *name;
	int number;
};

static const struct buggy_colour buggy_colours[] = {
	{ "red", 1 },
	{ "green", 2 },
	{ "blue", 3 },
};

static struct dentry *buggy_dir;

static noinline const struct buggy_colour *buggy_find(const char *name)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(buggy_colours); i++)
		if (sysfs_streq(name, buggy_colours[i].name))
			return &buggy_colours[i];
	return NULL;
}

static ssize_t buggy_write(struct file *file, const char __user *ubuf,
			   size_t count, loff_t *ppos)
{
	const struct buggy_colour *c;
	char name[16];

	if (count >= sizeof(name))
		return -EINVAL;
	if (copy_from_user(name, ubuf, count))
		return -EFAULT;
	name[count] = '\0';

	c = buggy_find(name);
	pr_info("buggy: %s is colour %d\n", c->name, c->number);	/* the bug */
	return count;
}

static const struct file_operations buggy_fops = {
	.owner = THIS_MODULE,
	.write = buggy_write,
};

static int __init buggy_init(void)
{
	buggy_dir = debugfs_create_dir("buggy", NULL);
	debugfs_create_file("lookup", 0200, buggy_dir, NULL, &buggy_fops);
	return 0;
}

static void __exit buggy_exit(void)
{
	debugfs_remove_recursive(buggy_dir);
}

module_init(buggy_init);
module_exit(buggy_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("A NULL pointer dereference on purpose, to decode an oops");
