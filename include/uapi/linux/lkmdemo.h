/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * lkmdemo - LKM demonstration driver: userspace interface of /dev/lkmdemo
 *
 * /dev/lkmdemo is one FIFO byte stream shared by every opener, with pipe(7)
 * semantics; see Documentation/userspace-api/lkmdemo.rst.
 */
#ifndef _UAPI_LINUX_LKMDEMO_H
#define _UAPI_LINUX_LKMDEMO_H

#include <linux/ioctl.h>
#include <linux/types.h>

/**
 * struct lkmdemo_stats - counters of the FIFO, read by LKMDEMO_IOC_GET_STATS
 * @bytes_in: bytes accepted by write() and by the in-kernel API since load
 * @bytes_out: bytes consumed by read() since load
 * @bytes_flushed: bytes discarded by LKMDEMO_IOC_FLUSH since load
 * @opens: successful open() calls of /dev/lkmdemo since load
 * @fill: bytes stored in the FIFO now
 * @capacity: FIFO size in bytes (the bufsize module parameter)
 * @openers: open file descriptions of /dev/lkmdemo now
 * @pad: reserved, always 0
 *
 * The snapshot is consistent: @bytes_in == @bytes_out + @bytes_flushed + @fill.
 */
struct lkmdemo_stats {
	__u64 bytes_in;
	__u64 bytes_out;
	__u64 bytes_flushed;
	__u64 opens;
	__u32 fill;
	__u32 capacity;
	__u32 openers;
	__u32 pad;
};

/**
 * struct lkmdemo_peek - arguments of LKMDEMO_IOC_PEEK
 * @buf: in: user address of the destination buffer, as a __u64
 * @len: in: size of @buf in bytes; out: number of bytes copied
 * @pad: in: must be 0, else the ioctl fails with EINVAL
 *
 * Copies up to @len bytes from the head of the FIFO without consuming them.
 */
struct lkmdemo_peek {
	__u64 buf;
	__u32 len;
	__u32 pad;
};

#define LKMDEMO_IOC_MAGIC	0x91

/* Read the counters; the kernel fills the whole struct. */
#define LKMDEMO_IOC_GET_STATS	_IOR(LKMDEMO_IOC_MAGIC, 0x00, struct lkmdemo_stats)
/* Discard the FIFO contents; the number of bytes discarded is stored in the __u64. */
#define LKMDEMO_IOC_FLUSH	_IOR(LKMDEMO_IOC_MAGIC, 0x01, __u64)
/* Copy bytes from the head of the FIFO without consuming them. */
#define LKMDEMO_IOC_PEEK	_IOWR(LKMDEMO_IOC_MAGIC, 0x02, struct lkmdemo_peek)

#endif /* _UAPI_LINUX_LKMDEMO_H */
