// SPDX-License-Identifier: GPL-2.0-only
/*
 * memory_op (include/public/xen/memory.h): what the balloon uses.
 *
 * Model. A domain runs in a managed address space: its pseudo-physical
 * frame gpfn is mapped at virtual address gpfn << 12, d->p2m[gpfn] holds
 * the machine address backing it (0: none), d->tot_pages counts populated
 * frames and d->max_pages bounds them. Frame 0 is never populated and RAM
 * lies below ATOLL_RAM_LIMIT, so a frame number is checked against
 * [1, p2m_size) and that limit before anything is touched.
 *
 * Decisions:
 * - populate_physmap: each extent (2^extent_order frames, aligned, order
 *   up to XENMEM_ATOLL_MAX_ORDER) gets fresh zeroed order-0 frames mapped
 *   read-write, never executable. Contiguity is not needed: the domain
 *   never sees machine frames.
 * - decrease_reservation: unmaps and releases each frame with
 *   frame_release(), so a frame still pinned by a grant mapping is freed
 *   at its last unmap (as Xen drops the allocation reference).
 * - Both go extent by extent, as Xen: each extent is all or nothing, the
 *   first one that cannot be done (unreadable entry, bad frame number,
 *   already populated / not populated, max_pages, out of memory) stops
 *   the call, and the result is the number of extents done. At most
 *   MEMORY_OP_FRAMES_MAX frames per call.
 * - Only DOMID_SELF (or the caller's own id) for populate/decrease.
 * - A domain holding PCI devices has its DMA page tables changed with the
 *   p2m (arch_iommu_map/unmap): a populated frame is DMA-reachable at its
 *   frame number, a released one no longer, before it is freed.
 * - increase_reservation: -ENOSYS; it would hand out machine frames with
 *   no place in the address space.
 * - current/maximum_reservation, maximum_gpfn: another domain needs
 *   ATOLL_CAP_DOMCTL or ATOLL_CAP_MEMORY_POLICY.
 *
 * Locking: d->lock (irqsave) around every p2m, tot_pages and page-table
 * change, and around each whole extent, so an extent is atomic with
 * respect to grant mapping (which pins frames under the granter's lock).
 */
#include <arch/iommu.h>
#include <arch/mm.h>
#include <atoll/domain_build.h>
#include <atoll/frame.h>
#include <atoll/guest.h>
#include <atoll/memory.h>
#include <atoll/sched.h>
#include <atoll/string.h>
#include <atoll/caps.h>
#include <atoll/layout.h>
#include <xen/errno.h>
#include <xen/memory.h>

#define MEMORY_RAM_FRAMES (ATOLL_RAM_LIMIT >> PAGE_SHIFT)
#define MEMORY_QUERY_CAPS (ATOLL_CAP_DOMCTL | ATOLL_CAP_MEMORY_POLICY)

/* Does one extent of n frames at gpfn for d; false if it cannot. */
typedef bool (*memory_extent_fn)(struct domain *d, uint64_t gpfn, uint64_t n);

/* The domain domid names for cd: itself, or any with a query cap. */
static long memory_target(struct domain *cd, domid_t domid, struct domain **d)
{
	if (domid == DOMID_SELF || domid == cd->id) {
		*d = cd;
		return 0;
	}
	if (!(cd->caps & MEMORY_QUERY_CAPS))
		return -XEN_EPERM;
	*d = domain_get(domid);
	return *d ? 0 : -XEN_ESRCH;
}

/* n frames at gpfn: aligned, above frame 0, inside p2m and RAM limits. */
static bool memory_extent_ok(const struct domain *d, uint64_t gpfn, uint64_t n)
{
	uint64_t limit = MIN(d->p2m_size, MEMORY_RAM_FRAMES);

	return gpfn && IS_ALIGNED(gpfn, n) && gpfn < limit && n <= limit - gpfn;
}

/* Unmaps and releases frames [gpfn, gpfn + n), all populated; d->lock
 * held. Pinned frames are freed by their last unpin. No device reaches a
 * frame once it is released: the IOMMU is flushed first. */
static void memory_unpopulate(struct domain *d, uint64_t gpfn, uint64_t n)
{
	for (uint64_t i = gpfn; i < gpfn + n; i++) {
		aspace_unmap(&d->as, i << PAGE_SHIFT, NULL);
		arch_iommu_unmap(d, i);
	}
	arch_iommu_flush(d);
	for (uint64_t i = gpfn; i < gpfn + n; i++) {
		paddr_t pa = pa_init(d->p2m[i]);

		d->p2m[i] = 0;
		frame_release(pa);
	}
}

/* Backs gpfn with a fresh zeroed frame; d->lock held. */
static bool memory_populate_frame(struct domain *d, uint64_t gpfn)
{
	paddr_t pa;

	if (!frame_alloc(0, &pa))
		return false;
	memset(arch_phys_to_virt(pa), 0, PAGE_SIZE);
	frame_set_owner(pa, d->id);
	if (!aspace_map(&d->as, gpfn << PAGE_SHIFT, pa, ASPACE_WRITE)) {
		frame_release(pa);
		return false;
	}
	/* A domain holding devices: they see the frame too. */
	if (!arch_iommu_map(d, gpfn, pa)) {
		aspace_unmap(&d->as, gpfn << PAGE_SHIFT, NULL);
		frame_release(pa);
		return false;
	}
	d->p2m[gpfn] = pa_addr(pa);
	return true;
}

