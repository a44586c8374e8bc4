/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * lkmdemo - wrappers over kernel APIs that differ between Linux 5.10 and 7.2
 *
 * Copyright (C) 2025 The lkmdemo authors
 *
 * This is the only lkmdemo file that looks at LINUX_VERSION_CODE. Rules:
 *
 * - Every wrapper carries our name: lkmdemo_*, LKMDEMO_*, and for exports
 *   EXPORT_SYMBOL_*LKMDEMO*, after upstream's EXPORT_SYMBOL_IF_MAC80211_KUNIT()
 *   (checkpatch knows EXPORT_SYMBOL* lines as exports). A kernel name is
 *   never defined here: stable releases backport new APIs (5.10.262 has
 *   timer_delete_sync(), 6.1.192 has timer_shutdown_sync()), so defining a
 *   kernel name for "old" kernels clashes with those backports.
 * - Only the major and minor numbers are compared, through
 *   LKMDEMO_KERNEL_GE(): LINUX_VERSION_CODE saturates the sublevel at 255
 *   (5.10.262 reads as 5.10.255), and backports make sublevels meaningless.
 * - Where the kernel name is a macro, its presence is tested instead of the
 *   version, which also picks up backports.
 */
#ifndef _LKMDEMO_COMPAT_H
#define _LKMDEMO_COMPAT_H

#include <linux/export.h>
#include <linux/module.h>
#include <linux/timer.h>
#include <linux/uio.h>
#include <linux/version.h>
#include <linux/workqueue.h>

/* True on Linux @maj.@min and later. */
#define LKMDEMO_KERNEL_GE(maj, min)	\
	(KERNEL_VERSION(maj, min, 0) <= LINUX_VERSION_CODE)

/*
 * Only a lower bound: the wrappers below need 5.10's APIs. A newer kernel than
 * the newest one tested must still build; its API changes are handled here
 * like any other (the harness's "next" cell builds the newest kernel Debian
 * ships).
 */
#if !LKMDEMO_KERNEL_GE(5, 10)
#error "lkmdemo needs Linux 5.10 or later"
#endif

/*
 * Symbol namespaces: since 6.13 the namespace of EXPORT_SYMBOL_NS_GPL() and
 * MODULE_IMPORT_NS() is a string literal; before (5.10-6.12, including
 * 6.12.117) it is an identifier that the macros stringify.
 *
 * EXPORT_SYMBOL_LKMDEMO_NS_GPL(sym) exports @sym in the LKMDEMO namespace,
 * LKMDEMO_IMPORT_NS() imports that namespace into a user module.
 */
#if LKMDEMO_KERNEL_GE(6, 13)
#define EXPORT_SYMBOL_LKMDEMO_NS_GPL(sym)	EXPORT_SYMBOL_NS_GPL(sym, "LKMDEMO")
#define LKMDEMO_IMPORT_NS()			MODULE_IMPORT_NS("LKMDEMO")
#else
#define EXPORT_SYMBOL_LKMDEMO_NS_GPL(sym)	EXPORT_SYMBOL_NS_GPL(sym, LKMDEMO)
#define LKMDEMO_IMPORT_NS()			MODULE_IMPORT_NS(LKMDEMO)
#endif

/*
 * Exports for the KUnit tests: EXPORT_SYMBOL_IF_LKMDEMO_KUNIT(sym) exports
 * an internal symbol only when the tests are built (LKMDEMO_KUNIT_TEST; out
 * of tree, Kbuild defines it when the kernel has KUnit), and the test module
 * calls LKMDEMO_IMPORT_NS_FOR_KUNIT().
 *
 * <kunit/visibility.h> (6.2, backported to 6.1.y) provides
 * EXPORT_SYMBOL_IF_KUNIT() and the EXPORTED_FOR_KUNIT_TESTING namespace
 * (a string literal from 6.13, like every namespace). On kernels without it
 * (5.10) the symbols go to our own LKMDEMO_KUNIT namespace. Kbuild defines
 * LKMDEMO_HAVE_KUNIT_VISIBILITY if the header exists.
 */
