// SPDX-License-Identifier: GPL-2.0-only
/*
 * The boot loader's modules stay where it put them (their frames are never
 * given to the allocator), so mapping them read-only into the toolstack is
 * safe for as long as the system runs.
 */
#include <arch/mm.h>
#include <atoll/bootmodules.h>
#include <atoll/frame.h>
#include <atoll/layout.h>
#include <atoll/compiler.h>
#include <atoll/string.h>

static struct boot_module_desc modules[ATOLL_BOOT_MODULES_MAX];
static unsigned module_count;

void boot_modules_publish(const struct boot_module_desc *mods, unsigned count)
{
	module_count = MIN(count, ATOLL_BOOT_MODULES_MAX);
	for (unsigned i = 0; i < module_count; i++)
		modules[i] = mods[i];
}

/* Maps [pa, pa + size) read-only from va on; false if out of memory. */
static bool map_range(struct domain *d, uint64_t va, paddr_t pa, uint64_t size)
{
	uint64_t first = pa_addr(pa) & ~(PAGE_SIZE - 1);
	uint64_t end = pa_addr(pa) + size;

	for (uint64_t p = first; p < end; p += PAGE_SIZE, va += PAGE_SIZE) {
		if (!aspace_map(&d->as, va, pa_init(p), ASPACE_READ))
			return false;
	}
	return true;
}

bool boot_modules_map(struct domain *d, paddr_t *table_pa)
{
	struct atoll_boot_modules *t;
	uint64_t va = ATOLL_BOOT_MODULES_VA + PAGE_SIZE;

	if (!frame_alloc(0, table_pa))
		return false;
	frame_set_owner(*table_pa, d->id);
	t = arch_phys_to_virt(*table_pa);
	memset(t, 0, PAGE_SIZE);
	if (!aspace_map(&d->as, ATOLL_BOOT_MODULES_VA, *table_pa, ASPACE_READ))
		return false;
	for (unsigned i = 0; i < module_count; i++) {
		const struct boot_module_desc *m = &modules[i];
		uint64_t offset = pa_addr(m->start) & (PAGE_SIZE - 1);
		uint64_t pages = (offset + m->size + PAGE_SIZE - 1) / PAGE_SIZE;

		if (va + pages * PAGE_SIZE >
		    ATOLL_BOOT_MODULES_VA + ATOLL_BOOT_MODULES_SIZE)
			break; /* the window is full: later modules are not
				  shown */
		if (!map_range(d, va, m->start, m->size))
			return false;
		t->mods[i].addr = va + offset;
		t->mods[i].size = m->size;
		if (m->args)
			strncpy_safe(t->mods[i].args, m->args,
				     sizeof(t->mods[i].args));
		t->count = i + 1;
		va += pages * PAGE_SIZE;
	}
	return true;
}
