/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Buddy allocator for physical frames.
 *
 * A pure data structure: it never touches the memory it manages. All of its
 * bookkeeping lives in a caller-provided array of struct buddy_frame, one per
 * 4 KiB frame of the span [base_pfn, base_pfn + frame_count), indexed by
 * pfn - base_pfn. It takes no lock: the caller (kernel/common/frame.c) holds
 * its frame lock around every call, and every field below is guarded by it.
 *
 * Blocks are naturally aligned in absolute frame numbers (a block of order k
 * starts at a pfn that is a multiple of 2^k), whatever base_pfn is, so an
 * order-9 block can back a 2 MiB page and an order-18 block a 1 GiB page.
 *
 * Every frame starts reserved (a hole, or used by firmware or the core);
 * buddy_add_range() makes usable RAM free. Only the first frame of a block
 * (its head) records the block's state and order; the other frames of the
 * block are marked BUDDY_TAIL.
 */
#ifndef ATOLL_BUDDY_H
#define ATOLL_BUDDY_H

#include <atoll/types.h>
#include <atoll/compiler.h>

/* 2^18 frames of 4 KiB = 1 GiB, the largest x86 page. */
#define BUDDY_MAX_ORDER	  18
#define BUDDY_ORDER_COUNT (BUDDY_MAX_ORDER + 1)

/* Free-list links are 32-bit frame indices; this one means "no frame". */
#define BUDDY_NONE UINT32_MAX

/*
 * Largest span one struct buddy can manage (16 TiB less one frame), so that
 * every index fits in 32 bits and differs from BUDDY_NONE. The caller clamps
 * the span it derives from the memory map to this.
 */
#define BUDDY_MAX_FRAMES ((uint64_t)UINT32_MAX)

enum buddy_state {
	BUDDY_RESERVED = 0,  /* never available: hole, firmware or core */
	BUDDY_FREE = 1,	     /* head of a free block, on free list `order` */
	BUDDY_ALLOCATED = 2, /* head of an allocated block of `order` */
	BUDDY_TAIL = 3,	     /* non-head frame of a free or allocated block */
};

struct buddy_frame {
	uint32_t next; /* free list: next head of the same order, or NONE */
	uint32_t prev; /* free list: previous head, or NONE */
	uint8_t order; /* block order; meaningful for FREE and ALLOCATED */
	uint8_t state; /* enum buddy_state */
};

_Static_assert(sizeof(struct buddy_frame) <= 16,
	       "struct buddy_frame must stay small: one per 4 KiB of RAM");

struct buddy {
	uint64_t base_pfn;	    /* first frame of the span */
	uint64_t frame_count;	    /* frames in the span */
	struct buddy_frame *frames; /* frame_count entries, owned by caller */
	uint32_t free_head[BUDDY_ORDER_COUNT];	 /* list heads (indices) */
	uint64_t free_blocks[BUDDY_ORDER_COUNT]; /* blocks on each list */
	uint64_t free_frames;			 /* frames on all lists */
};

/* Number of frames in a block of @order. */
static inline uint64_t buddy_order_frames(unsigned order)
{
	return 1ULL << order;
}

/*
 * Set up an allocator over [base_pfn, base_pfn + frame_count) with every
 * frame reserved. @frames must hold @frame_count entries and stay valid as
 * long as @b is used. frame_count <= BUDDY_MAX_FRAMES (ASSERTed).
 */
void buddy_init(struct buddy *b, struct buddy_frame *frames, uint64_t base_pfn,
		uint64_t frame_count);

/*
 * Make the reserved frames of [pfn, pfn + count) free, as the largest
 * naturally aligned blocks, merging with free neighbours. The range comes
 * from the firmware memory map, so it is taken as it is: it may be
 * unaligned, reach outside the span (the outside part is ignored), overflow
 * (clipped) or overlap earlier ranges (frames that are already free or
 * allocated are left alone). Returns the number of frames made free.
 */
uint64_t buddy_add_range(struct buddy *b, uint64_t pfn, uint64_t count);

/*
 * Allocate a naturally aligned block of 2^@order frames. Returns false, with
 * *pfn_out untouched, if no block is free or @order > BUDDY_MAX_ORDER.
 */
bool buddy_alloc(struct buddy *b, unsigned order,
		 uint64_t *pfn_out) __must_check;

/*
 * Like buddy_alloc(), but every frame of the block lies below @limit_pfn
 * (pfn + 2^order <= limit_pfn): for DMA-limited devices or boot page tables.
 * Linear in the number of free blocks of @order and above.
 */
bool buddy_alloc_below(struct buddy *b, unsigned order, uint64_t limit_pfn,
		       uint64_t *pfn_out) __must_check;

/*
 * Return a block that buddy_alloc*() gave out with the same @order. A double
 * free, a wrong order or a pfn that was never allocated is a core bug and
 * ASSERTs.
 */
void buddy_free(struct buddy *b, uint64_t pfn, unsigned order);

/* Frames currently free. */
uint64_t buddy_free_count(const struct buddy *b);

/* Free blocks of exactly @order (0 if @order > BUDDY_MAX_ORDER). */
uint64_t buddy_free_blocks(const struct buddy *b, unsigned order);

/*
 * Full consistency check, linear in frame_count: every free block is on
 * exactly one list, the list of its order, naturally aligned, inside the
 * span, not overlapping another block and not mergeable with its buddy; the
 * counters match the lists. Logs the first problem found and returns false.
 */
bool buddy_check(const struct buddy *b);

#endif
