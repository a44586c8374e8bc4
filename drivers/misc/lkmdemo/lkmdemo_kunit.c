// SPDX-License-Identifier: GPL-2.0-only
/*
 * lkmdemo - KUnit tests of the FIFO and of the parameter checks
 *
 * Copyright (C) 2025 The lkmdemo authors
 *
 * The FIFO tests drive a FIFO of their own, not the device's, through kvec
 * iov_iters. Most use only non-blocking calls; those that block (the
 * counters behind a busy mutex, the hand-off between blocked readers) do so
 * in kthreads, which the test always releases and waits for before it ends.
 * The test FIFO is never polled, so the readers' hand-off is not masked by
 * the wake-up on every store that polling switches on.
 * KUNIT_EXPECT_EQ() takes the expected value first. Both sides have the
 * same type: 5.10 checks that.
 */

#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/err.h>
#include <linux/kernel.h>
#include <linux/kthread.h>
#include <linux/limits.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/poll.h>
#include <linux/sizes.h>
#include <linux/string.h>
#include <linux/uio.h>

#include "internal.h"

/* Larger than PIPE_BUF, so that atomic writes are PIPE_BUF bytes. */
#define TEST_FIFO_SIZE	SZ_8K

/* Poll masks as plain integers: KUnit prints them, sparse wants no mixing. */
#define MASK_IN		((__force u32)(EPOLLIN | EPOLLRDNORM))
#define MASK_OUT	((__force u32)(EPOLLOUT | EPOLLWRNORM))

static u32 poll_bits(struct lkmdemo_fifo *f)
{
	return (__force u32)lkmdemo_fifo_poll_mask(f);
}

/* The byte at offset @i of a test stream: period 251, prime to FIFO sizes. */
static void pattern(u8 *buf, size_t len, size_t start)
{
	size_t i;

	for (i = 0; i < len; i++)
		buf[i] = (start + i) % 251;
}

static bool is_pattern(const u8 *buf, size_t len, size_t start)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (buf[i] != (start + i) % 251)
			return false;
	return true;
}

static ssize_t fifo_write(struct lkmdemo_fifo *f, const void *buf, size_t len,
			  bool nonblock)
{
	struct kvec kv = { .iov_base = (void *)buf, .iov_len = len };
	struct iov_iter from;

	iov_iter_kvec(&from, LKMDEMO_ITER_SOURCE, &kv, 1, len);
	return lkmdemo_fifo_write(f, &from, nonblock);
}

static ssize_t fifo_read(struct lkmdemo_fifo *f, void *buf, size_t len,
			 bool nonblock)
{
	struct kvec kv = { .iov_base = buf, .iov_len = len };
	struct iov_iter to;

	iov_iter_kvec(&to, LKMDEMO_ITER_DEST, &kv, 1, len);
	return lkmdemo_fifo_read(f, &to, nonblock);
}

/* Write @len pattern bytes from @start, non-blocking; return bytes stored. */
static size_t fifo_put(struct kunit *test, struct lkmdemo_fifo *f, size_t len,
		       size_t start)
{
	u8 *buf = kunit_kzalloc(test, len, GFP_KERNEL);
	ssize_t ret;

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, buf);
	pattern(buf, len, start);
	ret = fifo_write(f, buf, len, true);
	return ret > 0 ? ret : 0;
}

/* Read @len bytes, non-blocking, and check they continue the pattern. */
static void fifo_expect(struct kunit *test, struct lkmdemo_fifo *f, size_t len,
			size_t start)
{
	u8 *buf = kunit_kzalloc(test, len, GFP_KERNEL);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, buf);
	KUNIT_EXPECT_EQ(test, (ssize_t)len, fifo_read(f, buf, len, true));
	KUNIT_EXPECT_TRUE(test, is_pattern(buf, len, start));
}

/* Reports of lkmdemo_fifo_flush(): store the count, or refuse it. */
static int flush_store(void *ctx, u64 flushed)
{
	*(u64 *)ctx = flushed;
	return 0;
}

static int flush_refuse(void *ctx, u64 flushed)
{
	*(u64 *)ctx = flushed;
	return -EFAULT;
}

/* Flush, which cannot be interrupted here: the test holds no signal. */
static u64 fifo_flush(struct kunit *test, struct lkmdemo_fifo *f)
{
	u64 n = U64_MAX;

	KUNIT_EXPECT_EQ(test, 0, lkmdemo_fifo_flush(f, flush_store, &n));
	return n;
}

static void expect_stats(struct kunit *test, struct lkmdemo_fifo *f,
			 u64 in, u64 out, u64 flushed, u32 fill)
{
	struct lkmdemo_stats st;

	memset(&st, 0xcc, sizeof(st));
	lkmdemo_fifo_stats(f, &st);
	KUNIT_EXPECT_EQ(test, in, st.bytes_in);
	KUNIT_EXPECT_EQ(test, out, st.bytes_out);
	KUNIT_EXPECT_EQ(test, flushed, st.bytes_flushed);
	KUNIT_EXPECT_EQ(test, fill, st.fill);
	KUNIT_EXPECT_EQ(test, f->size, st.capacity);
	KUNIT_EXPECT_EQ(test, st.bytes_in, st.bytes_out + st.bytes_flushed + st.fill);
	KUNIT_EXPECT_EQ(test, 0U, st.pad);
	KUNIT_EXPECT_EQ(test, fill, lkmdemo_fifo_len(f));
	KUNIT_EXPECT_EQ(test, f->size - fill, lkmdemo_fifo_avail(f));
}

