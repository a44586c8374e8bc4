/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * lkmdemo - in-kernel API for other modules
 *
 * Copyright (C) 2025 The lkmdemo authors
 *
 * The functions are documented where they are defined, in api.c. Modules
 * that call the GPL-only ones import the LKMDEMO symbol namespace with
 * LKMDEMO_IMPORT_NS() from compat.h.
 */
#ifndef _LKMDEMO_H
#define _LKMDEMO_H

#include <linux/types.h>
#include <uapi/linux/lkmdemo.h>

int lkmdemo_post(const void *buf, size_t len);
int lkmdemo_get_stats(struct lkmdemo_stats *st);
ssize_t lkmdemo_get_whom(char *buf, size_t size);

#endif /* _LKMDEMO_H */
