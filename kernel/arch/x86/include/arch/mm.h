/* SPDX-License-Identifier: GPL-2.0-only */
/* Physical <-> virtual conversion and the core's page tables. */
#ifndef ARCH_MM_H
#define ARCH_MM_H

#include <atoll/addr.h>
#include <atoll/compiler.h>
#include <arch/layout.h>

/* RAM is reachable through the direct map once paging_init() has run, and
 * below BOOT_MAPPED_LIMIT before that. */
static inline void *arch_phys_to_virt(paddr_t pa)
{
	return (void *)(DIRECTMAP_BASE + pa_addr(pa));
}

/* For addresses in the direct map or in the core image. */
static inline paddr_t arch_virt_to_phys(const void *va)
{
	uint64_t v = (uint64_t)va;

	if (v >= KERNEL_VBASE)
		return pa_init(v - KERNEL_VBASE);
	return pa_init(v - DIRECTMAP_BASE);
}

struct memmap;

/*
 * Builds the core's final page tables: the image with W^X permissions and
 * the direct map of every RAM range in ram, then switches to them. The
 * frames for the tables come from the frame allocator (below 4 GiB).
 */
void paging_init(const struct memmap *ram);

/* Maps an MMIO range uncached into the MMIO window; NULL if out of room. */
void *ioremap(paddr_t pa, uint64_t size);

/* The core's own page tables (no domain mapped). */
paddr_t paging_kernel_root(void);

/* Counts kernel-half pages that are both writable and executable. */
uint64_t paging_count_wx(void);

#endif
