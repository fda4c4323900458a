/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A domain's address space: page tables the core builds and owns. The
 * lower half is the domain's; the kernel half is shared with the core's own
 * tables (its PML4 slots never change after boot).
 */
#ifndef ATOLL_ASPACE_H
#define ATOLL_ASPACE_H

#include <atoll/addr.h>
#include <atoll/compiler.h>

/* Access a domain has to a page it maps. */
#define ASPACE_READ	0x0 /* always */
#define ASPACE_WRITE	0x1
#define ASPACE_EXEC	0x2
#define ASPACE_UNCACHED 0x4

struct aspace {
	paddr_t root;	       /* the PML4 frame */
	uint64_t table_frames; /* page-table frames in use, for accounting */
};

bool aspace_init(struct aspace *as) __must_check;
/* Frees every page-table frame (not the frames mapped). */
void aspace_destroy(struct aspace *as);
/* Maps one 4 KiB page at va (in the lower half). False if out of memory
 * or va is not a domain address. An existing mapping is replaced. */
bool aspace_map(struct aspace *as, uint64_t va, paddr_t pa,
		unsigned access) __must_check;
/* Removes the mapping at va; returns false if there was none. */
bool aspace_unmap(struct aspace *as, uint64_t va, paddr_t *old);
/* Finds the frame mapped at va with at least the given access. */
bool aspace_lookup(const struct aspace *as, uint64_t va, unsigned access,
		   paddr_t *pa) __must_check;
/* Makes it the current address space of this CPU. */
void aspace_activate(const struct aspace *as);
bool aspace_is_domain_va(uint64_t va);

#endif
