/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Opaque address types: a physical address, a core virtual address and a
 * guest pseudo-physical address are different types, so passing one where
 * another is expected fails to compile.
 */
#ifndef ATOLL_ADDR_H
#define ATOLL_ADDR_H

#include <atoll/types.h>

#define PAGE_SHIFT 12
#define PAGE_SIZE  (1UL << PAGE_SHIFT)

typedef struct {
	uint64_t pa;
} paddr_t;

typedef struct {
	uint64_t va;
} vaddr_t;

typedef struct {
	uint64_t gpa;
} gpaddr_t;

static inline paddr_t pa_init(uint64_t pa)
{
	return (paddr_t){.pa = pa};
}

static inline uint64_t pa_addr(paddr_t pa)
{
	return pa.pa;
}

static inline paddr_t pa_add(paddr_t pa, uint64_t n)
{
	return pa_init(pa.pa + n);
}

static inline uint64_t pa_to_pfn(paddr_t pa)
{
	return pa.pa >> PAGE_SHIFT;
}

static inline paddr_t pfn_to_pa(uint64_t pfn)
{
	return pa_init(pfn << PAGE_SHIFT);
}

static inline vaddr_t va_init(uint64_t va)
{
	return (vaddr_t){.va = va};
}

static inline uint64_t va_addr(vaddr_t va)
{
	return va.va;
}

static inline gpaddr_t gpa_init(uint64_t gpa)
{
	return (gpaddr_t){.gpa = gpa};
}

static inline uint64_t gpa_addr(gpaddr_t gpa)
{
	return gpa.gpa;
}

#endif
