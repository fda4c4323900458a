/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Stand-in <stdlib.h> for third-party code built into the core. libfdt
 * wants strtoul; xxHash's streaming API allocates its state with malloc.
 * The core has no general malloc, so malloc and free are declared only to
 * turn a call that survives optimisation into a compile error naming the
 * cause (xxHash's one-shot functions never call them).
 */
#ifndef ATOLL_FREESTANDING_STDLIB_H
#define ATOLL_FREESTANDING_STDLIB_H

#include <atoll/string.h>

#define ATOLL_NO_MALLOC                                                        \
	__attribute__((error("the core has no malloc: use a pool or frames")))

ATOLL_NO_MALLOC void *malloc(size_t size);
ATOLL_NO_MALLOC void free(void *ptr);

#endif
