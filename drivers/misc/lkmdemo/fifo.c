// SPDX-License-Identifier: GPL-2.0-only
/*
 * lkmdemo - the byte FIFO behind /dev/lkmdemo
 *
 * Copyright (C) 2025 The lkmdemo authors
 *
 * Concurrency design
 *
 * The FIFO is one contiguous ring of @size bytes (a power of two) with two
 * free-running indexes: @head, where producers store, and @tail, where
 * consumers load. The fill level is head - tail.
 *
 * Two mutexes. Producers (write, post) serialise on write_lock, consumers
 * (read, peek) on read_lock, so at most one producer and one consumer work
 * on the ring at any time, and they can copy at the same time. Between those
 * two, the single-producer/single-consumer protocol of
 * Documentation/core-api/circular-buffers.rst applies:
 *
 * - a producer reads tail with smp_load_acquire(), so the consumer has
 *   finished reading the bytes it freed before they are overwritten; copies
 *   into the free space; then publishes head with smp_store_release(), so
 *   the bytes are visible before the index that covers them;
 * - a consumer reads head with smp_load_acquire(), so it sees the bytes
 *   that head covers; copies them out; then publishes tail with
 *   smp_store_release().
 *
 * Each side writes only its own index; flush writes tail but holds both
 * mutexes (read_lock first), so neither index moves under it.
 *
 * Statistics take no mutex: a mutex is held across a copy of user memory,
 * which can take long (a page fault on a slow file), and the counters are
 * world-readable in sysfs. Each side bumps a sequence count of its own
 * (in_seq under write_lock, out_seq under read_lock) around the few
 * stores that change its index and counters; lkmdemo_fifo_stats() reads
 * everything between the two counts and retries if either moved. That
 * gives a consistent snapshot, bytes_in == bytes_out + bytes_flushed +
 * fill, without ever waiting for a reader or writer, and no torn 64-bit
 * counters on 32-bit machines.
 *
 * The counts are plain seqcount_t, written with preemption disabled
 * (lkmdemo_fifo_in_begin() and friends), not seqcount_mutex_t: on
 * PREEMPT_RT a seqcount_mutex_t writer stays preemptible, and a reader
 * that finds its count odd takes the mutex to let it finish
 * (include/linux/seqlock.h). It would then queue behind any other writer
 * waiting for write_lock, and wait for that writer's copy from user
 * memory. With preemption disabled a write section is a few stores long on
 * every kernel, and a reader only ever spins for that long.
 *
 * Nobody sleeps waiting for data or room with a mutex held: lock, check,
 * copy what the request allows, publish, unlock, wake the other side; or
 * unlock and sleep exclusively on a lockless condition (readers with
 * wait_event_interruptible_exclusive(), writers in lkmdemo_fifo_wait_room()),
 * then start over. A mutex is therefore held only for the length of a copy,
 * and an O_NONBLOCK caller never waits behind a caller that sleeps for data
 * or room. No user copy happens under a spinlock.
 *
 * As in pipes, blocked readers and writers wait exclusively: a wake-up
 * (pollers apart) wakes one of them, and a reader or writer that was woken
 * passes it on when it returns while data or room is left. A writer wakes
 * a reader only if its bytes went into an empty FIFO: were there older
 * bytes, a reader is already on its way to them and will pass the wake-up
 * on. (Once the FIFO has been polled, every store wakes, as with a pipe:
 * an edge-triggered poller expects an event per write.) Readers wake
 * writers only once the free space reaches the wake threshold, so that a
 * writer is not woken to store a few bytes and sleep again (a pipe wakes
 * its writers when a whole page is free). The threshold starts a chain of
 * wake-ups, it does not end one: a woken writer that returns passes the
 * wake-up on to the next writer whose write fits in what it left, however
 * little that is.
 *
 * Once set, @polled stays set for the life of the FIFO, which is the life
 * of the module: a pipe, too, keeps its "polled" mark until it is freed.
 * Clearing it when the last file is closed would race with a new open()
 * and poll(), and an edge-triggered poller that missed an event could wait
 * forever; keeping it costs wake-ups (each then passed on or declined),
 * never a lost one. So a poller anywhere switches the device to waking on
 * every store until the module is reloaded. The hand-off between blocked
 * readers is therefore tested by KUnit on a FIFO of its own that nobody
 * polls (lkmdemo_fifo_readers_*): on the device, an earlier poll() hides it.
 *
 * Blocked writers do not all wait for the same amount of room: an atomic
 * write waits until all of it fits, a larger one until PIPE_BUF bytes do,
 * and the threshold can be lower than both (write_lowat). So a writer
 * waits with a wake function of its own, lkmdemo_writer_wake(), which
 * declines the wake-up while there is less room than that writer needs;
 * the wait queue then offers the exclusive wake-up to the next writer in
 * line. A wake-up therefore reaches a writer that can use it, if there is
 * one, and one woken writer never leaves another that could go on asleep.
 *
 * Ring position: the byte at index i lives at buf[(i - base) & (size - 1)].
 * A producer that finds the FIFO empty moves base to head, so every burst
 * that starts on an empty FIFO starts at buf[0]: the copies keep the
 * alignment of the caller's buffer, and a write of up to the capacity does
 * not wrap. The producer's acquire of tail (head == tail: the consumer is
 * done with every byte, and with base) orders the move after the
 * consumer's last use of base, and the release of head in the commit
 * orders it before the consumer's next one.
 *
 * Wake-ups cannot be lost: a waker publishes the index, then
 * wq_has_sleeper() executes smp_mb() before looking at the wait queue; a
 * sleeper queues itself, then set_current_state() (in wait_event*() and
 * prepare_to_wait*()) or the smp_mb() in the poll handler orders that
 * before it re-reads the index. Either the waker sees the sleeper, or the
 * sleeper sees the new index. A writer that sees a sleeping reader then
 * decides whether its bytes went into an empty FIFO by loading tail under
 * read_wait's lock, the lock under which a reader checks before it
 * sleeps: if the reader checked first, the writer sees the tail that
 * reader saw; if not, the reader sees the writer's bytes. A woken reader
 * that leaves bytes behind and a writer whose bytes were not into an empty
 * FIFO are ordered by a full barrier each (store an index, smp_mb(), load
 * the other): either the reader passes the wake-up on, or the writer wakes.
 *
 * Lockless readers of both indexes (lkmdemo_fifo_len(), used for waiting
 * and polling) load tail with smp_load_acquire() before head: tail only
 * ever takes values that head had before, so they never see tail > head.
 *
 * Atomicity, as pipe(7): a write of at most min(PIPE_BUF, size) bytes is
 * copied in one hold of write_lock once that much room is free, so it never
 * interleaves with other writes. A larger write copies what fits in each
 * hold and may interleave with other writers between holds.
 *
 * Faults: a chunk whose copy_from_iter() comes up short is not published
 * (head stays, the iterator is rewound); a chunk whose copy_to_iter() comes
 * up short consumes only the bytes that reached the reader.
 */

