/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * lkmdemo - declarations shared between the files of the lkmdemo module
 *
 * Copyright (C) 2025 The lkmdemo authors
 *
 * Object model: one device (struct lkmdemo, the singleton lkmdemo_dev) owns
 * one FIFO (struct lkmdemo_fifo) and one misc device, /dev/lkmdemo. Every
 * open file of /dev/lkmdemo, and every caller of the in-kernel API
 * (lkmdemo.h), reads and writes that one FIFO.
 *
 * Locks, outermost first:
 *   kernel_param_lock(THIS_MODULE)  the writable charp parameter lkmdemo_whom
 *   lkmdemo_fifo.read_lock          consumers: read, peek, flush
 *   lkmdemo_fifo.write_lock         producers: write, post, flush
 * Nothing takes the parameter lock together with a FIFO lock. Nobody sleeps
 * waiting for data or room while holding a FIFO lock; see fifo.c. Counters
 * are read without any of these locks (sequence counts written with
 * preemption disabled, also on PREEMPT_RT), so that nobody, and above all
 * no unprivileged reader of sysfs, waits behind a reader or writer that
 * holds a FIFO lock across a copy of user memory.
 */
#ifndef _LKMDEMO_INTERNAL_H
#define _LKMDEMO_INTERNAL_H

#include <linux/atomic.h>
#include <linux/cache.h>
#include <linux/limits.h>
#include <linux/miscdevice.h>
#include <linux/mutex.h>
#include <linux/poll.h>
#include <linux/seqlock.h>
#include <linux/sizes.h>
#include <linux/types.h>
#include <linux/uio.h>
#include <linux/wait.h>

#include "compat.h"
#include "lkmdemo.h"

/* Module parameters, params.c */
#define LKMDEMO_MAX_BANNER	4
#define LKMDEMO_HOWMANY_MAX	100
/*
 * The smallest FIFO holds one atomic write (PIPE_BUF); the page size does
 * not matter: a 64 KiB FIFO must load on kernels with 256 KiB pages too.
 */
#define LKMDEMO_BUFSIZE_MIN	PIPE_BUF
#define LKMDEMO_BUFSIZE_MAX	SZ_1M

extern char *lkmdemo_whom;		/* under kernel_param_lock() */
extern int lkmdemo_howmany;		/* read-only, 0444 */
extern unsigned int lkmdemo_bufsize;
extern bool lkmdemo_verbose;
extern char *lkmdemo_banner[LKMDEMO_MAX_BANNER];
extern int lkmdemo_banner_count;

bool lkmdemo_bufsize_valid(unsigned int size);
int lkmdemo_howmany_check(int n);

/**
 * struct lkmdemo_fifo - a byte FIFO with pipe(7) semantics
 * @buf: the ring, @size bytes from kvmalloc(); the pointer is immutable
 *	after lkmdemo_fifo_init()
 * @size: capacity in bytes, a power of two; immutable
 * @write_lowat: free bytes needed for EPOLLOUT; READ_ONCE()/WRITE_ONCE()
 * @polled: set once the FIFO has been polled: from then on every store
 *	wakes @read_wait, for edge-triggered pollers; READ_ONCE()/WRITE_ONCE()
 * @read_wait: consumers and EPOLLIN pollers wait here for data; a
 *	consumer checks for data under its lock before it sleeps, and a
 *	producer decides under it whether to wake one
 * @write_wait: producers and EPOLLOUT pollers wait here for room
 * @read_lock: serialises consumers (read, peek, flush) and guards @tail,
 *	@bytes_out, @bytes_flushed; taken before @write_lock when both are
 *	needed
 * @out_seq: sequence count of @tail, @bytes_out and @bytes_flushed, bumped
 *	under @read_lock with preemption disabled; lets lkmdemo_fifo_stats()
 *	read them without it
 * @tail: free-running index of the next byte to read; written under
 *	@read_lock with smp_store_release(), read by producers with
 *	smp_load_acquire()
 * @bytes_out: bytes consumed by reads; @read_lock, @out_seq
 * @bytes_flushed: bytes discarded by flushes; @read_lock (and @write_lock,
 *	which a flush holds too), @out_seq
 * @write_lock: serialises producers (write, post) and guards @head,
 *	@bytes_in
 * @in_seq: sequence count of @head and @bytes_in, bumped under @write_lock
 *	with preemption disabled
 * @head: free-running index of the next byte to write; written under
 *	@write_lock with smp_store_release(), read by consumers with
 *	smp_load_acquire()
 * @base: the index stored at @buf[0]; set to @head by a producer, under
 *	@write_lock, only while the FIFO is empty; consumers read it with
 *	READ_ONCE() after their smp_load_acquire() of @head
 * @bytes_in: bytes stored by writes and posts; @write_lock, @in_seq
 *
 * The fill level is @head - @tail and never exceeds @size; the byte at
 * index i lives at @buf[(i - @base) & (@size - 1)]. Consumer and producer
 * fields sit on separate cache lines so that a reader and a writer running
 * at the same time do not bounce one line between their CPUs.
 */
