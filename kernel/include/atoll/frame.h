/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The physical frame allocator: the buddy allocator behind one lock, over
 * every free RAM range the boot found.
 */
#ifndef ATOLL_FRAME_H
#define ATOLL_FRAME_H

#include <atoll/addr.h>
#include <atoll/compiler.h>

struct memmap;

/*
 * Starts the allocator over the ranges in free. Its bookkeeping (16 bytes
 * per frame) is taken from free itself, below reachable_limit (memory the
 * core can already address). Returns false if there is not enough memory.
 */
bool frame_init(struct memmap *free, uint64_t reachable_limit) __must_check;

bool frame_alloc(unsigned order, paddr_t *out) __must_check;
bool frame_alloc_below(unsigned order, uint64_t limit,
		       paddr_t *out) __must_check;
void frame_free(paddr_t pa, unsigned order);

uint64_t frame_free_count(void);
uint64_t frame_total_count(void);

/*
 * The frame table: for every frame, the domain that owns it (0 = the core
 * or nobody) and how many mappings pin it. A pinned frame is not freed
 * when its owner lets go; frame_unpin() frees it when the last pin goes
 * if it was released meanwhile.
 */
#define FRAME_OWNER_NONE 0

/* What a frame in use holds (for accounting and the 'm' dump). */
enum frame_type {
	FRAME_TYPE_FREE = 0,
	FRAME_TYPE_CORE,       /* the core's own: structures, tables */
	FRAME_TYPE_DOMAIN,     /* a domain's RAM or special pages */
	FRAME_TYPE_PAGE_TABLE, /* a domain's page tables (core-owned) */
	FRAME_TYPE_COUNT
};

/* Owner FRAME_OWNER_NONE makes the frame FRAME_TYPE_CORE, any other
 * owner FRAME_TYPE_DOMAIN; frame_set_type refines that. */
void frame_set_owner(paddr_t pa, uint16_t owner);
void frame_set_type(paddr_t pa, enum frame_type type);
enum frame_type frame_type_of(paddr_t pa);
uint16_t frame_owner(paddr_t pa);
void frame_pin(paddr_t pa);
void frame_unpin(paddr_t pa);
/* Frees an order-0 frame now, or when its last pin goes. */
void frame_release(paddr_t pa);
uint32_t frame_pins(paddr_t pa);

/* Allocates and frees every free frame once; true if all came back. */
bool frame_self_test(void);

/* Prints free/used frames and the free blocks per order (debug key 'm'). */
void frame_dump(void);

#endif
