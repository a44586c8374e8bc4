/* SPDX-License-Identifier: GPL-2.0 */
#ifndef TWO_H
#define TWO_H

void two_exit(void);

#endif