#include <linux/limits.h>
#include <linux/lockdep.h>
#include <linux/log2.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/poll.h>
#include <linux/preempt.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "internal.h"

/* Largest write that is never interleaved with other writes. */
static size_t lkmdemo_fifo_atomic_max(const struct lkmdemo_fifo *f)
{
	return min_t(size_t, PIPE_BUF, f->size);
}

/* Free bytes, as seen by the producer holding write_lock. */
static unsigned int lkmdemo_fifo_room(struct lkmdemo_fifo *f)
{
	lockdep_assert_held(&f->write_lock);

	/* Pairs with smp_store_release() of tail in lkmdemo_fifo_load(). */
	return f->size - (f->head - smp_load_acquire(&f->tail));
}

/* Stored bytes, as seen by the consumer holding read_lock. */
static unsigned int lkmdemo_fifo_stored(struct lkmdemo_fifo *f)
{
	lockdep_assert_held(&f->read_lock);

	/* Pairs with smp_store_release() of head in lkmdemo_fifo_commit(). */
	return smp_load_acquire(&f->head) - f->tail;
}

/* Free bytes that make it worth waking writers and EPOLLOUT pollers. */
static unsigned int lkmdemo_fifo_wake_room(struct lkmdemo_fifo *f)
{
	return min_t(unsigned int, lkmdemo_fifo_atomic_max(f),
		     READ_ONCE(f->write_lowat));
}

/* Ring offset of the byte at index @idx; see the comment at the top. */
static size_t lkmdemo_fifo_off(struct lkmdemo_fifo *f, unsigned long idx)
{
	return (idx - READ_ONCE(f->base)) & (f->size - 1);
}

/* Before a store, with write_lock held: restart an empty ring at buf[0]. */
static void lkmdemo_fifo_realign(struct lkmdemo_fifo *f)
{
	lockdep_assert_held(&f->write_lock);

	/* Pairs with smp_store_release() of tail in lkmdemo_fifo_load(). */
	if (f->head == smp_load_acquire(&f->tail))
		WRITE_ONCE(f->base, f->head);
}

