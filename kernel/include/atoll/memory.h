/* SPDX-License-Identifier: GPL-2.0-only */
/* memory_op: the balloon's populate/decrease and reservation queries. */
#ifndef ATOLL_MEMORY_H
#define ATOLL_MEMORY_H

#include <atoll/types.h>

/*
 * Frames one populate/decrease call handles at most: there are no
 * continuations, so a call stops early (returning the extents done, like
 * any partial result) to keep the time spent in the core bounded.
 */
#define MEMORY_OP_FRAMES_MAX 4096

long do_memory_op(unsigned cmd, uint64_t arg);

#endif
