// SPDX-License-Identifier: GPL-2.0-only
/*
 * memory_op: the domain starts with mem pages and may grow to maxmem with
 * populate_physmap, never beyond; decrease_reservation gives pages back.
 * Run with mem=4M maxmem=5M.
 */
#include "tdom.h"
#include <xen/memory.h>

#define BASE_GPFN                                                              \
	0x401 /* just past the initial 4 MiB of RAM (frames 1..0x400) */

static xen_pfn_t gpfns[512];

static long memop(unsigned cmd, void *arg)
{
	return HC(__HYPERVISOR_memory_op, cmd, arg, 0);
}

static long reservation(unsigned cmd, xen_pfn_t *list, unsigned n)
{
	struct xen_memory_reservation r = {
	    .nr_extents = n, .extent_order = 0, .domid = DOMID_SELF};

	r.extent_start = (uint64_t)list;
	return memop(cmd, &r);
}

int tmain(const char *args)
{
	domid_t self = DOMID_SELF, other = 1000;
	long cur = memop(XENMEM_current_reservation, &self);
	long max = memop(XENMEM_maximum_reservation, &self);
	volatile uint64_t *page = (volatile uint64_t *)(BASE_GPFN << 12);

	tprintf("current %ld pages, maximum %ld\n", cur, max);
	CHECK(cur > 0 && max >= cur);
	CHECK(memop(XENMEM_current_reservation, &other) < 0);
	CHECK_EQ(memop(XENMEM_current_reservation, (void *)TDOM_CORE_ADDR),
		 -XEN_EFAULT);
	/* Grow to the limit, one page at a time, and one past it. */
	for (unsigned i = 0; i < 512; i++)
		gpfns[i] = BASE_GPFN + i;
	long room = max - cur;
	CHECK(room > 0 && room < 512);
	CHECK_EQ(reservation(XENMEM_populate_physmap, gpfns, room), room);
	CHECK_EQ(memop(XENMEM_current_reservation, &self), max);
	CHECK(reservation(XENMEM_populate_physmap, gpfns + room, 1) <= 0);
	page[0] = 0x1234;
	CHECK_EQ(page[0], 0x1234);
	/* Hostile lists: page 0, beyond the limit, a bad pointer. */
	xen_pfn_t bad[2] = {0, 1ULL << 40};
	CHECK(reservation(XENMEM_populate_physmap, bad, 1) <= 0);
	CHECK(reservation(XENMEM_populate_physmap, bad + 1, 1) <= 0);
	CHECK(reservation(XENMEM_populate_physmap, (xen_pfn_t *)TDOM_CORE_ADDR,
			  1) < 0 ||
	      memop(XENMEM_current_reservation, &self) == max);
	/* Give it all back, then some pages that are not there. */
	CHECK_EQ(reservation(XENMEM_decrease_reservation, gpfns, room), room);
	CHECK_EQ(memop(XENMEM_current_reservation, &self), cur);
	CHECK(reservation(XENMEM_decrease_reservation, gpfns, 1) <= 0);
	return 0;
}
