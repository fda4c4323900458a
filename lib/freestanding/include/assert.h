/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Stand-in <assert.h> for third-party code built into the core. xxHash
 * takes static_assert from here; a run-time assert() becomes the core's
 * ASSERT (a panic), as third-party asserts guard that code's own
 * invariants. Like the standard header, assert() follows NDEBUG anew at
 * each inclusion.
 */
#ifndef static_assert
#define static_assert _Static_assert
#endif

#undef assert
#ifdef NDEBUG
#define assert(cond) ((void)0)
#else
#include <atoll/panic.h>
#define assert(cond) ASSERT(cond)
#endif
