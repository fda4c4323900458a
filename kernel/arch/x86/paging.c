// SPDX-License-Identifier: GPL-2.0-only
/*
 * The core's own page tables. The kernel half (PML4 slots 256..511) is built
 * once here and never changes at the PML4 level, so domain page tables can
 * share it by copying those slots.
 */
#include <arch/mm.h>
#include <arch/x86.h>
#include <atoll/frame.h>
#include <atoll/memmap.h>
#include <atoll/panic.h>
#include <atoll/printk.h>
#include <atoll/string.h>

extern char _text[], _etext[], _erodata[], _kernel_end[];

#define TABLE_FLAGS	       (PTE_P | PTE_W)
#define LEVEL_SHIFT(level)     (PAGE_SHIFT + 9 * (level))
#define LEVEL_INDEX(va, level) (((va) >> LEVEL_SHIFT(level)) & 511)

static uint64_t *kernel_pml4;
static uint64_t mmio_next = MMIO_VBASE;
/* PTE_NX if the CPU has no-execute (boot.S enabled EFER.NXE), else 0. */
static uint64_t nx;

static uint64_t *table_of(uint64_t entry)
{
	return arch_phys_to_virt(pa_init(entry & PTE_ADDR_MASK));
}

static uint64_t *new_table(void)
{
	paddr_t pa;

	if (!frame_alloc_below(0, BOOT_MAPPED_LIMIT, &pa))
		panic("out of memory for the core's page tables");
	memset(arch_phys_to_virt(pa), 0, PAGE_SIZE);
	return arch_phys_to_virt(pa);
}

/* Returns the table at `level` covering va, creating missing levels. */
static uint64_t *walk_create(uint64_t va, int level)
{
	uint64_t *table = kernel_pml4;

	for (int l = 3; l > level; l--) {
		uint64_t *e = &table[LEVEL_INDEX(va, l)];

		if (!(*e & PTE_P))
			*e = pa_addr(arch_virt_to_phys(new_table())) |
			     TABLE_FLAGS;
		ASSERT(!(*e & PTE_PS));
		table = table_of(*e);
	}
	return table;
}

/* Maps [va, va+size) to pa, with 2 MiB pages where alignment allows. */
static void map_range(uint64_t va, uint64_t pa, uint64_t size, uint64_t flags)
{
	while (size) {
		bool big =
		    IS_ALIGNED(va | pa, PAGE_SIZE_2M) && size >= PAGE_SIZE_2M;
		uint64_t step = big ? PAGE_SIZE_2M : PAGE_SIZE;
		uint64_t *table = walk_create(va, big ? 1 : 0);

		table[LEVEL_INDEX(va, big ? 1 : 0)] =
		    pa | flags | PTE_P | (big ? PTE_PS : 0);
		va += step;
		pa += step;
		size -= step;
	}
}

static void map_image(void)
{
	uint64_t text = (uint64_t)_text, etext = (uint64_t)_etext;
	uint64_t erodata = (uint64_t)_erodata, end = (uint64_t)_kernel_end;

	map_range(text, text - KERNEL_VBASE, etext - text, PTE_G);
	map_range(etext, etext - KERNEL_VBASE, erodata - etext, PTE_G | nx);
	map_range(erodata, erodata - KERNEL_VBASE, end - erodata,
		  PTE_G | PTE_W | nx);
}

/* Direct map: whole 2 MiB pages around every RAM range. */
static void map_ram(const struct memmap *ram)
{
	for (unsigned i = 0; i < ram->count; i++) {
		uint64_t start = ALIGN_DOWN(ram->ranges[i].start, PAGE_SIZE_2M);
		uint64_t end = ALIGN_UP(ram->ranges[i].end, PAGE_SIZE_2M);

		if (end > DIRECTMAP_SIZE)
			end = DIRECTMAP_SIZE;
		for (uint64_t pa = start; pa < end; pa += PAGE_SIZE_2M) {
			uint64_t *pd = walk_create(DIRECTMAP_BASE + pa, 1);

			pd[LEVEL_INDEX(DIRECTMAP_BASE + pa, 1)] =
			    pa | PTE_P | PTE_W | PTE_PS | PTE_G | nx;
		}
	}
}

void paging_init(const struct memmap *ram)
{
	nx = (rdmsr(MSR_EFER) & EFER_NXE) ? PTE_NX : 0;
	kernel_pml4 = new_table();
	/* Fix the kernel half's PML4 slots now; they never change later. */
	walk_create(DIRECTMAP_BASE, 2);
	walk_create(MMIO_VBASE, 2);
	walk_create(KERNEL_VBASE, 2);
	map_image();
	map_ram(ram);
	write_cr4(read_cr4() | CR4_PGE);
	write_cr3(pa_addr(arch_virt_to_phys(kernel_pml4)));
}

paddr_t paging_kernel_root(void)
{
	return arch_virt_to_phys(kernel_pml4);
}

void *ioremap(paddr_t pa, uint64_t size)
{
	uint64_t offset = pa_addr(pa) & (PAGE_SIZE - 1);
	uint64_t base = pa_addr(pa) - offset, va = mmio_next;

	size = ALIGN_UP(size + offset, PAGE_SIZE);
	if (mmio_next + size > MMIO_VBASE + MMIO_VSIZE)
		return NULL;
	mmio_next += size + PAGE_SIZE; /* an unmapped guard page between */
	for (uint64_t off = 0; off < size; off += PAGE_SIZE) {
		uint64_t *pt = walk_create(va + off, 0);

		pt[LEVEL_INDEX(va + off, 0)] =
		    (base + off) | PTE_P | PTE_W | PTE_PCD | PTE_PWT | nx;
		invlpg(va + off);
	}
	return (void *)(va + offset);
}

static uint64_t count_wx(const uint64_t *table, int level, bool writable,
			 bool noexec)
{
	uint64_t count = 0;

	for (unsigned i = 0; i < PT_ENTRIES; i++) {
		uint64_t e = table[i];
		bool w = writable && (e & PTE_W), x = noexec || (e & PTE_NX);

		if (!(e & PTE_P))
			continue;
		if (level == 0 || (e & PTE_PS))
			count += (w && !x) ? 1 : 0;
		else
			count += count_wx(table_of(e), level - 1, w, x);
	}
	return count;
}

uint64_t paging_count_wx(void)
{
	uint64_t count = 0;

	for (unsigned i = PT_ENTRIES / 2; i < PT_ENTRIES; i++) {
		uint64_t e = kernel_pml4[i];

		if (e & PTE_P)
			count +=
			    count_wx(table_of(e), 2, e & PTE_W, e & PTE_NX);
	}
	return count;
}
