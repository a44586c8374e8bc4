// SPDX-License-Identifier: GPL-2.0
/*
 * tinyfifo - a FIFO on one screen (exercise skeleton)
 *
 * /dev/tinyfifo holds up to 4096 bytes: write(2) stores what fits, read(2)
 * returns what is there and, when nothing is, waits for a writer (or fails
 * with EAGAIN if the file was opened O_NONBLOCK). One mutex serialises every
 * access to the kfifo; one wait queue holds the waiting readers.
 *
 * Fill in the TODOs in order.
 */
#include <linux/fs.h>
#include <linux/kfifo.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/wait.h>

/*
 * TODO 1: the state: a kfifo of 4096 bytes (DEFINE_KFIFO), a mutex
 * (DEFINE_MUTEX) and a wait queue head (DECLARE_WAIT_QUEUE_HEAD).
 */

static ssize_t tinyfifo_read(struct file *file, char __user *buf,
			     size_t count, loff_t *ppos)
{
	unsigned int copied = 0;
	int ret = 0;

	/*
	 * TODO 2: take the mutex (interruptibly: -ERESTARTSYS if a signal
	 * comes). While the kfifo is empty: drop the mutex; with O_NONBLOCK
	 * (file->f_flags) return -EAGAIN; else wait on the queue, interruptibly,
	 * until the kfifo is not empty (-ERESTARTSYS on a signal), and take the
	 * mutex again. Then copy to the user with kfifo_to_user(), drop the
	 * mutex, and return the bytes copied (or kfifo_to_user()'s error).
	 */
	return ret ? ret : copied;
}

static ssize_t tinyfifo_write(struct file *file, const char __user *buf,
			      size_t count, loff_t *ppos)
{
	unsigned int copied = 0;
	int ret = 0;

	/*
	 * TODO 3: take the mutex (interruptibly), copy from the user with
	 * kfifo_from_user(), drop the mutex. Nothing copied although count > 0
	 * (the kfifo is full): return -EAGAIN. Else wake the waiting readers
	 * and return the bytes copied.
	 */
	return ret ? ret : copied;
}

/*
 * TODO 4: the file operations (owner, read, write) and a misc device named
 * "tinyfifo" with a dynamic minor and mode 0666.
 */

static int __init tinyfifo_init(void)
{
	/* TODO 5: register the misc device; return its error. */
	return 0;
}

static void __exit tinyfifo_exit(void)
{
	/* TODO 6: deregister it. */
}

module_init(tinyfifo_init);
module_exit(tinyfifo_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("tinyfifo: a FIFO on one screen (lkmdemo exercise)");
