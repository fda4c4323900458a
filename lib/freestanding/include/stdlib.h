/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Stand-in <stdlib.h> for third-party code built into the core. libfdt
 * wants strtoul. xxHash's streaming API allocates its state with malloc,
 * and its static wrappers around malloc are compiled even when unused (at
 * -O0), so malloc must exist. The core has no general malloc: here every
 * allocation fails, which such callers already have to handle.
 */
#ifndef ATOLL_FREESTANDING_STDLIB_H
#define ATOLL_FREESTANDING_STDLIB_H

#include <atoll/string.h>

static inline void *malloc(size_t size)
{
	(void)size;
	return NULL;
}

static inline void free(void *ptr)
{
	(void)ptr;
}

#endif
