// SPDX-License-Identifier: GPL-2.0-only
/*
 * Domain page tables. Only 4 KiB pages in the lower half; intermediate
 * tables are allocated on demand and all freed when the domain goes.
 */
#include <arch/mm.h>
#include <arch/x86.h>
#include <atoll/aspace.h>
#include <atoll/frame.h>
#include <atoll/string.h>

#define USER_HALF_END	       0x0000800000000000ULL
#define LEVEL_SHIFT(level)     (PAGE_SHIFT + 9 * (level))
#define LEVEL_INDEX(va, level) (((va) >> LEVEL_SHIFT(level)) & 511)
#define TABLE_FLAGS	       (PTE_P | PTE_W | PTE_U)

static uint64_t *table_at(paddr_t pa)
{
	return arch_phys_to_virt(pa);
}

static uint64_t *entry_table(uint64_t e)
{
	return table_at(pa_init(e & PTE_ADDR_MASK));
}

bool aspace_is_domain_va(uint64_t va)
{
	return va < USER_HALF_END;
}

static bool new_table(struct aspace *as, paddr_t *pa)
{
	if (!frame_alloc(0, pa))
		return false;
	memset(table_at(*pa), 0, PAGE_SIZE);
	frame_set_type(*pa, FRAME_TYPE_PAGE_TABLE);
	as->table_frames++;
	return true;
}

bool aspace_init(struct aspace *as)
{
	uint64_t *pml4,
	    *kernel_pml4 = table_at(pa_init(read_cr3() & PTE_ADDR_MASK));

	as->table_frames = 0;
	if (!new_table(as, &as->root))
		return false;
	pml4 = table_at(as->root);
	/* Share the kernel half: its slots are fixed since boot. */
	memcpy(&pml4[PT_ENTRIES / 2], &kernel_pml4[PT_ENTRIES / 2],
	       PT_ENTRIES / 2 * sizeof(uint64_t));
	return true;
}

static void free_level(struct aspace *as, uint64_t *table, int level)
{
	unsigned limit = level == 3 ? PT_ENTRIES / 2 : PT_ENTRIES;

	for (unsigned i = 0; i < limit; i++) {
		if (!(table[i] & PTE_P) || level == 0)
			continue;
		free_level(as, entry_table(table[i]), level - 1);
		frame_free(pa_init(table[i] & PTE_ADDR_MASK), 0);
		as->table_frames--;
	}
}

void aspace_destroy(struct aspace *as)
{
	if (!pa_addr(as->root))
		return;
	/* Never free the tables the CPU is using. */
	if ((read_cr3() & PTE_ADDR_MASK) == pa_addr(as->root))
		write_cr3(pa_addr(paging_kernel_root()));
	free_level(as, table_at(as->root), 3);
	frame_free(as->root, 0);
	as->table_frames--;
	as->root = pa_init(0);
}

/* The level-0 table for va, created if create; NULL if absent or no memory. */
static uint64_t *leaf_table(const struct aspace *as, uint64_t va, bool create)
{
	uint64_t *table = table_at(as->root);

	for (int level = 3; level > 0; level--) {
		uint64_t *e = &table[LEVEL_INDEX(va, level)];
		paddr_t pa;

		if (!(*e & PTE_P)) {
			if (!create || !new_table((struct aspace *)as, &pa))
				return NULL;
			*e = pa_addr(pa) | TABLE_FLAGS;
		}
		table = entry_table(*e);
	}
	return table;
}

static uint64_t pte_flags(unsigned access)
{
	uint64_t f = PTE_P | PTE_U;

	if (access & ASPACE_WRITE)
		f |= PTE_W;
	if (!(access & ASPACE_EXEC) && (rdmsr(MSR_EFER) & EFER_NXE))
		f |= PTE_NX;
	if (access & ASPACE_UNCACHED)
		f |= PTE_PCD | PTE_PWT;
	return f;
}

static void flush(const struct aspace *as, uint64_t va)
{
	if ((read_cr3() & PTE_ADDR_MASK) == pa_addr(as->root))
		invlpg(va);
}

bool aspace_map(struct aspace *as, uint64_t va, paddr_t pa, unsigned access)
{
	uint64_t *pt;

	if (!aspace_is_domain_va(va) || !IS_ALIGNED(va, PAGE_SIZE))
		return false;
	pt = leaf_table(as, va, true);
	if (!pt)
		return false;
	pt[LEVEL_INDEX(va, 0)] = pa_addr(pa) | pte_flags(access);
	flush(as, va);
	return true;
}

bool aspace_unmap(struct aspace *as, uint64_t va, paddr_t *old)
{
	uint64_t *pt =
	    aspace_is_domain_va(va) ? leaf_table(as, va, false) : NULL;
	uint64_t *e;

	if (!pt || !(pt[LEVEL_INDEX(va, 0)] & PTE_P))
		return false;
	e = &pt[LEVEL_INDEX(va, 0)];
	if (old)
		*old = pa_init(*e & PTE_ADDR_MASK);
	*e = 0;
	flush(as, va);
	return true;
}

bool aspace_lookup(const struct aspace *as, uint64_t va, unsigned access,
		   paddr_t *pa)
{
	uint64_t *pt =
	    aspace_is_domain_va(va) ? leaf_table(as, va, false) : NULL;
	uint64_t e;

	if (!pt)
		return false;
	e = pt[LEVEL_INDEX(va, 0)];
	if (!(e & PTE_P) || ((access & ASPACE_WRITE) && !(e & PTE_W)))
		return false;
	*pa = pa_init((e & PTE_ADDR_MASK) | (va & (PAGE_SIZE - 1)));
	return true;
}

void aspace_activate(const struct aspace *as)
{
	if ((read_cr3() & PTE_ADDR_MASK) != pa_addr(as->root))
		write_cr3(pa_addr(as->root));
}