/* True if all of [gpfn, gpfn + n) is (populated ? backed : empty). */
static bool memory_all(const struct domain *d, uint64_t gpfn, uint64_t n,
		       bool populated)
{
	for (uint64_t i = gpfn; i < gpfn + n; i++) {
		if ((d->p2m[i] != 0) != populated)
			return false;
	}
	return true;
}

static bool memory_populate(struct domain *d, uint64_t gpfn, uint64_t n)
{
	irqflags_t f = spin_lock_irqsave(&d->lock);
	bool ok =
	    d->tot_pages + n <= d->max_pages && memory_all(d, gpfn, n, false);

	for (uint64_t i = 0; ok && i < n; i++) {
		if (!memory_populate_frame(d, gpfn + i)) {
			memory_unpopulate(d, gpfn, i);
			ok = false;
		}
	}
	if (ok)
		d->tot_pages += n;
	spin_unlock_irqrestore(&d->lock, f);
	return ok;
}

static bool memory_decrease(struct domain *d, uint64_t gpfn, uint64_t n)
{
	irqflags_t f = spin_lock_irqsave(&d->lock);
	bool ok = memory_all(d, gpfn, n, true);

	if (ok) {
		memory_unpopulate(d, gpfn, n);
		d->tot_pages -= n;
	}
	spin_unlock_irqrestore(&d->lock, f);
	return ok;
}

/* Runs fn over the extents listed in cd's memory; returns those done. */
static long memory_extents(struct domain *cd, struct domain *d,
			   const struct xen_memory_reservation *r,
			   memory_extent_fn fn)
{
	uint64_t n = 1ULL << r->extent_order;
	uint64_t count = MIN(r->nr_extents, MEMORY_OP_FRAMES_MAX / n);
	uint64_t i;

	for (i = 0; i < count; i++) {
		xen_pfn_t gpfn;

		if (copy_from_guest(cd, &gpfn,
				    r->extent_start + i * sizeof(gpfn),
				    sizeof(gpfn)))
			break;
		if (!memory_extent_ok(d, gpfn, n) || !fn(d, gpfn, n))
			break;
	}
	return (long)i;
}

static long memory_op_reservation(struct domain *cd, unsigned cmd, uint64_t arg)
{
	struct xen_memory_reservation r;
	struct domain *d;
	long rc;

	if (copy_from_guest(cd, &r, arg, sizeof(r)))
		return -XEN_EFAULT;
	if (r.extent_order > XENMEM_ATOLL_MAX_ORDER || r.mem_flags)
		return -XEN_EINVAL;
	rc = memory_target(cd, r.domid, &d);
	if (rc)
		return rc;
	if (d != cd)
		return -XEN_EPERM; /* no foreign populate/decrease (yet) */
	return memory_extents(cd, d, &r,
			      cmd == XENMEM_populate_physmap ? memory_populate
							     : memory_decrease);
}

/* Highest populated frame number of d (0 if none). */
static uint64_t memory_max_gpfn(struct domain *d)
{
	irqflags_t f = spin_lock_irqsave(&d->lock);
	uint64_t gpfn = d->p2m_size;

	while (gpfn > 0 && !d->p2m[gpfn - 1])
		gpfn--;
	spin_unlock_irqrestore(&d->lock, f);
	return gpfn ? gpfn - 1 : 0;
}

static long memory_op_domain(struct domain *cd, unsigned cmd, uint64_t arg)
{
	struct xen_memory_domain md;
	struct domain *d;
	long rc;

	if (copy_from_guest(cd, &md, arg, sizeof(md)))
		return -XEN_EFAULT;
	rc = memory_target(cd, md.domid, &d);
	if (rc)
		return rc;
	if (cmd == XENMEM_current_reservation)
		return (long)READ_ONCE(d->tot_pages);
	if (cmd == XENMEM_maximum_reservation)
		return (long)READ_ONCE(d->max_pages);
	return (long)memory_max_gpfn(d);
}

static long memory_op_max_ram_page(struct domain *cd, unsigned cmd,
				   uint64_t arg)
{
	return (long)(MEMORY_RAM_FRAMES - 1);
}

/* One row per supported cmd; the rest (increase_reservation) -ENOSYS. */
static const struct memory_op {
	long (*fn)(struct domain *cd, unsigned cmd, uint64_t arg);
} memory_ops[] = {
    [XENMEM_decrease_reservation] = {memory_op_reservation},
    [XENMEM_populate_physmap] = {memory_op_reservation},
    [XENMEM_maximum_ram_page] = {memory_op_max_ram_page},
    [XENMEM_current_reservation] = {memory_op_domain},
    [XENMEM_maximum_reservation] = {memory_op_domain},
    [XENMEM_maximum_gpfn] = {memory_op_domain},
};

long do_memory_op(unsigned cmd, uint64_t arg)
{
	const struct memory_op *op =
	    cmd < ARRAY_SIZE(memory_ops) ? &memory_ops[cmd] : NULL;

	if (!op || !op->fn)
		return -XEN_ENOSYS;
	return op->fn(current_domain(), cmd, arg);
}