/* Parameter checks */

static void lkmdemo_bufsize_valid_test(struct kunit *test)
{
	static const unsigned int good[] = { PIPE_BUF, 2 * PIPE_BUF, SZ_64K, SZ_1M };
	static const unsigned int bad[] = {
		0, 1, PIPE_BUF / 2, PIPE_BUF - 1, PIPE_BUF + 1, 3 * PIPE_BUF,
		SZ_1M - 1, SZ_1M + 1, SZ_2M, 0x80000000U, UINT_MAX,
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(good); i++)
		KUNIT_EXPECT_TRUE_MSG(test, lkmdemo_bufsize_valid(good[i]),
				      "bufsize=%u", good[i]);
	for (i = 0; i < ARRAY_SIZE(bad); i++)
		KUNIT_EXPECT_FALSE_MSG(test, lkmdemo_bufsize_valid(bad[i]),
				       "bufsize=%u", bad[i]);
}

static void lkmdemo_howmany_check_test(struct kunit *test)
{
	static const int good[] = { 0, 1, 50, 100 };
	static const int bad[] = { -1, 101, 1000, INT_MIN, INT_MAX };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(good); i++)
		KUNIT_EXPECT_EQ_MSG(test, 0, lkmdemo_howmany_check(good[i]),
				    "howmany=%d", good[i]);
	for (i = 0; i < ARRAY_SIZE(bad); i++)
		KUNIT_EXPECT_EQ_MSG(test, -EINVAL, lkmdemo_howmany_check(bad[i]),
				    "howmany=%d", bad[i]);
}

static struct kunit_case lkmdemo_params_cases[] = {
	KUNIT_CASE(lkmdemo_bufsize_valid_test),
	KUNIT_CASE(lkmdemo_howmany_check_test),
	{}
};

static struct kunit_suite lkmdemo_params_suite = {
	.name = "lkmdemo_params",
	.test_cases = lkmdemo_params_cases,
};

/* FIFO: each test gets an empty FIFO of TEST_FIFO_SIZE bytes in test->priv. */

static int lkmdemo_fifo_test_init(struct kunit *test)
{
	struct lkmdemo_fifo *f = kunit_kzalloc(test, sizeof(*f), GFP_KERNEL);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, f);
	KUNIT_ASSERT_EQ(test, 0, lkmdemo_fifo_init(f, TEST_FIFO_SIZE));
	test->priv = f;
	return 0;
}

static void lkmdemo_fifo_test_exit(struct kunit *test)
{
	struct lkmdemo_fifo *f = test->priv;

	if (f && f->buf)
		lkmdemo_fifo_free(f);
}

static void lkmdemo_fifo_init_test(struct kunit *test)
{
	static const unsigned int bad[] = { 0, 3, SZ_4K + 1, SZ_2M };
	struct lkmdemo_fifo *f = test->priv;
	struct lkmdemo_fifo *small;
	size_t i;

	expect_stats(test, f, 0, 0, 0, 0);
	KUNIT_EXPECT_EQ(test, (unsigned int)TEST_FIFO_SIZE, f->size);
	KUNIT_EXPECT_EQ(test, (unsigned int)PIPE_BUF, f->write_lowat);
	KUNIT_EXPECT_EQ(test, MASK_OUT, poll_bits(f));

	small = kunit_kzalloc(test, sizeof(*small), GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, small);
	for (i = 0; i < ARRAY_SIZE(bad); i++)
		KUNIT_EXPECT_EQ_MSG(test, -EINVAL, lkmdemo_fifo_init(small, bad[i]),
				    "size=%u", bad[i]);

	/* below PIPE_BUF, the default threshold is the whole FIFO */
	KUNIT_ASSERT_EQ(test, 0, lkmdemo_fifo_init(small, 1024));
	KUNIT_EXPECT_EQ(test, 1024U, small->write_lowat);
	lkmdemo_fifo_free(small);
}

static void lkmdemo_fifo_write_read_test(struct kunit *test)
{
	struct lkmdemo_fifo *f = test->priv;
	u8 *buf = kunit_kzalloc(test, 200, GFP_KERNEL);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, buf);
	KUNIT_EXPECT_EQ(test, (ssize_t)-EAGAIN, fifo_read(f, buf, 200, true));
	KUNIT_EXPECT_EQ(test, (size_t)100, fifo_put(test, f, 100, 0));
	expect_stats(test, f, 100, 0, 0, 100);

	/* a short read leaves the rest; a long one returns what is there */
	memset(buf, 0xcc, 200);
	KUNIT_EXPECT_EQ(test, (ssize_t)40, fifo_read(f, buf, 40, true));
	KUNIT_EXPECT_EQ(test, (ssize_t)60, fifo_read(f, buf + 40, 200, false));
	KUNIT_EXPECT_TRUE(test, is_pattern(buf, 100, 0));
	KUNIT_EXPECT_EQ(test, (u8)0xcc, buf[100]);
	expect_stats(test, f, 100, 100, 0, 0);
	KUNIT_EXPECT_EQ(test, (ssize_t)-EAGAIN, fifo_read(f, buf, 200, true));
}