/*
 * Room appeared at once, by a flush or a lower write_lowat, or a woken
 * writer passes its wake-up on: wake the pollers and the first sleeping
 * writer for whose write there is room now (lkmdemo_writer_wake() declines
 * for the others), whatever the wake threshold. The threshold only keeps
 * readers from waking writers for a few bytes at a time.
 */
static void lkmdemo_fifo_wake_writers_now(struct lkmdemo_fifo *f)
{
	/*
	 * wq_has_sleeper() starts with smp_mb(), which pairs with the barrier
	 * between queueing and re-checking on the sleeper's side.
	 */
	if (wq_has_sleeper(&f->write_wait))
		wake_up_interruptible_poll(&f->write_wait,
					   EPOLLOUT | EPOLLWRNORM);
}

/*
 * After a store of the bytes from index @start on: wake a reader only if
 * the readers had consumed everything before them (the FIFO was empty), as
 * a pipe does; a reader woken earlier is still on its way to the older
 * bytes and passes the wake-up on. Pollers, once there have been any, are
 * woken on every store.
 *
 * wq_has_sleeper() orders our store of head before looking for sleepers;
 * a reader queues itself before it checks (lkmdemo_fifo_wait_data()), so
 * if we see none, it sees our bytes. If we see one, its check was made
 * under read_wait's lock, and so is our look at tail: whichever of the two
 * comes second sees what the other saw or stored.
 */
static void lkmdemo_fifo_wake_readers(struct lkmdemo_fifo *f,
				      unsigned long start)
{
	struct wait_queue_head *wq = &f->read_wait;
	unsigned long flags;
	bool wake;

	if (!wq_has_sleeper(wq))
		return;
	spin_lock_irqsave(&wq->lock, flags);
	wake = READ_ONCE(f->polled) || (long)(READ_ONCE(f->tail) - start) >= 0;
	spin_unlock_irqrestore(&wq->lock, flags);
	if (wake)
		wake_up_interruptible_sync_poll(wq, EPOLLIN | EPOLLRDNORM);
}

/*
 * After a read: wake a blocked writer, and EPOLLOUT pollers, only once the
 * free space reaches the wake threshold. Waking them on every read has a
 * writer run to store a few bytes and sleep again; a pipe likewise wakes
 * its writers only when a whole page is free. Sleepers are looked for
 * first, so that the common case costs a barrier and a list check. The
 * exclusive wake-up goes to the first writer with enough room, see
 * lkmdemo_writer_wake().
 */
static void lkmdemo_fifo_wake_writers(struct lkmdemo_fifo *f)
{
	if (wq_has_sleeper(&f->write_wait) &&
	    lkmdemo_fifo_avail(f) >= lkmdemo_fifo_wake_room(f))
		wake_up_interruptible_sync_poll(&f->write_wait,
						EPOLLOUT | EPOLLWRNORM);
}

/**
 * struct lkmdemo_writer_wait - a writer blocked for room in the FIFO
 * @wq: its entry on lkmdemo_fifo.write_wait
 * @fifo: the FIFO
 * @need: free bytes the writer needs to go on
 */
struct lkmdemo_writer_wait {
	struct wait_queue_entry wq;
	struct lkmdemo_fifo *fifo;
	size_t need;
};

/*
 * Wake function of a blocked writer, called by the waker under the wait
 * queue's lock. Returning 0 declines the wake-up: the writer stays queued
 * and asleep, and, since it did not count as woken, the exclusive wake-up
 * goes on to the next writer.
 */
static int lkmdemo_writer_wake(struct wait_queue_entry *wq, unsigned int mode,
			       int sync, void *key)
{
	struct lkmdemo_writer_wait *w =
		container_of(wq, struct lkmdemo_writer_wait, wq);

	if (lkmdemo_fifo_avail(w->fifo) < w->need)
		return 0;
	return autoremove_wake_function(wq, mode, sync, key);
}

/*
 * Sleep, without a lock, until @need bytes are free or a signal arrives.
 * A wake-up that finds the room taken again (by a writer that did not
 * sleep) is passed on before sleeping again: another writer may need less.
 */
static int lkmdemo_fifo_wait_room(struct lkmdemo_fifo *f, size_t need)
{
	struct lkmdemo_writer_wait w = { .fifo = f, .need = need };
	bool woken = false;
	int ret = 0;

	init_wait_entry(&w.wq, 0);
	w.wq.func = lkmdemo_writer_wake;
	for (;;) {
		/* Queues us, then a barrier: pairs with wq_has_sleeper(). */
		prepare_to_wait_exclusive(&f->write_wait, &w.wq,
					  TASK_INTERRUPTIBLE);
		if (lkmdemo_fifo_avail(f) >= need)
			break;
		if (signal_pending(current)) {
			ret = -ERESTARTSYS;
			break;
		}
		if (woken && lkmdemo_fifo_avail(f))
			lkmdemo_fifo_wake_writers_now(f);
		schedule();
		woken = true;
	}
	finish_wait(&f->write_wait, &w.wq);
	return ret;
}

