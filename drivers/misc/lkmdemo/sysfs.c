// SPDX-License-Identifier: GPL-2.0-only
/*
 * lkmdemo - sysfs attributes of /sys/class/misc/lkmdemo/
 *
 * Copyright (C) 2025 The lkmdemo authors
 *
 * Read-only counters (one value each, from a consistent snapshot) and the
 * writable EPOLLOUT threshold write_lowat. This file only reads and sets
 * device state through the FIFO's and the device's own functions; it calls
 * nothing in chardev.c. The groups are data (lkmdemo_groups), which
 * chardev.c hands to misc_register(), so the attributes exist when the
 * uevent announces the device.
 *
 * The counters are world-readable: they are read without the FIFO's
 * mutexes (see lkmdemo_fifo_stats()), so reading them never waits for I/O
 * in progress on /dev/lkmdemo.
 */

#include <linux/device.h>
#include <linux/kernel.h>
#include <linux/miscdevice.h>
#include <linux/sysfs.h>

#include "internal.h"

static struct lkmdemo *lkmdemo_from_dev(struct device *dev)
{
	/* misc_register() set the drvdata to our struct miscdevice. */
	struct miscdevice *misc = dev_get_drvdata(dev);

	return container_of(misc, struct lkmdemo, misc);
}

/* Each counter attribute shows one field of a consistent snapshot. */
static struct lkmdemo_stats lkmdemo_snapshot(struct device *dev)
{
	struct lkmdemo_stats st;

	lkmdemo_dev_stats(lkmdemo_from_dev(dev), &st);
	return st;
}

static ssize_t bytes_in_show(struct device *dev,
			     struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%llu\n", lkmdemo_snapshot(dev).bytes_in);
}
static DEVICE_ATTR_RO(bytes_in);

static ssize_t bytes_out_show(struct device *dev,
			      struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%llu\n", lkmdemo_snapshot(dev).bytes_out);
}
static DEVICE_ATTR_RO(bytes_out);

static ssize_t bytes_flushed_show(struct device *dev,
				  struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%llu\n", lkmdemo_snapshot(dev).bytes_flushed);
}
static DEVICE_ATTR_RO(bytes_flushed);

static ssize_t opens_show(struct device *dev,
			  struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%llu\n", lkmdemo_snapshot(dev).opens);
}
static DEVICE_ATTR_RO(opens);

static ssize_t openers_show(struct device *dev,
			    struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%u\n", lkmdemo_snapshot(dev).openers);
}
static DEVICE_ATTR_RO(openers);

static ssize_t fill_show(struct device *dev,
			 struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%u\n", lkmdemo_snapshot(dev).fill);
}
static DEVICE_ATTR_RO(fill);

static ssize_t capacity_show(struct device *dev,
			     struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%u\n", lkmdemo_snapshot(dev).capacity);
}
static DEVICE_ATTR_RO(capacity);

static ssize_t write_lowat_show(struct device *dev,
				struct device_attribute *attr, char *buf)
{
	struct lkmdemo *ld = lkmdemo_from_dev(dev);

	return sysfs_emit(buf, "%u\n", READ_ONCE(ld->fifo.write_lowat));
}

static ssize_t write_lowat_store(struct device *dev,
				 struct device_attribute *attr,
				 const char *buf, size_t count)
{
	struct lkmdemo *ld = lkmdemo_from_dev(dev);
	unsigned int lowat;
	int ret;

	if (kstrtouint(buf, 0, &lowat))
		return -EINVAL;

	ret = lkmdemo_fifo_set_write_lowat(&ld->fifo, lowat);
	return ret ? ret : count;
}
static DEVICE_ATTR_RW(write_lowat);

static struct attribute *lkmdemo_attrs[] = {
	&dev_attr_bytes_in.attr,
	&dev_attr_bytes_out.attr,
	&dev_attr_bytes_flushed.attr,
	&dev_attr_opens.attr,
	&dev_attr_openers.attr,
	&dev_attr_fill.attr,
	&dev_attr_capacity.attr,
	&dev_attr_write_lowat.attr,
	NULL
};

static const struct attribute_group lkmdemo_group = {
	.attrs = lkmdemo_attrs,
};

/* What ATTRIBUTE_GROUPS(lkmdemo) makes, but not static: chardev.c uses it. */
const struct attribute_group *lkmdemo_groups[] = {
	&lkmdemo_group,
	NULL
};