/* Zero-length calls return 0 at once, even from an empty or a full FIFO. */
static void lkmdemo_fifo_zero_length_test(struct kunit *test)
{
	struct lkmdemo_fifo *f = test->priv;
	u8 byte = 0;

	KUNIT_EXPECT_EQ(test, (ssize_t)0, fifo_read(f, &byte, 0, false));
	KUNIT_EXPECT_EQ(test, (ssize_t)0, fifo_write(f, &byte, 0, false));
	KUNIT_EXPECT_EQ(test, 0, lkmdemo_fifo_post(f, &byte, 0));
	KUNIT_EXPECT_EQ(test, (size_t)TEST_FIFO_SIZE, fifo_put(test, f, TEST_FIFO_SIZE, 0));
	KUNIT_EXPECT_EQ(test, (ssize_t)0, fifo_write(f, &byte, 0, false));
	expect_stats(test, f, TEST_FIFO_SIZE, 0, 0, TEST_FIFO_SIZE);
}

static void lkmdemo_fifo_full_test(struct kunit *test)
{
	struct lkmdemo_fifo *f = test->priv;
	u8 byte = 0;

	/* past PIPE_BUF, a non-blocking write stores what fits */
	KUNIT_EXPECT_EQ(test, (size_t)TEST_FIFO_SIZE,
			fifo_put(test, f, TEST_FIFO_SIZE + 100, 0));
	expect_stats(test, f, TEST_FIFO_SIZE, 0, 0, TEST_FIFO_SIZE);
	KUNIT_EXPECT_EQ(test, (ssize_t)-EAGAIN, fifo_write(f, &byte, 1, true));
	KUNIT_EXPECT_EQ(test, MASK_IN, poll_bits(f));
	fifo_expect(test, f, TEST_FIFO_SIZE, 0);
	expect_stats(test, f, TEST_FIFO_SIZE, TEST_FIFO_SIZE, 0, 0);
}

/* Data that straddles the end of the ring comes back in order. */
static void lkmdemo_fifo_wrap_test(struct kunit *test)
{
	struct lkmdemo_fifo *f = test->priv;
	size_t pre = TEST_FIFO_SIZE - 10, off = 0;
	int i;

	KUNIT_ASSERT_EQ(test, pre, fifo_put(test, f, pre, 0));
	fifo_expect(test, f, pre, 0);
	KUNIT_EXPECT_EQ(test, (size_t)100, fifo_put(test, f, 100, 1000));
	KUNIT_EXPECT_EQ(test, 100U, lkmdemo_fifo_len(f));
	fifo_expect(test, f, 100, 1000);

	/* odd-sized records, around the ring several times */
	for (i = 0; i < 3 * TEST_FIFO_SIZE / 333; i++) {
		KUNIT_ASSERT_EQ(test, (size_t)333, fifo_put(test, f, 333, off));
		fifo_expect(test, f, 333, off);
		off += 333;
	}
	expect_stats(test, f, pre + 100 + off, pre + 100 + off, 0, 0);
}

/* The free-running indexes overflow without losing data or room. */
static void lkmdemo_fifo_index_overflow_test(struct kunit *test)
{
	struct lkmdemo_fifo *f = test->priv;

	/* an empty FIFO, 50 bytes before the indexes wrap around */
	f->head = ULONG_MAX - 49;
	f->tail = f->head;
	KUNIT_EXPECT_EQ(test, 0U, lkmdemo_fifo_len(f));
	KUNIT_EXPECT_EQ(test, (size_t)TEST_FIFO_SIZE, fifo_put(test, f, TEST_FIFO_SIZE, 0));
	KUNIT_EXPECT_EQ(test, (unsigned int)TEST_FIFO_SIZE, lkmdemo_fifo_len(f));
	KUNIT_EXPECT_EQ(test, 0U, lkmdemo_fifo_avail(f));
	fifo_expect(test, f, 100, 0);
	KUNIT_EXPECT_EQ(test, MASK_IN, poll_bits(f));
	fifo_expect(test, f, TEST_FIFO_SIZE - 100, 100);
	expect_stats(test, f, TEST_FIFO_SIZE, TEST_FIFO_SIZE, 0, 0);
}