/**
 * lkmdemo_fifo_init() - set up an empty FIFO
 * @f: the FIFO
 * @size: capacity in bytes, a power of two up to LKMDEMO_BUFSIZE_MAX
 *
 * Context: process context; may sleep.
 * Return: 0, -EINVAL for a bad @size, or -ENOMEM.
 */
int lkmdemo_fifo_init(struct lkmdemo_fifo *f, unsigned int size)
{
	if (!is_power_of_2(size) || size > LKMDEMO_BUFSIZE_MAX)
		return -EINVAL;

	memset(f, 0, sizeof(*f));
	f->buf = kvmalloc(size, GFP_KERNEL);
	if (!f->buf)
		return -ENOMEM;

	f->size = size;
	f->write_lowat = lkmdemo_fifo_atomic_max(f);
	init_waitqueue_head(&f->read_wait);
	init_waitqueue_head(&f->write_wait);
	mutex_init(&f->read_lock);
	mutex_init(&f->write_lock);
	seqcount_init(&f->out_seq);
	seqcount_init(&f->in_seq);
	return 0;
}
EXPORT_SYMBOL_IF_LKMDEMO_KUNIT(lkmdemo_fifo_init);

/**
 * lkmdemo_fifo_free() - release the memory of a FIFO
 * @f: the FIFO, set up by lkmdemo_fifo_init() and no longer in use
 *
 * The FIFO is left empty with a capacity of 0, so that a caller that should
 * not be there gets -EMSGSIZE from lkmdemo_fifo_post() instead of a copy
 * into freed memory.
 */
void lkmdemo_fifo_free(struct lkmdemo_fifo *f)
{
	mutex_destroy(&f->write_lock);
	mutex_destroy(&f->read_lock);
	kvfree(f->buf);
	f->buf = NULL;
	f->size = 0;
	f->head = 0;
	f->tail = 0;
	f->base = 0;
}
EXPORT_SYMBOL_IF_LKMDEMO_KUNIT(lkmdemo_fifo_free);

/**
 * lkmdemo_fifo_len() - number of bytes stored, without locking
 * @f: the FIFO
 *
 * The value may be stale by the time the caller looks at it; it is meant
 * for wait conditions, poll and statistics.
 *
 * Return: the fill level, from 0 to the capacity.
 */
unsigned int lkmdemo_fifo_len(struct lkmdemo_fifo *f)
{
	/* Load tail first, ordered before head: see the comment at the top. */
	unsigned long tail = smp_load_acquire(&f->tail);
	unsigned long head = READ_ONCE(f->head);

	return min_t(unsigned long, head - tail, f->size);
}
EXPORT_SYMBOL_IF_LKMDEMO_KUNIT(lkmdemo_fifo_len);

/**
 * lkmdemo_fifo_avail() - number of free bytes, without locking
 * @f: the FIFO
 *
 * Return: the free space, from 0 to the capacity; may be stale, like
 * lkmdemo_fifo_len().
 */
unsigned int lkmdemo_fifo_avail(struct lkmdemo_fifo *f)
{
	return f->size - lkmdemo_fifo_len(f);
}
EXPORT_SYMBOL_IF_LKMDEMO_KUNIT(lkmdemo_fifo_avail);

/**
 * lkmdemo_fifo_in_begin() - open a producer's write section of the counters
 * @f: the FIFO, its write_lock held
 *
 * Between lkmdemo_fifo_in_begin() and lkmdemo_fifo_in_end(), a producer
 * changes @head and @bytes_in; lkmdemo_fifo_stats() spins while one is
 * open. The section runs with preemption disabled, on PREEMPT_RT too, so
 * it is never left open for longer than a few stores: see the comment at
 * the top.
 */
void lkmdemo_fifo_in_begin(struct lkmdemo_fifo *f)
{
	lockdep_assert_held(&f->write_lock);
	preempt_disable();
	write_seqcount_begin(&f->in_seq);
}
EXPORT_SYMBOL_IF_LKMDEMO_KUNIT(lkmdemo_fifo_in_begin);

