// SPDX-License-Identifier: GPL-2.0
/*
 * chardev.c - a character device, /dev/chardev, that remembers the last
 * thing written to it and gives it back to every reader.
 *
 * A misc device is the short way to a character device: misc_register()
 * picks a minor number under major 10 and creates the /dev node.
 */
#include <linux/fs.h>
#include <linux/init.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/uaccess.h>

#define CHARDEV_SIZE 64

struct chardev {
	struct miscdevice misc;
	struct mutex lock;		/* protects buf and len */
	char buf[CHARDEV_SIZE];
	size_t len;
};

static int chardev_open(struct inode *inode, struct file *file)
{
	/*
	 * misc_open() left a pointer to our struct miscdevice in
	 * private_data; container_of() turns it into the struct around it.
	 */
	struct chardev *dev = container_of(file->private_data,
					   struct chardev, misc);

	file->private_data = dev;
	return 0;
}

static ssize_t chardev_read(struct file *file, char __user *ubuf,
			    size_t count, loff_t *ppos)
{
	struct chardev *dev = file->private_data;
	ssize_t ret;

	mutex_lock(&dev->lock);
	ret = simple_read_from_buffer(ubuf, count, ppos, dev->buf, dev->len);
	mutex_unlock(&dev->lock);
	return ret;
}

static ssize_t chardev_write(struct file *file, const char __user *ubuf,
			     size_t count, loff_t *ppos)
{
	struct chardev *dev = file->private_data;

	if (count > CHARDEV_SIZE)
		return -EFBIG;
	mutex_lock(&dev->lock);
	if (copy_from_user(dev->buf, ubuf, count)) {
		mutex_unlock(&dev->lock);
		return -EFAULT;
	}
	dev->len = count;
	mutex_unlock(&dev->lock);
	return count;
}

static const struct file_operations chardev_fops = {
	.owner = THIS_MODULE,
	.open = chardev_open,
	.read = chardev_read,
	.write = chardev_write,
};

static struct chardev chardev = {
	.misc = {
		.minor = MISC_DYNAMIC_MINOR,
		.name = "chardev",
		.fops = &chardev_fops,
	},
	.lock = __MUTEX_INITIALIZER(chardev.lock),
};

static int __init chardev_init(void)
{
	return misc_register(&chardev.misc);
}

static void __exit chardev_exit(void)
{
	misc_deregister(&chardev.misc);
}

module_init(chardev_init);
module_exit(chardev_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("A misc character device with read and write");
