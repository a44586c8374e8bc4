/* SPDX-License-Identifier: GPL-2.0 */
/*
 * greet.h - what greet.ko exports, for the modules that call it.
 *
 * The namespace of EXPORT_SYMBOL_NS_GPL() and MODULE_IMPORT_NS() is a
 * string literal since Linux 6.13 ("GREET") and a bare word before (GREET).
 * The Makefile defines GREET_NS_IS_STRING on 6.13 and later, so the two
 * macros below are the only place that knows.
 */
#ifndef GREET_H
#define GREET_H

#ifdef GREET_NS_IS_STRING
#define EXPORT_SYMBOL_GREET_NS_GPL(sym)	EXPORT_SYMBOL_NS_GPL(sym, "GREET")
#define IMPORT_GREET_NS()		MODULE_IMPORT_NS("GREET")
#else
#define EXPORT_SYMBOL_GREET_NS_GPL(sym)	EXPORT_SYMBOL_NS_GPL(sym, GREET)
#define IMPORT_GREET_NS()		MODULE_IMPORT_NS(GREET)
#endif

void greet_any(const char *who);
void greet_gpl(const char *who);
void greet_ns(const char *who);

#endif