/**
 * lkmdemo_fifo_in_end() - close the section of lkmdemo_fifo_in_begin()
 * @f: the FIFO, its write_lock held
 */
void lkmdemo_fifo_in_end(struct lkmdemo_fifo *f)
{
	write_seqcount_end(&f->in_seq);
	preempt_enable();
}
EXPORT_SYMBOL_IF_LKMDEMO_KUNIT(lkmdemo_fifo_in_end);

/* The same for a consumer (or a flush), with read_lock held. */
static void lkmdemo_fifo_out_begin(struct lkmdemo_fifo *f)
{
	lockdep_assert_held(&f->read_lock);
	preempt_disable();
	write_seqcount_begin(&f->out_seq);
}

static void lkmdemo_fifo_out_end(struct lkmdemo_fifo *f)
{
	write_seqcount_end(&f->out_seq);
	preempt_enable();
}

/* Publish @len bytes stored at head. */
static void lkmdemo_fifo_commit(struct lkmdemo_fifo *f, size_t len)
{
	lkmdemo_fifo_in_begin(f);
	f->bytes_in += len;
	/* Pairs with smp_load_acquire() of head in lkmdemo_fifo_stored(). */
	smp_store_release(&f->head, f->head + len);
	lkmdemo_fifo_in_end(f);
}

/*
 * Copy @len bytes, for which there is room, from @from into the ring and
 * publish them. If the copy comes up short (a fault), publish nothing and
 * rewind @from.
 */
static ssize_t lkmdemo_fifo_store(struct lkmdemo_fifo *f,
				  struct iov_iter *from, size_t len)
{
	size_t off, first, copied;

	lkmdemo_fifo_realign(f);
	off = lkmdemo_fifo_off(f, f->head);
	first = min_t(size_t, len, f->size - off);
	copied = copy_from_iter(f->buf + off, first, from);
	if (copied == first && len > first)
		copied += copy_from_iter(f->buf, len - first, from);
	if (unlikely(copied != len)) {
		iov_iter_revert(from, copied);
		return -EFAULT;
	}

	lkmdemo_fifo_commit(f, len);
	return len;
}

/*
 * One hold of write_lock: store up to @len bytes from @from if at least
 * @min_room bytes are free. Return the bytes stored, -EAGAIN if there is not
 * enough room, -EFAULT or -ERESTARTSYS.
 */
static ssize_t lkmdemo_fifo_try_write(struct lkmdemo_fifo *f,
				      struct iov_iter *from, size_t len,
				      size_t min_room, unsigned long *start)
{
	unsigned int room;
	ssize_t ret;

	if (mutex_lock_interruptible(&f->write_lock))
		return -ERESTARTSYS;

	room = lkmdemo_fifo_room(f);
	*start = f->head;
	if (room && room >= min_room)
		ret = lkmdemo_fifo_store(f, from, min_t(size_t, len, room));
	else
		ret = -EAGAIN;

	mutex_unlock(&f->write_lock);
	return ret;
}

/**
 * lkmdemo_fifo_write() - write into the FIFO with pipe(7) semantics
 * @f: the FIFO
 * @from: the data; advanced by the number of bytes written
 * @nonblock: fail with -EAGAIN instead of waiting for room
 *
 * A write of at most min(PIPE_BUF, capacity) bytes is atomic: it waits until
 * all of it fits, then stores it at once. A larger write stores what fits,
 * waits for room and goes on until done; with @nonblock it returns after
 * storing what fits.
 *
 * Context: process context; sleeps unless @nonblock (even then it may sleep
 * briefly on the producers' mutex).
 * Return: the number of bytes written (short if interrupted, faulted or
 * @nonblock after some bytes), or -EAGAIN, -EFAULT, -ERESTARTSYS if none.
 */
ssize_t lkmdemo_fifo_write(struct lkmdemo_fifo *f, struct iov_iter *from,
			   bool nonblock)
{
	size_t total = iov_iter_count(from);
	size_t atomic_max = lkmdemo_fifo_atomic_max(f);
	bool atomic = total <= atomic_max;
	bool woken = false;
	size_t done = 0;
	ssize_t ret = 0;

	while (done < total) {
		size_t left = total - done;
		size_t need = atomic ? total : min(left, atomic_max);
		unsigned long start;

		ret = lkmdemo_fifo_try_write(f, from, left, atomic ? total : 1,
					     &start);
		if (ret > 0) {
			done += ret;
			lkmdemo_fifo_wake_readers(f, start);
			continue;
		}
		if (ret != -EAGAIN || nonblock)
			break;

		/* Sleep, write_lock dropped, until a useful amount is free. */
		ret = lkmdemo_fifo_wait_room(f, need);
		woken = true;
		if (ret)
			break;
	}

	/*
	 * Woken, then done, interrupted or faulted: pass the wake-up on to the
	 * next writer whose write fits in the room that is left, however
	 * little: lkmdemo_fifo_wake_writers() would wait for the threshold.
	 */
	if (woken && lkmdemo_fifo_avail(f))
		lkmdemo_fifo_wake_writers_now(f);
	return done ? done : ret;
}
EXPORT_SYMBOL_IF_LKMDEMO_KUNIT(lkmdemo_fifo_write);