/* A write of at most PIPE_BUF bytes is stored whole or not at all. */
static void lkmdemo_fifo_atomic_write_test(struct kunit *test)
{
	size_t fill = TEST_FIFO_SIZE - (PIPE_BUF - 1);
	struct lkmdemo_fifo *f = test->priv;
	u8 *buf = kunit_kzalloc(test, PIPE_BUF, GFP_KERNEL);
	struct kvec kv = { .iov_base = buf, .iov_len = PIPE_BUF };
	struct kvec parts[] = {
		{ .iov_base = buf, .iov_len = 1000 },
		{ .iov_base = buf + 1000, .iov_len = 0 },
		{ .iov_base = buf + 1000, .iov_len = PIPE_BUF - 1000 },
	};
	struct iov_iter from;

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, buf);
	KUNIT_ASSERT_EQ(test, fill, fifo_put(test, f, fill, 0));

	pattern(buf, PIPE_BUF, fill);
	iov_iter_kvec(&from, LKMDEMO_ITER_SOURCE, &kv, 1, PIPE_BUF);
	KUNIT_EXPECT_EQ(test, (ssize_t)-EAGAIN, lkmdemo_fifo_write(f, &from, true));
	KUNIT_EXPECT_EQ(test, (size_t)PIPE_BUF, iov_iter_count(&from));
	expect_stats(test, f, fill, 0, 0, fill);

	KUNIT_EXPECT_EQ(test, (ssize_t)(PIPE_BUF - 1), fifo_write(f, buf, PIPE_BUF - 1, true));
	expect_stats(test, f, TEST_FIFO_SIZE, 0, 0, TEST_FIFO_SIZE);

	/* exactly PIPE_BUF free: stored, also from several segments */
	fifo_expect(test, f, PIPE_BUF, 0);
	pattern(buf, PIPE_BUF, TEST_FIFO_SIZE);
	iov_iter_kvec(&from, LKMDEMO_ITER_SOURCE, parts, ARRAY_SIZE(parts), PIPE_BUF);
	KUNIT_EXPECT_EQ(test, (ssize_t)PIPE_BUF, lkmdemo_fifo_write(f, &from, true));
	fifo_expect(test, f, TEST_FIFO_SIZE, PIPE_BUF);
}

/* Below PIPE_BUF, the whole capacity is the atomic limit. */
static void lkmdemo_fifo_atomic_small_test(struct kunit *test)
{
	struct lkmdemo_fifo *f = kunit_kzalloc(test, sizeof(*f), GFP_KERNEL);
	u8 *buf = kunit_kzalloc(test, 1024, GFP_KERNEL);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, f);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, buf);
	KUNIT_ASSERT_EQ(test, 0, lkmdemo_fifo_init(f, 1024));
	KUNIT_EXPECT_EQ(test, (size_t)1, fifo_put(test, f, 1, 0));
	KUNIT_EXPECT_EQ(test, (ssize_t)-EAGAIN, fifo_write(f, buf, 1024, true));
	KUNIT_EXPECT_EQ(test, 1U, lkmdemo_fifo_len(f));
	KUNIT_EXPECT_EQ(test, (ssize_t)1023, fifo_write(f, buf, 1023, true));
	lkmdemo_fifo_free(f);
}

static void lkmdemo_fifo_post_test(struct kunit *test)
{
	struct lkmdemo_fifo *f = test->priv;
	u8 *buf = kunit_kzalloc(test, TEST_FIFO_SIZE + 1, GFP_KERNEL);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, buf);
	KUNIT_EXPECT_EQ(test, -EMSGSIZE, lkmdemo_fifo_post(f, buf, TEST_FIFO_SIZE + 1));
	expect_stats(test, f, 0, 0, 0, 0);

	/* all or nothing, also across the end of the ring */
	KUNIT_ASSERT_EQ(test, (size_t)TEST_FIFO_SIZE - 5, fifo_put(test, f, TEST_FIFO_SIZE - 5, 0));
	fifo_expect(test, f, TEST_FIFO_SIZE - 10, 0);
	pattern(buf, TEST_FIFO_SIZE, TEST_FIFO_SIZE - 5);
	KUNIT_EXPECT_EQ(test, -EAGAIN, lkmdemo_fifo_post(f, buf, TEST_FIFO_SIZE - 4));
	expect_stats(test, f, TEST_FIFO_SIZE - 5, TEST_FIFO_SIZE - 10, 0, 5);
	KUNIT_EXPECT_EQ(test, TEST_FIFO_SIZE - 5, lkmdemo_fifo_post(f, buf, TEST_FIFO_SIZE - 5));
	expect_stats(test, f, 2 * TEST_FIFO_SIZE - 10, TEST_FIFO_SIZE - 10, 0, TEST_FIFO_SIZE);
	fifo_expect(test, f, TEST_FIFO_SIZE, TEST_FIFO_SIZE - 10);

	/* a post of exactly the capacity fits an empty FIFO */
	KUNIT_EXPECT_EQ(test, TEST_FIFO_SIZE, lkmdemo_fifo_post(f, buf, TEST_FIFO_SIZE));
	KUNIT_EXPECT_EQ(test, -EAGAIN, lkmdemo_fifo_post(f, buf, 1));
}

