/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A set of free physical ranges, used at boot between reading the loader's
 * memory map and starting the frame allocator: start from the usable RAM,
 * cut out what is in use (the core image, the loader's info, the modules,
 * the first MiB), and take the allocator's own bookkeeping from what is left.
 */
#ifndef ATOLL_MEMMAP_H
#define ATOLL_MEMMAP_H

#include <atoll/types.h>
#include <atoll/compiler.h>

#define MEMMAP_MAX_RANGES 160

struct mem_range {
	uint64_t start;
	uint64_t end; /* exclusive */
};

/* Sorted, non-overlapping, non-adjacent ranges. */
struct memmap {
	struct mem_range ranges[MEMMAP_MAX_RANGES];
	unsigned count;
	unsigned dropped; /* ranges lost because the table was full */
};

void memmap_init(struct memmap *m);
/* Adds [start, end) page-aligned inwards; merges with neighbours. */
void memmap_add(struct memmap *m, uint64_t start, uint64_t end);
/* Removes [start, end) page-aligned outwards; may split a range. */
void memmap_remove(struct memmap *m, uint64_t start, uint64_t end);
/*
 * Takes size bytes aligned to align from the highest free range that ends
 * at or below limit; false if none fits.
 */
bool memmap_take(struct memmap *m, uint64_t size, uint64_t align,
		 uint64_t limit, uint64_t *out) __must_check;
uint64_t memmap_total(const struct memmap *m);
/* One past the highest free byte, 0 if empty. */
uint64_t memmap_end(const struct memmap *m);

#endif