/*
 * Copy up to @len stored bytes to @to and consume those that got there.
 * Return the bytes consumed, or -EFAULT if none.
 */
static ssize_t lkmdemo_fifo_load(struct lkmdemo_fifo *f, struct iov_iter *to,
				 size_t len)
{
	size_t off = lkmdemo_fifo_off(f, f->tail);
	size_t first = min_t(size_t, len, f->size - off);
	size_t copied;

	lockdep_assert_held(&f->read_lock);

	copied = copy_to_iter(f->buf + off, first, to);
	if (copied == first && len > first)
		copied += copy_to_iter(f->buf, len - first, to);
	if (unlikely(!copied))
		return -EFAULT;

	lkmdemo_fifo_out_begin(f);
	f->bytes_out += copied;
	/* Pairs with smp_load_acquire() of tail in lkmdemo_fifo_room(). */
	smp_store_release(&f->tail, f->tail + copied);
	lkmdemo_fifo_out_end(f);
	return copied;
}

/* One hold of read_lock: read what is there, or -EAGAIN if empty. */
static ssize_t lkmdemo_fifo_try_read(struct lkmdemo_fifo *f,
				     struct iov_iter *to)
{
	unsigned int stored;
	ssize_t ret;

	if (mutex_lock_interruptible(&f->read_lock))
		return -ERESTARTSYS;

	stored = lkmdemo_fifo_stored(f);
	if (stored)
		ret = lkmdemo_fifo_load(f, to, min_t(size_t, stored,
						     iov_iter_count(to)));
	else
		ret = -EAGAIN;

	mutex_unlock(&f->read_lock);
	return ret;
}

/*
 * Sleep until the FIFO holds data or a signal arrives. The check is made
 * under read_wait's lock, after queueing: see lkmdemo_fifo_wake_readers().
 */
static int lkmdemo_fifo_wait_data(struct lkmdemo_fifo *f)
{
	DEFINE_WAIT(wait);
	bool ready;
	int ret = 0;

	for (;;) {
		prepare_to_wait_exclusive(&f->read_wait, &wait,
					  TASK_INTERRUPTIBLE);
		spin_lock_irq(&f->read_wait.lock);
		ready = lkmdemo_fifo_len(f) > 0;
		spin_unlock_irq(&f->read_wait.lock);
		if (ready)
			break;
		if (signal_pending(current)) {
			ret = -ERESTARTSYS;
			break;
		}
		schedule();
	}
	finish_wait(&f->read_wait, &wait);
	return ret;
}

/**
 * lkmdemo_fifo_read() - read from the FIFO with pipe(7) semantics
 * @f: the FIFO
 * @to: the destination; advanced by the number of bytes read
 * @nonblock: fail with -EAGAIN instead of waiting for data
 *
 * Waits until the FIFO holds at least one byte, then consumes as many bytes
 * as are there, up to the size of @to. There is no end of file: a read of
 * an empty FIFO waits until some producer writes.
 *
 * Context: process context; sleeps unless @nonblock (even then it may sleep
 * briefly on the consumers' mutex).
 * Return: the number of bytes read (0 only if @to is empty), or -EAGAIN,
 * -EFAULT, -ERESTARTSYS.
 */
ssize_t lkmdemo_fifo_read(struct lkmdemo_fifo *f, struct iov_iter *to,
			  bool nonblock)
{
	bool woken = false;
	ssize_t ret;

	if (!iov_iter_count(to))
		return 0;

	for (;;) {
		ret = lkmdemo_fifo_try_read(f, to);
		if (ret > 0)
			lkmdemo_fifo_wake_writers(f);
		if (ret != -EAGAIN || nonblock)
			break;

		/* Sleep, read_lock dropped, until there is data. */
		ret = lkmdemo_fifo_wait_data(f);
		woken = true;
		if (ret)
			break;
	}

	/* Woken, then done, interrupted or faulted: pass the wake-up on. */
	if (woken) {
		/*
		 * Order our store of tail before the load of head; pairs with
		 * wq_has_sleeper() in lkmdemo_fifo_wake_readers(): either we
		 * see a writer's bytes, or it sees that we took all before them.
		 */
		smp_mb();
		if (lkmdemo_fifo_len(f))
			wake_up_interruptible_sync_poll(&f->read_wait,
							EPOLLIN | EPOLLRDNORM);
	}
	return ret;
}
EXPORT_SYMBOL_IF_LKMDEMO_KUNIT(lkmdemo_fifo_read);

