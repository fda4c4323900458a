// SPDX-License-Identifier: GPL-2.0-only
/*
 * Buddy frame allocator (see atoll/buddy.h for the contract).
 *
 * Free blocks of each order sit on a doubly linked list threaded through the
 * frame array by 32-bit indices. Allocation takes the first block of the
 * smallest order that fits and splits it, putting the upper halves back;
 * freeing merges with the buddy (pfn ^ 2^order) while that buddy is a free
 * block of the same order. Both are O(BUDDY_MAX_ORDER).
 *
 * Invariants (checked by buddy_check()):
 *  - a frame is RESERVED, the head of a FREE or ALLOCATED block, or a TAIL
 *    covered by exactly one such head;
 *  - a FREE head of order k is on list k and nowhere else;
 *  - no FREE block has a FREE buddy of the same order (merging is eager).
 */
#include <atoll/buddy.h>
#include <atoll/panic.h>
#include <atoll/printk.h>

static uint32_t buddy_index(const struct buddy *b, uint64_t pfn)
{
	return (uint32_t)(pfn - b->base_pfn);
}

static struct buddy_frame *buddy_frame_of(struct buddy *b, uint64_t pfn)
{
	return &b->frames[buddy_index(b, pfn)];
}

/* True if the whole block [pfn, pfn + 2^order) lies inside the span. */
static bool buddy_contains(const struct buddy *b, uint64_t pfn, unsigned order)
{
	uint64_t n = buddy_order_frames(order);

	return pfn >= b->base_pfn && pfn - b->base_pfn <= b->frame_count &&
	       b->frame_count - (pfn - b->base_pfn) >= n;
}

static void buddy_list_push(struct buddy *b, uint64_t pfn, unsigned order)
{
	uint32_t idx = buddy_index(b, pfn);
	struct buddy_frame *f = &b->frames[idx];
	uint32_t head = b->free_head[order];

	f->state = BUDDY_FREE;
	f->order = (uint8_t)order;
	f->prev = BUDDY_NONE;
	f->next = head;
	if (head != BUDDY_NONE)
		b->frames[head].prev = idx;
	b->free_head[order] = idx;
	b->free_blocks[order]++;
	b->free_frames += buddy_order_frames(order);
}

/* Unlink a FREE head from its list; the caller sets its new state. */
static void buddy_list_remove(struct buddy *b, uint64_t pfn)
{
	struct buddy_frame *f = buddy_frame_of(b, pfn);
	unsigned order = f->order;

	if (f->prev != BUDDY_NONE)
		b->frames[f->prev].next = f->next;
	else
		b->free_head[order] = f->next;
	if (f->next != BUDDY_NONE)
		b->frames[f->next].prev = f->prev;
	f->next = BUDDY_NONE;
	f->prev = BUDDY_NONE;
	b->free_blocks[order]--;
	b->free_frames -= buddy_order_frames(order);
}

static bool buddy_is_free_head(const struct buddy *b, uint64_t pfn,
			       unsigned order)
{
	const struct buddy_frame *f;

	if (!buddy_contains(b, pfn, order))
		return false;
	f = &b->frames[buddy_index(b, pfn)];
	return f->state == BUDDY_FREE && f->order == order;
}

/*
 * Put the block [pfn, pfn + 2^order), whose head is not on any list and
 * whose other frames are TAIL, on the free lists, merging with its buddy as
 * long as that buddy is free and whole.
 */
static void buddy_merge_insert(struct buddy *b, uint64_t pfn, unsigned order)
{
	while (order < BUDDY_MAX_ORDER) {
		uint64_t other = pfn ^ buddy_order_frames(order);

		if (!buddy_is_free_head(b, other, order))
			break;
		buddy_list_remove(b, other);
		/* The higher of the two heads becomes a tail of the merge. */
		buddy_frame_of(b, MAX(pfn, other))->state = BUDDY_TAIL;
		pfn = MIN(pfn, other);
		order++;
	}
	buddy_list_push(b, pfn, order);
}

/*
 * Take the free block at @pfn of order @have off its list, give back its
 * upper halves down to order @want, and mark the rest allocated.
 */
static void buddy_take(struct buddy *b, uint64_t pfn, unsigned have,
		       unsigned want)
{
	struct buddy_frame *f = buddy_frame_of(b, pfn);

	buddy_list_remove(b, pfn);
	while (have > want) {
		have--;
		buddy_list_push(b, pfn + buddy_order_frames(have), have);
	}
	f->state = BUDDY_ALLOCATED;
	f->order = (uint8_t)want;
}

