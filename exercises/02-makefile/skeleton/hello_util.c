// SPDX-License-Identifier: GPL-2.0
/*
 * hello - the second source file of the module
 */
#include "hello_util.h"

int hello_multiply(int a, int b)
{
	return a * b;
}
