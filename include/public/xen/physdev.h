/* SPDX-License-Identifier: MIT */
/*
 * Physical interrupts for driver domains: HYPERVISOR_physdev_op(uint32_t
 * cmd, void *arg). Only the ops Atoll's driver domains need are listed;
 * map_pirq and unmap_pirq are not implemented yet (-XEN_ENOSYS).
 *
 * A pirq is a domain's name for one physical interrupt it holds (an IRQ
 * line or an MSI vector delegated to it). It is bound to an event channel
 * with EVTCHNOP_bind_pirq.
 *
 * Common errors, not repeated below:
 *   -XEN_EFAULT  arg cannot be read or written
 *   -XEN_ENOSYS  unknown or unsupported cmd
 */
#ifndef ATOLL_PUBLIC_XEN_PHYSDEV_H
#define ATOLL_PUBLIC_XEN_PHYSDEV_H

#include "xen.h"

/*
 * PHYSDEVOP_irq_status_query, arg = struct physdev_irq_status_query:
 * reports whether pirq needs PHYSDEVOP_eoi after each event (a bound,
 * level-triggered line: XENIRQSTAT_needs_eoi). Returns 0, or
 *   -XEN_EINVAL  irq is not held by the caller
 */
#define PHYSDEVOP_irq_status_query 5

struct physdev_irq_status_query {
	uint32_t irq;	/* IN: pirq */
	uint32_t flags; /* OUT: XENIRQSTAT_* */
};
_Static_assert(sizeof(struct physdev_irq_status_query) == 8, "Xen ABI");

#define _XENIRQSTAT_needs_eoi (0)
#define XENIRQSTAT_needs_eoi  (1U << _XENIRQSTAT_needs_eoi)
#define _XENIRQSTAT_shared    (1)
#define XENIRQSTAT_shared     (1U << _XENIRQSTAT_shared)

/*
 * PHYSDEVOP_eoi, arg = struct physdev_eoi: the domain has handled pirq;
 * the line may fire again (a level-triggered line, masked when it fired,
 * is unmasked; for an edge-triggered one this does nothing). Returns 0, or
 *   -XEN_EINVAL  irq is not held by the caller
 */
#define PHYSDEVOP_eoi 12

struct physdev_eoi {
	uint32_t irq; /* IN: pirq */
};
_Static_assert(sizeof(struct physdev_eoi) == 4, "Xen ABI");

/* physdev_map_pirq.type */
#define MAP_PIRQ_TYPE_MSI	0x0
#define MAP_PIRQ_TYPE_GSI	0x1
#define MAP_PIRQ_TYPE_UNKNOWN	0x2
#define MAP_PIRQ_TYPE_MSI_SEG	0x3
#define MAP_PIRQ_TYPE_MULTI_MSI 0x4

/*
 * PHYSDEVOP_map_pirq, arg = struct physdev_map_pirq: gives domid (DOMID_SELF
 * or a domain it assigns devices to) a pirq for a GSI (index = GSI) or
 * for MSI vectors of the PCI device bus/devfn. pirq IN: the wanted number
 * or -1 for any; OUT: the number given. Returns 0, or
 *   -XEN_EPERM   the caller does not hold the GSI or device, or lacks
 *                ATOLL_CAP_DEVICE_ASSIGN for another domain
 *   -XEN_ESRCH   domid does not exist
 *   -XEN_EINVAL  bad type, index or entry_nr
 *   -XEN_EEXIST  the source is already mapped
 *   -XEN_ENOSPC  no free pirq or vector
 */
#define PHYSDEVOP_map_pirq 13

struct physdev_map_pirq {
	domid_t domid; /* IN */
	uint16_t pad0;
	int32_t type;	  /* IN: MAP_PIRQ_TYPE_* */
	int32_t index;	  /* IN: GSI, or MSI-X table entry */
	int32_t pirq;	  /* IN/OUT */
	int32_t bus;	  /* IN: MSI: bus; bits 16-31 segment (MSI_SEG) */
	int32_t devfn;	  /* IN: MSI */
	int32_t entry_nr; /* IN: MSI vectors wanted (OUT: got, MULTI_MSI) */
	uint32_t pad1;
	uint64_t table_base; /* IN: MSI-X table address */
};
_Static_assert(sizeof(struct physdev_map_pirq) == 40, "Xen ABI");

/*
 * PHYSDEVOP_unmap_pirq, arg = struct physdev_unmap_pirq: undoes
 * PHYSDEVOP_map_pirq (closing any channel bound to it). Returns 0, or
 *   -XEN_EPERM   as for map_pirq
 *   -XEN_ESRCH   domid does not exist
 *   -XEN_EINVAL  pirq is not mapped in domid
 */
#define PHYSDEVOP_unmap_pirq 14

struct physdev_unmap_pirq {
	domid_t domid; /* IN */
	uint16_t pad;
	int32_t pirq; /* IN */
};
_Static_assert(sizeof(struct physdev_unmap_pirq) == 8, "Xen ABI");

#endif
