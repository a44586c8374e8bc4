// SPDX-License-Identifier: GPL-2.0-only
/*
 * lkmdemo - /dev/lkmdemo: file operations and ioctls
 *
 * Copyright (C) 2025 The lkmdemo authors
 *
 * Every open file shares the one FIFO of the device. The file is a stream
 * (stream_open(): no file position, lseek() fails with ESPIPE), and reads,
 * writes and poll behave as on a pipe; see fifo.c. An open file pins the
 * module through .owner.
 */

#include <linux/atomic.h>
#include <linux/device.h>
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/poll.h>
#include <linux/sched.h>
#include <linux/splice.h>
#include <linux/uaccess.h>
#include <linux/uio.h>

#include "internal.h"

static struct lkmdemo *lkmdemo_from_file(struct file *file)
{
	/* misc_open() set private_data to our struct miscdevice. */
	return container_of(file->private_data, struct lkmdemo, misc);
}

static int lkmdemo_open(struct inode *inode, struct file *file)
{
	struct lkmdemo *ld = lkmdemo_from_file(file);
	struct device *dev = ld->misc.this_device;
	int ret;

	ret = stream_open(inode, file);
	if (ret)
		return ret;
	/* Like a pipe: IOCB_NOWAIT (RWF_NOWAIT, io_uring) is O_NONBLOCK. */
	file->f_mode |= FMODE_NOWAIT;

	atomic64_inc(&ld->opens);
	atomic_inc(&ld->openers);

	dev_dbg(dev, "opened by %s (pid %d)\n", current->comm,
		task_pid_nr(current));
	if (READ_ONCE(lkmdemo_verbose))
		dev_info(dev, "opened by %s (pid %d)\n", current->comm,
			 task_pid_nr(current));
	return 0;
}

static int lkmdemo_release(struct inode *inode, struct file *file)
{
	struct lkmdemo *ld = lkmdemo_from_file(file);

	atomic_dec(&ld->openers);
	if (READ_ONCE(lkmdemo_verbose))
		dev_info(ld->misc.this_device, "released by %s (pid %d)\n",
			 current->comm, task_pid_nr(current));
	return 0;
}

static bool lkmdemo_nonblock(const struct kiocb *iocb)
{
	return (iocb->ki_filp->f_flags & O_NONBLOCK) ||
	       (iocb->ki_flags & IOCB_NOWAIT);
}

static ssize_t lkmdemo_read_iter(struct kiocb *iocb, struct iov_iter *to)
{
	struct lkmdemo *ld = lkmdemo_from_file(iocb->ki_filp);

	return lkmdemo_fifo_read(&ld->fifo, to, lkmdemo_nonblock(iocb));
}

static ssize_t lkmdemo_write_iter(struct kiocb *iocb, struct iov_iter *from)
{
	struct lkmdemo *ld = lkmdemo_from_file(iocb->ki_filp);

	return lkmdemo_fifo_write(&ld->fifo, from, lkmdemo_nonblock(iocb));
}

static __poll_t lkmdemo_poll(struct file *file, poll_table *wait)
{
	struct lkmdemo *ld = lkmdemo_from_file(file);

	return lkmdemo_fifo_poll(&ld->fifo, file, wait);
}

/*
 * ioctl helpers: copy in, validate, act on the device, copy out. FLUSH, the
 * one that changes state, copies out first: a bad address discards nothing.
 * PEEK and FLUSH read or discard the contents, so, like read(2), they need
 * a file opened for reading (lkmdemo_ioctl() checks); GET_STATS does not.
 */
static long lkmdemo_ioc_get_stats(struct lkmdemo *ld, void __user *argp)
{
	struct lkmdemo_stats st;

	lkmdemo_dev_stats(ld, &st);
	if (copy_to_user(argp, &st, sizeof(st)))
		return -EFAULT;
	return 0;
}

/* Report of lkmdemo_fifo_flush(): the count to the ioctl's __u64. */
static int lkmdemo_flush_to_user(void *ctx, u64 flushed)
{
	u64 __user *uflushed = *(void __user **)ctx;

	return put_user(flushed, uflushed);
}

static long lkmdemo_ioc_flush(struct lkmdemo *ld, void __user *argp)
{
	return lkmdemo_fifo_flush(&ld->fifo, lkmdemo_flush_to_user, &argp);
}

static long lkmdemo_ioc_peek(struct lkmdemo *ld, void __user *argp)
{
	struct lkmdemo_peek args;
	ssize_t n;

	if (copy_from_user(&args, argp, sizeof(args)))
		return -EFAULT;
	if (args.pad)
		return -EINVAL;
	/* A 32-bit kernel would drop the upper half of the address. */
	if (args.buf != (unsigned long)args.buf)
		return -EFAULT;

	n = lkmdemo_fifo_peek(&ld->fifo, u64_to_user_ptr(args.buf), args.len);
	if (n < 0)
		return n;

	args.len = n;
	if (copy_to_user(argp, &args, sizeof(args)))
		return -EFAULT;
	return 0;
}

static long lkmdemo_ioctl(struct file *file, unsigned int cmd,
			  unsigned long arg)
{
	struct lkmdemo *ld = lkmdemo_from_file(file);
	void __user *argp = (void __user *)arg;

	switch (cmd) {
	case LKMDEMO_IOC_GET_STATS:
		return lkmdemo_ioc_get_stats(ld, argp);
	case LKMDEMO_IOC_FLUSH:
		if (!(file->f_mode & FMODE_READ))
			return -EBADF;
		return lkmdemo_ioc_flush(ld, argp);
	case LKMDEMO_IOC_PEEK:
		if (!(file->f_mode & FMODE_READ))
			return -EBADF;
		return lkmdemo_ioc_peek(ld, argp);
	default:
		return -ENOTTY;
	}
}

/*
 * No .llseek: after stream_open(), lseek() fails with ESPIPE.
 * splice(2) and sendfile(2) work as on a pipe: the kernel's generic helpers
 * move the data through .read_iter and .write_iter (compat.h names the
 * helper of each kernel).
 */
static const struct file_operations lkmdemo_fops = {
	.owner		= THIS_MODULE,
	.open		= lkmdemo_open,
	.release	= lkmdemo_release,
	.read_iter	= lkmdemo_read_iter,
	.write_iter	= lkmdemo_write_iter,
	.splice_read	= lkmdemo_splice_read,
	.splice_write	= iter_file_splice_write,
	.poll		= lkmdemo_poll,
	.unlocked_ioctl	= lkmdemo_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
};

/**
 * lkmdemo_chardev_register() - create /dev/lkmdemo and its sysfs attributes
 * @ld: the device, fully set up: the device node is usable at once
 *
 * Return: 0 or the error of misc_register().
 */
int lkmdemo_chardev_register(struct lkmdemo *ld)
{
	ld->misc.minor = MISC_DYNAMIC_MINOR;
	ld->misc.name = "lkmdemo";
	ld->misc.fops = &lkmdemo_fops;
	ld->misc.mode = 0600;
	/* The attributes exist before the uevent announces the device. */
	ld->misc.groups = lkmdemo_groups;

	return misc_register(&ld->misc);
}

/**
 * lkmdemo_chardev_unregister() - remove /dev/lkmdemo
 * @ld: the device
 *
 * Files that are still open keep the module loaded, so this runs only once
 * the last one is closed.
 */
void lkmdemo_chardev_unregister(struct lkmdemo *ld)
{
	misc_deregister(&ld->misc);
}