struct lkmdemo_fifo {
	char *buf;
	unsigned int size;
	unsigned int write_lowat;
	bool polled;
	wait_queue_head_t read_wait;
	wait_queue_head_t write_wait;

	struct mutex read_lock ____cacheline_aligned_in_smp;
	seqcount_t out_seq;
	unsigned long tail;
	u64 bytes_out;
	u64 bytes_flushed;

	struct mutex write_lock ____cacheline_aligned_in_smp;
	seqcount_t in_seq;
	unsigned long head;
	unsigned long base;
	u64 bytes_in;
};

/* fifo.c */
int lkmdemo_fifo_init(struct lkmdemo_fifo *f, unsigned int size);
void lkmdemo_fifo_free(struct lkmdemo_fifo *f);
ssize_t lkmdemo_fifo_write(struct lkmdemo_fifo *f, struct iov_iter *from,
			   bool nonblock);
ssize_t lkmdemo_fifo_read(struct lkmdemo_fifo *f, struct iov_iter *to,
			  bool nonblock);
int lkmdemo_fifo_post(struct lkmdemo_fifo *f, const void *buf, size_t len);
ssize_t lkmdemo_fifo_peek(struct lkmdemo_fifo *f, void __user *buf,
			  size_t len);
int lkmdemo_fifo_flush(struct lkmdemo_fifo *f,
		       int (*report)(void *ctx, u64 flushed), void *ctx);
void lkmdemo_fifo_stats(struct lkmdemo_fifo *f, struct lkmdemo_stats *st);
__poll_t lkmdemo_fifo_poll(struct lkmdemo_fifo *f, struct file *file,
			   poll_table *wait);
__poll_t lkmdemo_fifo_poll_mask(struct lkmdemo_fifo *f);
unsigned int lkmdemo_fifo_len(struct lkmdemo_fifo *f);
unsigned int lkmdemo_fifo_avail(struct lkmdemo_fifo *f);
int lkmdemo_fifo_set_write_lowat(struct lkmdemo_fifo *f, unsigned int lowat);
void lkmdemo_fifo_in_begin(struct lkmdemo_fifo *f);
void lkmdemo_fifo_in_end(struct lkmdemo_fifo *f);

/**
 * struct lkmdemo - the lkmdemo device (one instance, lkmdemo_dev)
 * @fifo: the byte stream behind /dev/lkmdemo and lkmdemo_post()
 * @misc: /dev/lkmdemo; registered last at load, deregistered first
 * @opens: successful opens since load
 * @openers: open file descriptions now
 * @up: the device is set up and the in-kernel API may use it; set with
 *	smp_store_release() as the last step of a successful init, cleared
 *	first at exit. A built-in lkmdemo whose init failed stays in vmlinux
 *	with its exported functions, so they check this; see api.c.
 */
struct lkmdemo {
	struct lkmdemo_fifo fifo;
	struct miscdevice misc;
	atomic64_t opens;
	atomic_t openers;
	bool up;
};

/* main.c: the device singleton and its state */
extern struct lkmdemo lkmdemo_dev;
struct lkmdemo *lkmdemo_get_up(void);
void lkmdemo_dev_stats(struct lkmdemo *ld, struct lkmdemo_stats *st);

/* chardev.c: /dev/lkmdemo on top of the FIFO and the sysfs groups */
int lkmdemo_chardev_register(struct lkmdemo *ld);
void lkmdemo_chardev_unregister(struct lkmdemo *ld);

/* sysfs.c: the attributes of /sys/class/misc/lkmdemo/, as data */
extern const struct attribute_group *lkmdemo_groups[];

#endif /* _LKMDEMO_INTERNAL_H */
