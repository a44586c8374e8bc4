/* SPDX-License-Identifier: GPL-2.0 */
#ifndef TWO_H
#define TWO_H

void two_say(const char *what);

#endif
