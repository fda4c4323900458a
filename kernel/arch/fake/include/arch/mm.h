/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Host-test stand-in for physical <-> virtual conversion. A test's fake
 * frame allocator hands out host heap addresses as "physical" addresses,
 * so the direct map is the identity.
 */
#ifndef ARCH_MM_H
#define ARCH_MM_H

#include <atoll/addr.h>

static inline void *arch_phys_to_virt(paddr_t pa)
{
	return (void *)(uintptr_t)pa_addr(pa);
}

static inline paddr_t arch_virt_to_phys(const void *va)
{
	return pa_init((uint64_t)(uintptr_t)va);
}

#endif