#if IS_ENABLED(CONFIG_LKMDEMO_KUNIT_TEST) && defined(LKMDEMO_HAVE_KUNIT_VISIBILITY)
#include <kunit/visibility.h>
#define EXPORT_SYMBOL_IF_LKMDEMO_KUNIT(sym)		EXPORT_SYMBOL_IF_KUNIT(sym)
#if LKMDEMO_KERNEL_GE(6, 13)
#define LKMDEMO_IMPORT_NS_FOR_KUNIT()		MODULE_IMPORT_NS("EXPORTED_FOR_KUNIT_TESTING")
#else
#define LKMDEMO_IMPORT_NS_FOR_KUNIT()		MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING)
#endif
#elif IS_ENABLED(CONFIG_LKMDEMO_KUNIT_TEST)
#define EXPORT_SYMBOL_IF_LKMDEMO_KUNIT(sym)		EXPORT_SYMBOL_NS_GPL(sym, LKMDEMO_KUNIT)
#define LKMDEMO_IMPORT_NS_FOR_KUNIT()		MODULE_IMPORT_NS(LKMDEMO_KUNIT)
#else
#define EXPORT_SYMBOL_IF_LKMDEMO_KUNIT(sym)
#define LKMDEMO_IMPORT_NS_FOR_KUNIT()
#endif

/*
 * Timers: from_timer() was renamed timer_container_of() in 6.16, without an
 * alias. Both are macros, so test for the new one.
 */
#ifdef timer_container_of
#define lkmdemo_timer_container_of(var, timer, field)	\
	timer_container_of(var, timer, field)
#else
#define lkmdemo_timer_container_of(var, timer, field)	\
	from_timer(var, timer, field)
#endif

/*
 * timer_shutdown_sync() (6.2) deletes a timer and makes later re-arming a
 * no-op. Before it, del_timer_sync() (removed in 6.15) is the closest: it also
 * catches a callback that re-arms its own timer, because it retries until the
 * timer is neither pending nor running, but the caller must make sure that
 * nothing else re-arms the timer.
 */
#if LKMDEMO_KERNEL_GE(6, 2)
#define lkmdemo_timer_shutdown_sync(timer)	timer_shutdown_sync(timer)
#else
#define lkmdemo_timer_shutdown_sync(timer)	del_timer_sync(timer)
#endif

/*
 * Workqueues: WQ_PERCPU (6.17, an enum constant; backported to 6.12.y) marks
 * a per-CPU workqueue, the historical default; 7.2 warns when a workqueue is
 * allocated with neither WQ_PERCPU nor WQ_UNBOUND. On kernels before 6.17,
 * flags 0 mean the same thing.
 */
#if LKMDEMO_KERNEL_GE(6, 17)
#define LKMDEMO_WQ_PERCPU	WQ_PERCPU
#else
#define LKMDEMO_WQ_PERCPU	0
#endif

/**
 * lkmdemo_alloc_workqueue() - allocate a per-CPU workqueue
 * @name: name of the workqueue, also shown by the workqueue debug tools
 *
 * Return: the workqueue, or NULL if out of memory.
 */
#define lkmdemo_alloc_workqueue(name)	\
	alloc_workqueue("%s", LKMDEMO_WQ_PERCPU, 0, (name))

/*
 * iov_iter directions: ITER_SOURCE/ITER_DEST (6.1, macros; backported to
 * 5.10.y) replace WRITE/READ as the direction of iov_iter_kvec() and friends.
 */
#ifdef ITER_DEST
#define LKMDEMO_ITER_SOURCE	ITER_SOURCE
#define LKMDEMO_ITER_DEST	ITER_DEST
#else
#define LKMDEMO_ITER_SOURCE	WRITE
#define LKMDEMO_ITER_DEST	READ
#endif

#endif /* _LKMDEMO_COMPAT_H */
