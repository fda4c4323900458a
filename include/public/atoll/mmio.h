/* SPDX-License-Identifier: MIT */
/*
 * Mapping delegated MMIO: HYPERVISOR_atoll_mmio(uint32_t cmd,
 * struct atoll_mmio_op *op), hypercall __HYPERVISOR_atoll_mmio
 * (atoll/hypercall.h).
 *
 * A domain that holds MMIO frames (from the manifest's `mmio`, or given by
 * another domain with ATOLL_DOMCTL_iomem_permission) maps them into its
 * MMIO window (ATOLL_MMIO_WINDOW_BASE, atoll/layout.h), uncached, readable
 * and writable, never executable. No capability is needed: holding the
 * frames is the right. When frames are taken back or given away, every
 * mapping that touches them disappears from the old holder (a later access
 * faults). The hypervisor never reads or writes the window on a domain's
 * behalf: hypercall buffers there get -XEN_EFAULT.
 */
#ifndef ATOLL_PUBLIC_MMIO_H
#define ATOLL_PUBLIC_MMIO_H

#include "../xen/xen.h"

struct atoll_mmio_op {
	uint64_t phys;	/* IN (map): physical address, page-aligned */
	uint64_t pages; /* IN (map): 4 KiB pages */
	uint64_t va;	/* OUT (map), IN (unmap): address in the window */
};
_Static_assert(sizeof(struct atoll_mmio_op) == 24, "Atoll ABI");

/*
 * ATOLL_MMIOOP_map: maps [phys, phys + pages * 4 KiB) at a free place in
 * the window and returns it in op->va. Errors:
 *   -XEN_EFAULT  op cannot be read or written
 *   -XEN_EINVAL  phys not page-aligned, pages 0, or beyond 16 TiB
 *   -XEN_EPERM   the caller does not hold every frame (in one range)
 *   -XEN_ENOSPC  16 mappings already, or no room left in the window
 *   -XEN_ENOMEM  no memory for page tables
 */
#define ATOLL_MMIOOP_map 0

/*
 * ATOLL_MMIOOP_unmap: removes the mapping that starts at op->va. Errors:
 *   -XEN_EFAULT  op cannot be read
 *   -XEN_EINVAL  no mapping starts at op->va
 */
#define ATOLL_MMIOOP_unmap 1

/* Any other cmd returns -XEN_ENOSYS. */

#endif