static void lkmdemo_fifo_flush_test(struct kunit *test)
{
	struct lkmdemo_fifo *f = test->priv;

	KUNIT_EXPECT_EQ(test, (u64)0, fifo_flush(test, f));
	KUNIT_ASSERT_EQ(test, (size_t)123, fifo_put(test, f, 123, 0));
	fifo_expect(test, f, 23, 0);
	KUNIT_EXPECT_EQ(test, (u64)100, fifo_flush(test, f));
	expect_stats(test, f, 123, 23, 100, 0);
	KUNIT_EXPECT_EQ(test, MASK_OUT, poll_bits(f));

	/* the room is back and old bytes are gone */
	KUNIT_EXPECT_EQ(test, (size_t)TEST_FIFO_SIZE, fifo_put(test, f, TEST_FIFO_SIZE, 7));
	KUNIT_EXPECT_EQ(test, (u64)TEST_FIFO_SIZE, fifo_flush(test, f));
	KUNIT_EXPECT_EQ(test, (size_t)50, fifo_put(test, f, 50, 9));
	fifo_expect(test, f, 50, 9);
	expect_stats(test, f, 123 + TEST_FIFO_SIZE + 50, 73, 100 + TEST_FIFO_SIZE, 0);
}

/* The count is reported before anything goes: a failed report loses nothing. */
static void lkmdemo_fifo_flush_report_fails_test(struct kunit *test)
{
	struct lkmdemo_fifo *f = test->priv;
	u64 n = U64_MAX;

	KUNIT_ASSERT_EQ(test, (size_t)200, fifo_put(test, f, 200, 3));
	KUNIT_EXPECT_EQ(test, -EFAULT, lkmdemo_fifo_flush(f, flush_refuse, &n));
	KUNIT_EXPECT_EQ(test, (u64)200, n);
	expect_stats(test, f, 200, 0, 0, 200);
	fifo_expect(test, f, 200, 3);
}

/* The invariant holds after every kind of operation. */
static void lkmdemo_fifo_stats_test(struct kunit *test)
{
	struct lkmdemo_fifo *f = test->priv;
	u64 in = 0, out = 0, flushed = 0;
	u8 buf[64];
	int i;

	for (i = 1; i < 50; i++) {
		in += fifo_put(test, f, i * 37 % 500 + 1, 0);
		expect_stats(test, f, in, out, flushed, in - out - flushed);
		if (i % 3 == 0 && lkmdemo_fifo_post(f, "abc", 3) == 3)
			in += 3;
		if (i % 7 == 0)
			flushed += fifo_flush(test, f);
		expect_stats(test, f, in, out, flushed, in - out - flushed);
		if (in - out - flushed)
			out += fifo_read(f, buf, sizeof(buf), true);
		expect_stats(test, f, in, out, flushed, in - out - flushed);
	}
}

/* EPOLLIN iff fill > 0; EPOLLOUT iff free >= write_lowat. */
static void lkmdemo_fifo_poll_test(struct kunit *test)
{
	struct lkmdemo_fifo *f = test->priv;
	unsigned int lowat = f->write_lowat;
	u8 byte;

	KUNIT_EXPECT_EQ(test, MASK_OUT, poll_bits(f));
	KUNIT_ASSERT_EQ(test, (size_t)1, fifo_put(test, f, 1, 0));
	KUNIT_EXPECT_EQ(test, MASK_IN | MASK_OUT, poll_bits(f));

	/* free == write_lowat, then one less */
	KUNIT_ASSERT_EQ(test, (size_t)TEST_FIFO_SIZE - lowat - 1,
			fifo_put(test, f, TEST_FIFO_SIZE - lowat - 1, 1));
	KUNIT_EXPECT_EQ(test, MASK_IN | MASK_OUT, poll_bits(f));
	KUNIT_ASSERT_EQ(test, (size_t)1, fifo_put(test, f, 1, 0));
	KUNIT_EXPECT_EQ(test, MASK_IN, poll_bits(f));
	KUNIT_EXPECT_EQ(test, (ssize_t)1, fifo_read(f, &byte, 1, true));
	KUNIT_EXPECT_EQ(test, MASK_IN | MASK_OUT, poll_bits(f));

	/* the threshold: 1..capacity, takes effect at once */
	KUNIT_EXPECT_EQ(test, 0, lkmdemo_fifo_set_write_lowat(f, lowat + 1));
	KUNIT_EXPECT_EQ(test, MASK_IN, poll_bits(f));
	KUNIT_EXPECT_EQ(test, -EINVAL, lkmdemo_fifo_set_write_lowat(f, 0));
	KUNIT_EXPECT_EQ(test, -EINVAL, lkmdemo_fifo_set_write_lowat(f, TEST_FIFO_SIZE + 1));
	KUNIT_EXPECT_EQ(test, lowat + 1, f->write_lowat);
	KUNIT_EXPECT_EQ(test, 0, lkmdemo_fifo_set_write_lowat(f, TEST_FIFO_SIZE));
	fifo_flush(test, f);
	KUNIT_EXPECT_EQ(test, MASK_OUT, poll_bits(f));
	KUNIT_ASSERT_EQ(test, (size_t)1, fifo_put(test, f, 1, 0));
	KUNIT_EXPECT_EQ(test, MASK_IN, poll_bits(f));
	KUNIT_EXPECT_EQ(test, 0, lkmdemo_fifo_set_write_lowat(f, 1));
	KUNIT_EXPECT_EQ(test, MASK_IN | MASK_OUT, poll_bits(f));
}

