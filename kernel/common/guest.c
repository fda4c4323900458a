// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copies to and from a domain's memory, one page at a time through the
 * domain's own page tables and the direct map. Only what the domain itself
 * can read (or write) is reachable, so a hostile pointer gets -EFAULT.
 */
#include <arch/mm.h>
#include <atoll/guest.h>
#include <atoll/layout.h>
#include <atoll/string.h>
#include <xen/errno.h>

static int copy_guest(struct domain *d, uint64_t gva, void *buf, size_t len,
		      bool to_guest)
{
	uint8_t *p = buf;

	if (gva + len < gva)
		return -XEN_EFAULT;
	/* Delegated MMIO is the domain's to touch, never the core's: it is
	 * outside the direct map, and reads there can have side effects. */
	if (gva < ATOLL_MMIO_WINDOW_BASE + ATOLL_MMIO_WINDOW_SIZE &&
	    gva + len > ATOLL_MMIO_WINDOW_BASE)
		return -XEN_EFAULT;
	while (len) {
		size_t n = MIN(len, PAGE_SIZE - (gva & (PAGE_SIZE - 1)));
		paddr_t pa;

		if (!aspace_lookup(&d->as, gva,
				   to_guest ? ASPACE_WRITE : ASPACE_READ, &pa))
			return -XEN_EFAULT;
		if (to_guest)
			memcpy(arch_phys_to_virt(pa), p, n);
		else
			memcpy(p, arch_phys_to_virt(pa), n);
		p += n;
		gva += n;
		len -= n;
	}
	return 0;
}

int copy_from_guest(struct domain *d, void *dst, uint64_t gva, size_t len)
{
	return copy_guest(d, gva, dst, len, false);
}

int copy_to_guest(struct domain *d, uint64_t gva, const void *src, size_t len)
{
	return copy_guest(d, gva, (void *)src, len, true);
}

bool domain_gpfn_to_mfn(struct domain *d, uint64_t gpfn, paddr_t *mfn)
{
	if (gpfn >= d->p2m_size || !d->p2m[gpfn])
		return false;
	*mfn = pa_init(d->p2m[gpfn]);
	return true;
}
