// SPDX-License-Identifier: GPL-2.0-only
/*
 * lkmdemo_client - example user of the lkmdemo in-kernel API
 *
 * Copyright (C) 2025 The lkmdemo authors
 *
 * Every interval_ms a timer queues a work item on the client's workqueue;
 * the work item, in process context as lkmdemo_post() requires, appends
 * "Hello, <whom> #<n>\n" to the lkmdemo FIFO. When the FIFO is full the
 * message is dropped and counted, never waited for.
 *
 * Teardown order: shut the timer down (it is the only thing that queues the
 * work item), then destroy the workqueue, which waits for queued and running
 * work. After exit returns, nothing of this module runs.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/init.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/printk.h>
#include <linux/timer.h>
#include <linux/workqueue.h>

#include "compat.h"
#include "lkmdemo.h"

#define LKMDEMO_CLIENT_INTERVAL_MIN	10
#define LKMDEMO_CLIENT_INTERVAL_MAX	60000

static unsigned int interval_ms = 1000;
module_param(interval_ms, uint, 0444);
MODULE_PARM_DESC(interval_ms, "Milliseconds between messages (10-60000, default 1000)");

/**
 * struct lkmdemo_client - state of the client (one instance)
 * @timer: fires every @period, queues @work and re-arms itself
 * @work: posts one message
 * @wq: the client's own workqueue, which runs @work
 * @period: interval_ms in jiffies
 * @seq: number of the last message built; only @work touches it
 * @drops: messages dropped because the FIFO was full; only @work touches it
 */
struct lkmdemo_client {
	struct timer_list timer;
	struct work_struct work;
	struct workqueue_struct *wq;
	unsigned long period;
	u64 seq;
	u64 drops;
};

static struct lkmdemo_client lkmdemo_client;

static void lkmdemo_client_work(struct work_struct *work)
{
	struct lkmdemo_client *c = container_of(work, struct lkmdemo_client,
						work);
	char whom[64];
	char msg[96];
	int len, ret;

	/* On error whom is "": the post below then reports the error. */
	lkmdemo_get_whom(whom, sizeof(whom));
	len = scnprintf(msg, sizeof(msg), "Hello, %s #%llu\n", whom, ++c->seq);

	ret = lkmdemo_post(msg, len);
	if (ret == -EAGAIN) {
		c->drops++;
		pr_debug("FIFO full or busy, dropped message #%llu\n", c->seq);
	} else if (ret < 0) {
		pr_warn_ratelimited("posting message #%llu failed: %d\n",
				    c->seq, ret);
	}
}

static void lkmdemo_client_tick(struct timer_list *t)
{
	struct lkmdemo_client *c = lkmdemo_timer_container_of(c, t, timer);

	queue_work(c->wq, &c->work);
	mod_timer(&c->timer, jiffies + c->period);
}

static int lkmdemo_client_report(const char *what)
{
	struct lkmdemo_stats st;
	int ret;

	ret = lkmdemo_get_stats(&st);
	if (ret)
		return ret;
	pr_info("%s: lkmdemo FIFO holds %u of %u bytes\n", what, st.fill,
		st.capacity);
	return 0;
}

static int __init lkmdemo_client_init(void)
{
	struct lkmdemo_client *c = &lkmdemo_client;
	int ret;

	if (interval_ms < LKMDEMO_CLIENT_INTERVAL_MIN ||
	    interval_ms > LKMDEMO_CLIENT_INTERVAL_MAX) {
		pr_err("interval_ms=%u: must be from %u to %u\n", interval_ms,
		       LKMDEMO_CLIENT_INTERVAL_MIN, LKMDEMO_CLIENT_INTERVAL_MAX);
		return -EINVAL;
	}

	/*
	 * A module lkmdemo is up once we can be loaded; a built-in one may
	 * have failed its init and left only its exports behind.
	 */
	ret = lkmdemo_client_report("started");
	if (ret) {
		pr_err("lkmdemo is not up (%d): nothing to post to\n", ret);
		return ret;
	}

	c->wq = lkmdemo_alloc_workqueue("lkmdemo_client");
	if (!c->wq)
		return -ENOMEM;

	INIT_WORK(&c->work, lkmdemo_client_work);
	timer_setup(&c->timer, lkmdemo_client_tick, 0);
	c->period = msecs_to_jiffies(interval_ms);
	mod_timer(&c->timer, jiffies + c->period);
	return 0;
}
module_init(lkmdemo_client_init);

static void __exit lkmdemo_client_exit(void)
{
	struct lkmdemo_client *c = &lkmdemo_client;

	lkmdemo_timer_shutdown_sync(&c->timer);
	destroy_workqueue(c->wq);

	pr_info("%llu message(s) built, %llu dropped\n", c->seq, c->drops);
	lkmdemo_client_report("stopped");
}
module_exit(lkmdemo_client_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("The lkmdemo authors");
MODULE_DESCRIPTION("Example client of the lkmdemo in-kernel API");
MODULE_VERSION("1.0");
LKMDEMO_IMPORT_NS();