/**
 * lkmdemo_fifo_post() - store a kernel buffer, all or nothing
 * @f: the FIFO
 * @buf: the data
 * @len: its length
 *
 * Never waits: not for room, and not for the producers' mutex either, which
 * a writer holds while it copies from user memory (that can take long).
 * The store is atomic with respect to other producers.
 *
 * Context: process context (mutex_trylock() is not for interrupts); does
 * not sleep.
 * Return: @len, -EAGAIN if there is not enough room now or another producer
 * is storing, -EMSGSIZE if @len exceeds the capacity.
 */
int lkmdemo_fifo_post(struct lkmdemo_fifo *f, const void *buf, size_t len)
{
	const char *src = buf;
	unsigned long start;
	size_t off, first;

	if (len > f->size)
		return -EMSGSIZE;
	if (!len)
		return 0;

	if (!mutex_trylock(&f->write_lock))
		return -EAGAIN;
	if (lkmdemo_fifo_room(f) < len) {
		mutex_unlock(&f->write_lock);
		return -EAGAIN;
	}

	lkmdemo_fifo_realign(f);
	start = f->head;
	off = lkmdemo_fifo_off(f, start);
	first = min_t(size_t, len, f->size - off);
	memcpy(f->buf + off, src, first);
	memcpy(f->buf, src + first, len - first);
	lkmdemo_fifo_commit(f, len);
	mutex_unlock(&f->write_lock);

	lkmdemo_fifo_wake_readers(f, start);
	return len;
}
EXPORT_SYMBOL_IF_LKMDEMO_KUNIT(lkmdemo_fifo_post);

/**
 * lkmdemo_fifo_peek() - copy bytes from the head of the FIFO, not consuming
 * @f: the FIFO
 * @buf: user destination
 * @len: its size
 *
 * Never waits for data.
 *
 * Context: process context; may sleep.
 * Return: the number of bytes copied (0 if the FIFO is empty), -EFAULT or
 * -ERESTARTSYS.
 */
ssize_t lkmdemo_fifo_peek(struct lkmdemo_fifo *f, void __user *buf,
			  size_t len)
{
	size_t n, off, first;
	ssize_t ret;

	if (mutex_lock_interruptible(&f->read_lock))
		return -ERESTARTSYS;

	/* Holding read_lock keeps tail, so no producer overwrites these. */
	n = min_t(size_t, len, lkmdemo_fifo_stored(f));
	off = lkmdemo_fifo_off(f, f->tail);
	first = min(n, f->size - off);
	if (copy_to_user(buf, f->buf + off, first) ||
	    copy_to_user(buf + first, f->buf, n - first))
		ret = -EFAULT;
	else
		ret = n;

	mutex_unlock(&f->read_lock);
	return ret;
}

/**
 * lkmdemo_fifo_flush() - discard the contents of the FIFO
 * @f: the FIFO
 * @report: called with the number of bytes about to be discarded and @ctx,
 *	both mutexes held; if it fails, nothing is discarded
 * @ctx: passed to @report
 *
 * The ioctl reports the count to user memory, which can fault: the report
 * comes first, so that a bad address loses no data.
 *
 * Context: process context; sleeps on both mutexes, interruptibly.
 * Return: 0, -ERESTARTSYS if a signal arrived while waiting for a mutex,
 * or the error of @report; nothing was discarded if not 0.
 */
int lkmdemo_fifo_flush(struct lkmdemo_fifo *f,
		       int (*report)(void *ctx, u64 flushed), void *ctx)
{
	unsigned long n;
	int ret;

	if (mutex_lock_interruptible(&f->read_lock))
		return -ERESTARTSYS;
	if (mutex_lock_interruptible(&f->write_lock)) {
		mutex_unlock(&f->read_lock);
		return -ERESTARTSYS;
	}
	n = f->head - f->tail;
	ret = report(ctx, n);
	if (!ret) {
		lkmdemo_fifo_out_begin(f);
		f->bytes_flushed += n;
		/* For lockless readers: pairs with lkmdemo_fifo_len(). */
		smp_store_release(&f->tail, f->head);
		lkmdemo_fifo_out_end(f);
	}
	mutex_unlock(&f->write_lock);
	mutex_unlock(&f->read_lock);

	if (!ret && n)
		lkmdemo_fifo_wake_writers_now(f);
	return ret;
}
EXPORT_SYMBOL_IF_LKMDEMO_KUNIT(lkmdemo_fifo_flush);