void buddy_init(struct buddy *b, struct buddy_frame *frames, uint64_t base_pfn,
		uint64_t frame_count)
{
	ASSERT(frame_count <= BUDDY_MAX_FRAMES);
	ASSERT(frames != NULL || frame_count == 0);
	ASSERT(base_pfn + frame_count >= base_pfn);

	b->base_pfn = base_pfn;
	b->frame_count = frame_count;
	b->frames = frames;
	for (unsigned k = 0; k < BUDDY_ORDER_COUNT; k++) {
		b->free_head[k] = BUDDY_NONE;
		b->free_blocks[k] = 0;
	}
	b->free_frames = 0;
	for (uint64_t i = 0; i < frame_count; i++) {
		frames[i] = (struct buddy_frame){
		    .next = BUDDY_NONE,
		    .prev = BUDDY_NONE,
		    .order = 0,
		    .state = BUDDY_RESERVED,
		};
	}
}

/* Largest order of a naturally aligned block at @pfn that fits in @room. */
static unsigned buddy_fit_order(uint64_t pfn, uint64_t room)
{
	unsigned order = 63 - (unsigned)__builtin_clzll(room);

	if (pfn != 0)
		order = MIN(order, (unsigned)__builtin_ctzll(pfn));
	return MIN(order, (unsigned)BUDDY_MAX_ORDER);
}

/* Free the reserved run [pfn, end) as the largest aligned blocks. */
static void buddy_free_run(struct buddy *b, uint64_t pfn, uint64_t end)
{
	while (pfn < end) {
		unsigned order = buddy_fit_order(pfn, end - pfn);
		uint64_t n = buddy_order_frames(order);

		for (uint64_t i = 1; i < n; i++)
			buddy_frame_of(b, pfn + i)->state = BUDDY_TAIL;
		buddy_merge_insert(b, pfn, order);
		pfn += n;
	}
}

static bool buddy_is_reserved(const struct buddy *b, uint64_t pfn)
{
	return b->frames[buddy_index(b, pfn)].state == BUDDY_RESERVED;
}

uint64_t buddy_add_range(struct buddy *b, uint64_t pfn, uint64_t count)
{
	uint64_t span_end = b->base_pfn + b->frame_count;
	uint64_t end = pfn + count;
	uint64_t added = 0;

	if (end < pfn)
		end = UINT64_MAX;
	pfn = MAX(pfn, b->base_pfn);
	end = MIN(end, span_end);
	while (pfn < end) {
		uint64_t run = pfn;

		while (run < end && buddy_is_reserved(b, run))
			run++;
		buddy_free_run(b, pfn, run);
		added += run - pfn;
		/* Skip frames that are already free or allocated. */
		while (run < end && !buddy_is_reserved(b, run))
			run++;
		pfn = run;
	}
	return added;
}

bool buddy_alloc(struct buddy *b, unsigned order, uint64_t *pfn_out)
{
	if (order > BUDDY_MAX_ORDER)
		return false;
	for (unsigned k = order; k < BUDDY_ORDER_COUNT; k++) {
		uint32_t idx = b->free_head[k];

		if (idx == BUDDY_NONE)
			continue;
		*pfn_out = b->base_pfn + idx;
		buddy_take(b, *pfn_out, k, order);
		return true;
	}
	return false;
}

/*
 * Search list @k for a block whose lowest 2^@order frames end at or below
 * @limit_pfn (the part buddy_take() keeps). Returns its index or NONE.
 */
static uint32_t buddy_find_below(const struct buddy *b, unsigned k,
				 unsigned order, uint64_t limit_pfn)
{
	uint64_t n = buddy_order_frames(order);
	uint32_t idx;

	for (idx = b->free_head[k]; idx != BUDDY_NONE;
	     idx = b->frames[idx].next) {
		uint64_t pfn = b->base_pfn + idx;

		if (pfn < limit_pfn && limit_pfn - pfn >= n)
			return idx;
	}
	return BUDDY_NONE;
}

bool buddy_alloc_below(struct buddy *b, unsigned order, uint64_t limit_pfn,
		       uint64_t *pfn_out)
{
	if (order > BUDDY_MAX_ORDER)
		return false;
	/* Smallest order first, to leave large blocks whole. */
	for (unsigned k = order; k < BUDDY_ORDER_COUNT; k++) {
		uint32_t idx = buddy_find_below(b, k, order, limit_pfn);

		if (idx == BUDDY_NONE)
			continue;
		*pfn_out = b->base_pfn + idx;
		buddy_take(b, *pfn_out, k, order);
		return true;
	}
	return false;
}

void buddy_free(struct buddy *b, uint64_t pfn, unsigned order)
{
	struct buddy_frame *f;

	ASSERT(order <= BUDDY_MAX_ORDER);
	ASSERT(buddy_contains(b, pfn, order));
	ASSERT(IS_ALIGNED(pfn, buddy_order_frames(order)));
	f = buddy_frame_of(b, pfn);
	/* Catches double frees and frees of frames never handed out. */
	ASSERT(f->state == BUDDY_ALLOCATED);
	ASSERT(f->order == order);
	buddy_merge_insert(b, pfn, order);
}

