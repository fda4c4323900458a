/* SPDX-License-Identifier: MIT */
/*
 * Memory reservation: HYPERVISOR_memory_op(uint32_t cmd, void *arg).
 *
 * A domain's RAM is a set of pseudo-physical frames, each mapped at the
 * virtual address equal to its pseudo-physical address (docs/abi.md). The
 * balloon gives frames back with XENMEM_decrease_reservation and takes them
 * again with XENMEM_populate_physmap, within the domain's max_pages.
 *
 * Common errors, not repeated below:
 *   -XEN_EFAULT  arg cannot be read or written
 *   -XEN_ENOSYS  unknown or unsupported cmd
 */
#ifndef ATOLL_PUBLIC_XEN_MEMORY_H
#define ATOLL_PUBLIC_XEN_MEMORY_H

#include "xen.h"

#define XENMEM_increase_reservation 0
#define XENMEM_decrease_reservation 1
#define XENMEM_maximum_ram_page	    2
#define XENMEM_current_reservation  3
#define XENMEM_maximum_reservation  4
#define XENMEM_populate_physmap	    6
#define XENMEM_maximum_gpfn	    14

/*
 * XENMEM_populate_physmap / XENMEM_decrease_reservation /
 * XENMEM_increase_reservation, arg = struct xen_memory_reservation.
 *
 * extent_start lists nr_extents frame numbers, each the first of an extent
 * of 2^extent_order frames (aligned to its size):
 *   populate_physmap: IN, frames to back with fresh zeroed RAM
 *   decrease_reservation: IN, frames to release
 *   increase_reservation: not supported by Atoll (it would hand out frames
 *   with no place in the domain's address space); returns -XEN_ENOSYS
 *
 * Returns the number of extents done, counted from the start of the list.
 * A result below nr_extents means extent number <result> failed (out of
 * memory, max_pages reached, a frame outside the domain's p2m (gpfn 0 and
 * gpfns at or above max_pages + 1) or already populated / not populated,
 * or an unreadable list entry); the ones before it are done. One call
 * handles at most 4096 frames and returns the count done so far. A frame
 * released while another domain still maps it through a grant leaves the
 * domain at once but is freed only when the last mapping goes. The call as
 * a whole fails, doing nothing, with:
 *   -XEN_EINVAL  extent_order above the largest supported (9, 2 MiB), or
 *                unknown mem_flags
 *   -XEN_ESRCH   domid does not exist
 *   -XEN_EPERM   domid is another domain: populate and decrease act on
 *                DOMID_SELF only (the balloon service asks domains, it
 *                does not reach into them)
 */
struct xen_memory_reservation {
	XEN_GUEST_HANDLE(xen_pfn_t) extent_start;
	xen_ulong_t nr_extents;
	uint32_t extent_order;
	uint32_t mem_flags; /* XENMEMF_*; Atoll accepts 0 only */
	domid_t domid;	    /* DOMID_SELF, or see -XEN_EPERM */
	uint16_t pad[3];
};
_Static_assert(sizeof(struct xen_memory_reservation) == 32, "Xen ABI");

/* Largest extent_order Atoll accepts. */
#define XENMEM_ATOLL_MAX_ORDER 9

/*
 * XENMEM_current_reservation / XENMEM_maximum_reservation /
 * XENMEM_maximum_gpfn, arg = struct xen_memory_domain (Xen passes a bare
 * domid_t; the layout is the same). Return the domain's current page count
 * (tot_pages), its limit (max_pages), or its highest populated frame
 * number. Errors:
 *   -XEN_ESRCH   domid does not exist
 *   -XEN_EPERM   domid is another domain and the caller lacks
 *                ATOLL_CAP_MEMORY_POLICY or ATOLL_CAP_DOMCTL
 */
struct xen_memory_domain {
	domid_t domid;
};
_Static_assert(sizeof(struct xen_memory_domain) == 2, "Xen ABI");

/*
 * XENMEM_maximum_ram_page, arg unused: Xen returns the highest machine
 * frame; Atoll exposes no machine frames and returns the highest frame
 * number a domain may populate (ATOLL_RAM_LIMIT >> 12) - 1.
 */

#endif