/*
 * Calls that must not wait for the FIFO's mutexes, which a reader or writer
 * holds across a copy of user memory: each runs in a kthread while the test
 * holds the mutexes, and must finish within a second.
 */
struct lkmdemo_call {
	struct lkmdemo_fifo *f;
	struct completion done;
	struct lkmdemo_stats st;
	int ret;
};

static int lkmdemo_call_post(void *data)
{
	struct lkmdemo_call *c = data;

	c->ret = lkmdemo_fifo_post(c->f, "x", 1);
	complete(&c->done);
	return 0;
}

static int lkmdemo_call_stats(void *data)
{
	struct lkmdemo_call *c = data;

	lkmdemo_fifo_stats(c->f, &c->st);
	complete(&c->done);
	return 0;
}

/* Run @fn in a kthread; true if it finished within a second. */
static bool lkmdemo_call_fast(struct kunit *test, struct lkmdemo_call *c,
			      int (*fn)(void *))
{
	struct task_struct *task;
	bool fast;

	init_completion(&c->done);
	task = kthread_run(fn, c, "lkmdemo_kunit");
	KUNIT_ASSERT_FALSE(test, IS_ERR(task));
	fast = wait_for_completion_timeout(&c->done, HZ);
	return fast;
}

static void lkmdemo_fifo_post_busy_test(struct kunit *test)
{
	struct lkmdemo_fifo *f = test->priv;
	struct lkmdemo_call c = { .f = f };
	bool fast;

	mutex_lock(&f->write_lock);
	fast = lkmdemo_call_fast(test, &c, lkmdemo_call_post);
	mutex_unlock(&f->write_lock);
	if (!fast)
		wait_for_completion(&c.done);
	KUNIT_EXPECT_TRUE_MSG(test, fast, "post waited for the producers' mutex");
	KUNIT_EXPECT_EQ(test, -EAGAIN, c.ret);
	expect_stats(test, f, 0, 0, 0, 0);

	/* and stores as usual when the mutex is free */
	KUNIT_EXPECT_TRUE(test, lkmdemo_call_fast(test, &c, lkmdemo_call_post));
	KUNIT_EXPECT_EQ(test, 1, c.ret);
	expect_stats(test, f, 1, 0, 0, 1);
}

static void lkmdemo_fifo_stats_lockless_test(struct kunit *test)
{
	struct lkmdemo_fifo *f = test->priv;
	struct lkmdemo_call c = { .f = f };
	bool fast;

	KUNIT_ASSERT_EQ(test, (size_t)300, fifo_put(test, f, 300, 0));
	fifo_expect(test, f, 100, 0);
	mutex_lock(&f->read_lock);
	mutex_lock(&f->write_lock);
	fast = lkmdemo_call_fast(test, &c, lkmdemo_call_stats);
	mutex_unlock(&f->write_lock);
	mutex_unlock(&f->read_lock);
	if (!fast)
		wait_for_completion(&c.done);
	KUNIT_EXPECT_TRUE_MSG(test, fast, "stats waited for the FIFO's mutexes");
	KUNIT_EXPECT_EQ(test, (u64)300, c.st.bytes_in);
	KUNIT_EXPECT_EQ(test, (u64)100, c.st.bytes_out);
	KUNIT_EXPECT_EQ(test, 200U, c.st.fill);
}

/*
 * The counters must not make a reader wait for the FIFO's mutexes even while
 * a producer is inside its write section: on PREEMPT_RT, where a mutex does
 * not disable preemption, the producer can be preempted there, and another
 * producer can be next in line for write_lock with a long copy to make.
 *
 * The holder opens a write section with write_lock held and stays in it: if
 * the section can be preempted, it sleeps there until the test is done (as
 * a preempted producer would); if not, it spins there for a while. The
 * queuer then waits for write_lock and keeps it for two seconds once it has
 * it. lkmdemo_fifo_stats() must finish within a second all the same.
 */
struct lkmdemo_section {
	struct lkmdemo_fifo *f;
	struct completion inside;	/* the holder is in its section */
	struct completion leave;	/* the holder may leave it */
	struct completion queued;	/* the queuer is about to lock */
	struct completion held_done;	/* the holder has left */
	struct completion queue_done;	/* the queuer has unlocked */
	bool preemptible;
};

static int lkmdemo_section_holder(void *data)
{
	struct lkmdemo_section *s = data;

	mutex_lock(&s->f->write_lock);
	lkmdemo_fifo_in_begin(s->f);
	s->preemptible = preemptible();
	complete(&s->inside);
	if (s->preemptible)
		wait_for_completion(&s->leave);
	else
		mdelay(100);
	lkmdemo_fifo_in_end(s->f);
	mutex_unlock(&s->f->write_lock);
	complete(&s->held_done);
	return 0;
}

static int lkmdemo_section_queuer(void *data)
{
	struct lkmdemo_section *s = data;

	complete(&s->queued);
	mutex_lock(&s->f->write_lock);
	msleep(2000);
	mutex_unlock(&s->f->write_lock);
	complete(&s->queue_done);
	return 0;
}