/**
 * lkmdemo_fifo_stats() - consistent snapshot of the FIFO counters
 * @f: the FIFO
 * @st: filled with the FIFO's counters, fill and capacity; @st->opens,
 *	@st->openers and @st->pad are set to 0
 *
 * Takes no lock: the two sequence counts make the snapshot consistent (see
 * the comment at the top), and a reader never waits for I/O in progress.
 *
 * Context: any context that does not interrupt a producer or consumer of
 * @f on the same CPU (process context, in practice).
 */
void lkmdemo_fifo_stats(struct lkmdemo_fifo *f, struct lkmdemo_stats *st)
{
	unsigned int in_seq, out_seq;

	memset(st, 0, sizeof(*st));
	do {
		out_seq = read_seqcount_begin(&f->out_seq);
		in_seq = read_seqcount_begin(&f->in_seq);
		st->bytes_in = f->bytes_in;
		st->bytes_out = f->bytes_out;
		st->bytes_flushed = f->bytes_flushed;
		st->fill = f->head - f->tail;
	} while (read_seqcount_retry(&f->in_seq, in_seq) ||
		 read_seqcount_retry(&f->out_seq, out_seq));

	st->capacity = f->size;
}
EXPORT_SYMBOL_IF_LKMDEMO_KUNIT(lkmdemo_fifo_stats);

/**
 * lkmdemo_fifo_poll() - poll() of the FIFO
 * @f: the FIFO
 * @file: the file being polled
 * @wait: the poll table
 *
 * Context: process context.
 * Return: the readiness, see lkmdemo_fifo_poll_mask().
 */
__poll_t lkmdemo_fifo_poll(struct lkmdemo_fifo *f, struct file *file,
			   poll_table *wait)
{
	/*
	 * From now on every store wakes read_wait, as a pipe does once it has
	 * been polled: an edge-triggered epoll user expects an event for each
	 * write, also into a FIFO that holds data. Set before queueing, so that
	 * a writer that sees us queued sees the flag too.
	 */
	if (!READ_ONCE(f->polled))
		WRITE_ONCE(f->polled, true);
	poll_wait(file, &f->read_wait, wait);
	poll_wait(file, &f->write_wait, wait);
	/*
	 * Order queueing on the wait queues before loading the indexes;
	 * pairs with the smp_mb() in wq_has_sleeper() of the waker.
	 */
	smp_mb();
	return lkmdemo_fifo_poll_mask(f);
}

/**
 * lkmdemo_fifo_poll_mask() - readiness of the FIFO, without locking
 * @f: the FIFO
 *
 * The caller must already be on the wait queues, followed by smp_mb(), so
 * that a change after this call wakes it.
 *
 * Return: EPOLLIN | EPOLLRDNORM if the FIFO holds data, EPOLLOUT |
 * EPOLLWRNORM if at least write_lowat bytes are free.
 */
__poll_t lkmdemo_fifo_poll_mask(struct lkmdemo_fifo *f)
{
	unsigned int len = lkmdemo_fifo_len(f);
	__poll_t mask = 0;

	if (len)
		mask |= EPOLLIN | EPOLLRDNORM;
	if (f->size - len >= READ_ONCE(f->write_lowat))
		mask |= EPOLLOUT | EPOLLWRNORM;
	return mask;
}
EXPORT_SYMBOL_IF_LKMDEMO_KUNIT(lkmdemo_fifo_poll_mask);

/**
 * lkmdemo_fifo_set_write_lowat() - set the free space needed for EPOLLOUT
 * @f: the FIFO
 * @lowat: the new threshold, from 1 to the capacity
 *
 * Return: 0, or -EINVAL if @lowat is out of range (the old value stays).
 */
int lkmdemo_fifo_set_write_lowat(struct lkmdemo_fifo *f, unsigned int lowat)
{
	if (!lowat || lowat > f->size)
		return -EINVAL;

	WRITE_ONCE(f->write_lowat, lowat);
	/* A lower threshold may make the FIFO writable for pollers. */
	lkmdemo_fifo_wake_writers_now(f);
	return 0;
}
EXPORT_SYMBOL_IF_LKMDEMO_KUNIT(lkmdemo_fifo_set_write_lowat);
