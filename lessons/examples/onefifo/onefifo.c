// SPDX-License-Identifier: GPL-2.0
/*
 * onefifo.c - a FIFO that fits on one screen: /dev/onefifo keeps what is
 * written to it, in order, in the kernel's kfifo, until someone reads it.
 * A reader of an empty FIFO sleeps until a writer brings data.
 */
#include <linux/fs.h>
#include <linux/init.h>
#include <linux/kfifo.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/wait.h>

static DEFINE_KFIFO(fifo, unsigned char, 256);	/* 256 bytes, a power of 2 */
static DEFINE_MUTEX(fifo_lock);			/* protects fifo */
static DECLARE_WAIT_QUEUE_HEAD(fifo_readers);	/* readers waiting for data */

static ssize_t onefifo_read(struct file *file, char __user *buf,
			    size_t count, loff_t *ppos)
{
	unsigned int copied;
	int ret;

	for (;;) {
		if (mutex_lock_interruptible(&fifo_lock))
			return -ERESTARTSYS;
		if (!kfifo_is_empty(&fifo))
			break;
		mutex_unlock(&fifo_lock);
		if (file->f_flags & O_NONBLOCK)
			return -EAGAIN;
		if (wait_event_interruptible(fifo_readers, !kfifo_is_empty(&fifo)))
			return -ERESTARTSYS;
	}
	ret = kfifo_to_user(&fifo, buf, count, &copied);
	mutex_unlock(&fifo_lock);
	return ret ? ret : copied;
}

static ssize_t onefifo_write(struct file *file, const char __user *buf,
			     size_t count, loff_t *ppos)
{
	unsigned int copied;
	int ret;

	if (mutex_lock_interruptible(&fifo_lock))
		return -ERESTARTSYS;
	ret = kfifo_from_user(&fifo, buf, count, &copied);
	mutex_unlock(&fifo_lock);
	if (ret)
		return ret;
	if (!copied)
		return -ENOSPC;		/* full: this FIFO never makes writers wait */
	wake_up_interruptible(&fifo_readers);
	return copied;
}

static const struct file_operations onefifo_fops = {
	.owner = THIS_MODULE,
	.open = stream_open,
	.read = onefifo_read,
	.write = onefifo_write,
};

static struct miscdevice onefifo_misc = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "onefifo",
	.fops = &onefifo_fops,
};

module_misc_device(onefifo_misc);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("A one-screen FIFO: kfifo, a mutex and a wait queue");