static void lkmdemo_fifo_stats_section_test(struct kunit *test)
{
	struct lkmdemo_fifo *f = test->priv;
	struct lkmdemo_section s = { .f = f };
	struct lkmdemo_call c = { .f = f };
	struct task_struct *task;
	bool fast;

	KUNIT_ASSERT_EQ(test, (size_t)300, fifo_put(test, f, 300, 0));
	init_completion(&s.inside);
	init_completion(&s.leave);
	init_completion(&s.queued);
	init_completion(&s.held_done);
	init_completion(&s.queue_done);
	task = kthread_run(lkmdemo_section_holder, &s, "lkmdemo_kunit");
	KUNIT_ASSERT_FALSE(test, IS_ERR(task));
	wait_for_completion(&s.inside);
	task = kthread_run(lkmdemo_section_queuer, &s, "lkmdemo_kunit");
	if (IS_ERR(task)) {
		complete(&s.leave);
		wait_for_completion(&s.held_done);
		KUNIT_FAIL(test, "kthread_run: %ld", PTR_ERR(task));
		return;
	}
	wait_for_completion(&s.queued);
	msleep(50);	/* the queuer is waiting for write_lock now */

	fast = lkmdemo_call_fast(test, &c, lkmdemo_call_stats);
	complete(&s.leave);
	wait_for_completion(&s.held_done);
	wait_for_completion(&s.queue_done);
	if (!fast)
		wait_for_completion(&c.done);
	kunit_info(test, "the write section was %spreemptible\n",
		   s.preemptible ? "" : "not ");
	KUNIT_EXPECT_TRUE_MSG(test, fast,
			      "stats waited for write_lock behind an open write section");
	KUNIT_EXPECT_EQ(test, (u64)300, c.st.bytes_in);
	KUNIT_EXPECT_EQ(test, 300U, c.st.fill);
}

/*
 * Blocked readers on a FIFO that was never polled: a store wakes a reader
 * only if it went into an empty FIFO, and a woken reader that leaves bytes
 * behind passes the wake-up on. Four readers block in 1-byte reads; the
 * bytes arrive in one store, or in four while the readers are held off
 * read_lock, so that only the first store finds the FIFO empty. Every
 * reader must get a byte.
 */
#define HANDOFF_READERS	4

struct lkmdemo_reader {
	struct lkmdemo_fifo *f;
	struct completion done;
	bool waited;		/* the test consumed @done */
	ssize_t ret;
	u8 byte;
};

static int lkmdemo_reader_fn(void *data)
{
	struct lkmdemo_reader *r = data;

	r->ret = fifo_read(r->f, &r->byte, 1, false);
	complete(&r->done);
	return 0;
}

/* Entries on @wq: the readers that queued themselves to sleep. */
static unsigned int queued_on(struct wait_queue_head *wq)
{
	struct wait_queue_entry *e;
	unsigned int n = 0;

	spin_lock_irq(&wq->lock);
	list_for_each_entry(e, &wq->head, entry)
		n++;
	spin_unlock_irq(&wq->lock);
	return n;
}

/* Start the readers and wait until all of them sleep; false if they do not. */
static bool start_readers(struct kunit *test, struct lkmdemo_fifo *f,
			  struct lkmdemo_reader *r)
{
	struct task_struct *task;
	int i;

	for (i = 0; i < HANDOFF_READERS; i++) {
		r[i].f = f;
		init_completion(&r[i].done);
		task = kthread_run(lkmdemo_reader_fn, &r[i], "lkmdemo_kunit");
		if (IS_ERR(task)) {
			KUNIT_FAIL(test, "kthread_run: %ld", PTR_ERR(task));
			return false;
		}
	}
	for (i = 0; i < 100 && queued_on(&f->read_wait) < HANDOFF_READERS; i++)
		msleep(20);
	return queued_on(&f->read_wait) == HANDOFF_READERS;
}

/*
 * Wait a second for the readers; then release any that are still asleep,
 * with a byte each and a wake-up for all, so that none outlives the FIFO.
 * Returns the number that had finished in time.
 */
static int finish_readers(struct lkmdemo_fifo *f, struct lkmdemo_reader *r,
			  int started)
{
	unsigned long deadline = jiffies + HZ;
	int i, in_time = 0, late;

	for (i = 0; i < started; i++) {
		long left = max_t(long, (long)(deadline - jiffies), 1);

		r[i].waited = wait_for_completion_timeout(&r[i].done, left);
		in_time += r[i].waited;
	}
	late = started - in_time;
	if (late) {
		while (lkmdemo_fifo_len(f) < late)
			if (lkmdemo_fifo_post(f, "z", 1) != 1)
				msleep(20);
		wake_up_interruptible_all(&f->read_wait);
	}
	for (i = 0; i < started; i++)
		if (!r[i].waited)
			wait_for_completion(&r[i].done);
	return in_time;
}

static void expect_readers_served(struct kunit *test, struct lkmdemo_fifo *f,
				  struct lkmdemo_reader *r, const char *bytes)
{
	int i;

