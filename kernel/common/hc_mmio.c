// SPDX-License-Identifier: GPL-2.0-only
/*
 * HYPERVISOR_atoll_mmio: a domain maps MMIO frames it holds (resource.c)
 * into its MMIO window, uncached (atoll/mmio.h). Each domain has at most
 * RESOURCE_MMIO_MAPS mappings, recorded in its resource set, so that
 * frames leaving it can be unmapped (mmio_revoke).
 *
 * Everything here runs with the resource lock held, page-table changes
 * included (aspace_map may take the frame lock, which comes after it).
 */
#include <arch/mm.h>
#include <atoll/domain.h>
#include <atoll/guest.h>
#include <atoll/hcall.h>
#include <atoll/layout.h>
#include <atoll/resource.h>
#include <atoll/sched.h>
#include <atoll/mmio.h>
#include <xen/errno.h>

#define WINDOW_END (ATOLL_MMIO_WINDOW_BASE + ATOLL_MMIO_WINDOW_SIZE)

static uint64_t map_end(const struct resource_mmio_map *m)
{
	return m->va + ((uint64_t)m->count << PAGE_SHIFT);
}

/* The first free stretch of the window for pages, after an unmapped guard
 * page behind each mapping; 0 if none. */
static uint64_t window_alloc(const struct resource_mmio_map *maps,
			     uint64_t pages)
{
	uint64_t va = ATOLL_MMIO_WINDOW_BASE, size = pages << PAGE_SHIFT;
	bool moved = true;

	while (moved) {
		moved = false;
		for (unsigned i = 0; i < RESOURCE_MMIO_MAPS; i++) {
			const struct resource_mmio_map *m = &maps[i];

			if (m->va && va < map_end(m) + PAGE_SIZE &&
			    m->va < va + size + PAGE_SIZE) {
				va = map_end(m) + PAGE_SIZE;
				moved = true;
			}
		}
	}
	return va + size <= WINDOW_END ? va : 0;
}

static void unmap_pages(struct domain *d, uint64_t va, uint64_t pages)
{
	for (uint64_t i = 0; i < pages; i++)
		aspace_unmap(&d->as, va + (i << PAGE_SHIFT), NULL);
}

static void drop(struct domain *d, struct resource_mmio_map *m)
{
	unmap_pages(d, m->va, m->count);
	*m = (struct resource_mmio_map){0};
}

static int map_locked(struct domain *d, uint32_t pfn, uint32_t pages,
		      uint64_t *va_out)
{
	struct resource_mmio_map *slot = NULL;
	uint64_t va;

	if (resource_list_find(&d->res.list[RESOURCE_MMIO], pfn, pages) < 0)
		return -XEN_EPERM;
	for (unsigned i = 0; i < RESOURCE_MMIO_MAPS && !slot; i++)
		slot = d->res.maps[i].va ? NULL : &d->res.maps[i];
	va = slot ? window_alloc(d->res.maps, pages) : 0;
	if (!va)
		return -XEN_ENOSPC;
	for (uint32_t i = 0; i < pages; i++) {
		paddr_t pa = pa_init((uint64_t)(pfn + i) << PAGE_SHIFT);

		if (!aspace_map(&d->as, va + ((uint64_t)i << PAGE_SHIFT), pa,
				ASPACE_WRITE | ASPACE_UNCACHED)) {
			unmap_pages(d, va, i);
			return -XEN_ENOMEM;
		}
	}
	*slot = (struct resource_mmio_map){va, pfn, pages};
	*va_out = va;
	return 0;
}

static int mmio_map(struct domain *d, struct atoll_mmio_op *op)
{
	irqflags_t f;
	int rc;

	if (op->phys & (PAGE_SIZE - 1) || op->pages == 0 ||
	    op->pages > RESOURCE_MMIO_LIMIT ||
	    (op->phys >> PAGE_SHIFT) + op->pages > RESOURCE_MMIO_LIMIT)
		return -XEN_EINVAL;
	f = resource_lock();
	rc = map_locked(d, (uint32_t)(op->phys >> PAGE_SHIFT),
			(uint32_t)op->pages, &op->va);
	resource_unlock(f);
	return rc;
}

static int mmio_unmap(struct domain *d, uint64_t va)
{
	irqflags_t f = resource_lock();
	int rc = -XEN_EINVAL;

	for (unsigned i = 0; i < RESOURCE_MMIO_MAPS && va; i++) {
		if (d->res.maps[i].va == va) {
			drop(d, &d->res.maps[i]);
			rc = 0;
			break;
		}
	}
	resource_unlock(f);
	return rc;
}

void mmio_revoke(struct domain *d, uint32_t pfn, uint32_t count)
{
	irqflags_t f = resource_lock();

	for (unsigned i = 0; i < RESOURCE_MMIO_MAPS; i++) {
		struct resource_mmio_map *m = &d->res.maps[i];

		if (m->va && pfn < (uint64_t)m->pfn + m->count &&
		    m->pfn < (uint64_t)pfn + count)
			drop(d, m);
	}
	resource_unlock(f);
}

long do_atoll_mmio(unsigned cmd, uint64_t arg)
{
	struct domain *d = current_domain();
	struct atoll_mmio_op op;
	int rc;

	if (cmd != ATOLL_MMIOOP_map && cmd != ATOLL_MMIOOP_unmap)
		return -XEN_ENOSYS;
	if (copy_from_guest(d, &op, arg, sizeof(op)))
		return -XEN_EFAULT;
	if (cmd == ATOLL_MMIOOP_unmap)
		return mmio_unmap(d, op.va);
	rc = mmio_map(d, &op);
	if (!rc && copy_to_guest(d, arg, &op, sizeof(op))) {
		mmio_unmap(d, op.va);
		return -XEN_EFAULT;
	}
	return rc;
}
