/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _HELLO_UTIL_H
#define _HELLO_UTIL_H

int hello_multiply(int a, int b);

#endif
