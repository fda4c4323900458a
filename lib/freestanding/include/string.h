/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Stand-in <string.h> for third-party code built into the core (libfdt,
 * xxHash): the core's own string functions, which follow the C contracts.
 */
#ifndef ATOLL_FREESTANDING_STRING_H
#define ATOLL_FREESTANDING_STRING_H

#include <atoll/string.h>

#endif