uint64_t buddy_free_count(const struct buddy *b)
{
	return b->free_frames;
}

uint64_t buddy_free_blocks(const struct buddy *b, unsigned order)
{
	if (order > BUDDY_MAX_ORDER)
		return 0;
	return b->free_blocks[order];
}

/* ---- Consistency check ---- */

static bool buddy_bad(const struct buddy *b, const char *what, uint64_t idx)
{
	pr_err("buddy: %s at pfn 0x%llx\n", what,
	       (unsigned long long)(b->base_pfn + idx));
	return false;
}

static bool buddy_bad_count(const char *what, uint64_t seen, uint64_t kept)
{
	pr_err("buddy: %s: %llu found, %llu recorded\n", what,
	       (unsigned long long)seen, (unsigned long long)kept);
	return false;
}

/*
 * Check the block whose head is at @idx: order in range, aligned, inside the
 * span, all other frames TAIL and, if free, not mergeable with its buddy.
 */
static bool buddy_check_block(const struct buddy *b, uint64_t idx)
{
	const struct buddy_frame *f = &b->frames[idx];
	uint64_t pfn = b->base_pfn + idx;
	uint64_t n;

	if (f->order > BUDDY_MAX_ORDER)
		return buddy_bad(b, "order too large", idx);
	n = buddy_order_frames(f->order);
	if (!IS_ALIGNED(pfn, n) || !buddy_contains(b, pfn, f->order))
		return buddy_bad(b, "block misaligned or outside span", idx);
	for (uint64_t i = 1; i < n; i++) {
		if (b->frames[idx + i].state != BUDDY_TAIL)
			return buddy_bad(b, "block overlaps another", idx + i);
	}
	if (f->state == BUDDY_FREE && f->order < BUDDY_MAX_ORDER &&
	    buddy_is_free_head(b, pfn ^ n, f->order))
		return buddy_bad(b, "free buddies not merged", idx);
	return true;
}

/*
 * Walk the frame array once: every frame is reserved or belongs to exactly
 * one block. Counts the FREE heads into *heads.
 */
static bool buddy_check_frames(const struct buddy *b, uint64_t *heads)
{
	uint64_t idx = 0;

	*heads = 0;
	while (idx < b->frame_count) {
		const struct buddy_frame *f = &b->frames[idx];

		if (f->state == BUDDY_RESERVED) {
			idx++;
			continue;
		}
		if (f->state != BUDDY_FREE && f->state != BUDDY_ALLOCATED)
			return buddy_bad(b, "stray tail or bad state", idx);
		if (!buddy_check_block(b, idx))
			return false;
		if (f->state == BUDDY_FREE)
			(*heads)++;
		idx += buddy_order_frames(f->order);
	}
	return true;
}

/*
 * Walk free list @k: each entry is a FREE head of order k with a matching
 * back link (so no entry repeats). Adds its blocks and frames to the totals.
 */
static bool buddy_check_list(const struct buddy *b, unsigned k,
			     uint64_t *blocks, uint64_t *frames)
{
	uint32_t prev = BUDDY_NONE;
	uint64_t count = 0;

	for (uint32_t idx = b->free_head[k]; idx != BUDDY_NONE;
	     idx = b->frames[idx].next) {
		const struct buddy_frame *f;

		if (idx >= b->frame_count || count >= b->frame_count)
			return buddy_bad(b, "free list runs wild", idx);
		f = &b->frames[idx];
		if (f->state != BUDDY_FREE || f->order != k)
			return buddy_bad(b, "listed block not free", idx);
		if (f->prev != prev)
			return buddy_bad(b, "free list back link", idx);
		prev = idx;
		count++;
	}
	if (count != b->free_blocks[k])
		return buddy_bad_count("free blocks of one order", count,
				       b->free_blocks[k]);
	*blocks += count;
	*frames += count * buddy_order_frames(k);
	return true;
}

bool buddy_check(const struct buddy *b)
{
	uint64_t heads, blocks = 0, frames = 0;

	if (!buddy_check_frames(b, &heads))
		return false;
	for (unsigned k = 0; k < BUDDY_ORDER_COUNT; k++) {
		if (!buddy_check_list(b, k, &blocks, &frames))
			return false;
	}
	/* Every listed entry is a distinct FREE head; are all heads listed? */
	if (blocks != heads)
		return buddy_bad_count("free blocks listed vs marked", blocks,
				       heads);
	if (frames != b->free_frames)
		return buddy_bad_count("free frames", frames, b->free_frames);
	return true;
}
