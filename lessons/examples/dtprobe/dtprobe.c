// SPDX-License-Identifier: GPL-2.0
/*
 * A platform driver bound to a device-tree node.
 *
 * The board's device tree describes a device with a node (dtprobe.dtsi):
 * its compatible string says which driver it needs, its properties say how
 * the board has it set up. This driver matches the string, reads the
 * property "lkmdemo,size" in probe, allocates a buffer of that size and
 * shows the size in sysfs. Everything probe sets up is devm_ managed: the
 * driver core undoes it when the device is unbound, so there is no remove().
 */
#include <linux/device.h>
#include <linux/mod_devicetable.h>
#include <linux/module.h>
#include <linux/platform_device.h>
#include <linux/property.h>
#include <linux/slab.h>
#include <linux/sysfs.h>

struct dtprobe {
	u32 size;
	void *buf;
};

static ssize_t size_show(struct device *dev, struct device_attribute *attr,
			 char *buf)
{
	struct dtprobe *dp = dev_get_drvdata(dev);

	return sysfs_emit(buf, "%u\n", dp->size);
}
static DEVICE_ATTR_RO(size);

static struct attribute *dtprobe_attrs[] = {
	&dev_attr_size.attr,
	NULL
};
ATTRIBUTE_GROUPS(dtprobe);

/* The last devm_ action probe adds: it runs first when the device is unbound. */
static void dtprobe_unbound(void *data)
{
	struct device *dev = data;

	dev_info(dev, "unbound: devm_ frees the buffer next\n");
}

static int dtprobe_probe(struct platform_device *pdev)
{
	struct device *dev = &pdev->dev;
	struct dtprobe *dp;
	int ret;

	dp = devm_kzalloc(dev, sizeof(*dp), GFP_KERNEL);
	if (!dp)
		return -ENOMEM;

	ret = device_property_read_u32(dev, "lkmdemo,size", &dp->size);
	if (ret)
		return dev_err_probe(dev, ret, "no lkmdemo,size property\n");
	if (!dp->size || dp->size > PAGE_SIZE)
		return dev_err_probe(dev, -EINVAL, "lkmdemo,size = %u: 1 to %lu\n",
				     dp->size, PAGE_SIZE);

	dp->buf = devm_kzalloc(dev, dp->size, GFP_KERNEL);
	if (!dp->buf)
		return -ENOMEM;

	ret = devm_add_action_or_reset(dev, dtprobe_unbound, dev);
	if (ret)
		return ret;

	platform_set_drvdata(pdev, dp);
	dev_info(dev, "probed: lkmdemo,size = %u\n", dp->size);
	return 0;
}

static const struct of_device_id dtprobe_of_match[] = {
	{ .compatible = "lkmdemo,example" },
	{ }
};
MODULE_DEVICE_TABLE(of, dtprobe_of_match);

static struct platform_driver dtprobe_driver = {
	.probe = dtprobe_probe,
	.driver = {
		.name = "dtprobe",
		.of_match_table = dtprobe_of_match,
		.dev_groups = dtprobe_groups,
	},
};
module_platform_driver(dtprobe_driver);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("A platform driver bound to a device-tree node");
