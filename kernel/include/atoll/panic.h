/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * panic() and ASSERT() are for the core's own invariants only. Anything a
 * domain, a manifest or a user can influence gets an error code instead.
 */
#ifndef ATOLL_PANIC_H
#define ATOLL_PANIC_H

#include <atoll/compiler.h>

__noreturn void panic(const char *fmt, ...) __printf(1, 2);

#define ASSERT(cond)                                                           \
	do {                                                                   \
		if (unlikely(!(cond)))                                         \
			panic("assertion '%s' failed at %s:%d", #cond,         \
			      __FILE__, __LINE__);                             \
	} while (0)

#define BUG() panic("BUG at %s:%d", __FILE__, __LINE__)

#endif