	KUNIT_EXPECT_EQ_MSG(test, HANDOFF_READERS,
			    finish_readers(f, r, HANDOFF_READERS),
			    "readers left asleep with bytes in the FIFO");
	for (i = 0; i < HANDOFF_READERS; i++) {
		KUNIT_EXPECT_EQ(test, (ssize_t)1, r[i].ret);
		KUNIT_EXPECT_TRUE(test, r[i].byte && strchr(bytes, r[i].byte));
	}
	KUNIT_EXPECT_EQ(test, 0U, lkmdemo_fifo_len(f));
}

static void lkmdemo_fifo_readers_one_store_test(struct kunit *test)
{
	struct lkmdemo_fifo *f = test->priv;
	struct lkmdemo_reader r[HANDOFF_READERS] = {};

	KUNIT_ASSERT_FALSE(test, f->polled);
	if (!start_readers(test, f, r)) {
		finish_readers(f, r, HANDOFF_READERS);
		KUNIT_FAIL(test, "the readers did not all block");
		return;
	}
	KUNIT_ASSERT_EQ(test, HANDOFF_READERS, lkmdemo_fifo_post(f, "abcd", 4));
	expect_readers_served(test, f, r, "abcd");
}

static void lkmdemo_fifo_readers_four_stores_test(struct kunit *test)
{
	struct lkmdemo_fifo *f = test->priv;
	struct lkmdemo_reader r[HANDOFF_READERS] = {};
	static const char bytes[] = "wxyz";
	int i;

	KUNIT_ASSERT_FALSE(test, f->polled);
	if (!start_readers(test, f, r)) {
		finish_readers(f, r, HANDOFF_READERS);
		KUNIT_FAIL(test, "the readers did not all block");
		return;
	}
	mutex_lock(&f->read_lock);
	for (i = 0; i < HANDOFF_READERS; i++)
		KUNIT_EXPECT_EQ(test, 1, lkmdemo_fifo_post(f, &bytes[i], 1));
	mutex_unlock(&f->read_lock);
	expect_readers_served(test, f, r, bytes);
}

/* A freed FIFO refuses stores instead of copying into freed memory. */
static void lkmdemo_fifo_freed_test(struct kunit *test)
{
	struct lkmdemo_fifo *g = kunit_kzalloc(test, sizeof(*g), GFP_KERNEL);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, g);
	KUNIT_ASSERT_EQ(test, 0, lkmdemo_fifo_init(g, TEST_FIFO_SIZE));
	KUNIT_ASSERT_EQ(test, 3, lkmdemo_fifo_post(g, "abc", 3));
	lkmdemo_fifo_free(g);
	KUNIT_EXPECT_EQ(test, -EMSGSIZE, lkmdemo_fifo_post(g, "x", 1));
	KUNIT_EXPECT_EQ(test, 0U, lkmdemo_fifo_len(g));
	KUNIT_EXPECT_EQ(test, 0U, lkmdemo_fifo_avail(g));
	KUNIT_EXPECT_PTR_EQ(test, NULL, (void *)g->buf);
}

static struct kunit_case lkmdemo_fifo_cases[] = {
	KUNIT_CASE(lkmdemo_fifo_init_test),
	KUNIT_CASE(lkmdemo_fifo_write_read_test),
	KUNIT_CASE(lkmdemo_fifo_zero_length_test),
	KUNIT_CASE(lkmdemo_fifo_full_test),
	KUNIT_CASE(lkmdemo_fifo_wrap_test),
	KUNIT_CASE(lkmdemo_fifo_index_overflow_test),
	KUNIT_CASE(lkmdemo_fifo_atomic_write_test),
	KUNIT_CASE(lkmdemo_fifo_atomic_small_test),
	KUNIT_CASE(lkmdemo_fifo_post_test),
	KUNIT_CASE(lkmdemo_fifo_flush_test),
	KUNIT_CASE(lkmdemo_fifo_flush_report_fails_test),
	KUNIT_CASE(lkmdemo_fifo_stats_test),
	KUNIT_CASE(lkmdemo_fifo_poll_test),
	KUNIT_CASE(lkmdemo_fifo_post_busy_test),
	KUNIT_CASE(lkmdemo_fifo_stats_lockless_test),
	KUNIT_CASE(lkmdemo_fifo_stats_section_test),
	KUNIT_CASE(lkmdemo_fifo_readers_one_store_test),
	KUNIT_CASE(lkmdemo_fifo_readers_four_stores_test),
	KUNIT_CASE(lkmdemo_fifo_freed_test),
	{}
};

static struct kunit_suite lkmdemo_fifo_suite = {
	.name = "lkmdemo_fifo",
	.init = lkmdemo_fifo_test_init,
	.exit = lkmdemo_fifo_test_exit,
	.test_cases = lkmdemo_fifo_cases,
};

/* One call: on 5.10 it defines the module's module_init(). */
kunit_test_suites(&lkmdemo_params_suite, &lkmdemo_fifo_suite);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("The lkmdemo authors");
MODULE_DESCRIPTION("KUnit tests for the lkmdemo FIFO and parameter checks");
LKMDEMO_IMPORT_NS_FOR_KUNIT();
