/* SPDX-License-Identifier: MIT */
/*
 * Capabilities: the named rights a domain holds, from its manifest entry or
 * from the domain that created it (only ever a subset of the creator's).
 * The hypervisor checks them on every call that needs one; a domain can
 * query its set and drop rights it no longer needs, never gain any.
 *
 * HYPERVISOR_atoll_caps(uint32_t cmd, void *arg), hypercall
 * __HYPERVISOR_atoll_caps (atoll/hypercall.h).
 */
#ifndef ATOLL_PUBLIC_CAPS_H
#define ATOLL_PUBLIC_CAPS_H

#include "../xen/xen.h"

/*
 * X(NAME, bit, "name"), one line per capability, for tables; ATOLL_CAP_NAME
 * below is the bit. The manifest and vmctl use the quoted names.
 */
#define ATOLL_CAP_LIST(X)                                                      \
	X(DOMCTL, 0, "domctl")                                                 \
	X(XENSTORE, 1, "xenstore")                                             \
	X(PCI, 2, "pci")                                                       \
	X(DEVICE_ASSIGN, 3, "device-assign")                                   \
	X(MEMORY_POLICY, 4, "memory-policy")                                   \
	X(CONSOLE, 5, "console")

/*
 * domctl: create, destroy, pause and limit domains (atoll/domctl.h), act
 *   for another domain in event channel and grant queries, map the memory
 *   of domains it builds.
 * xenstore: introduce domains, map their XenStore rings, bind VIRQ_DOM_EXC.
 * pci: access PCI configuration space.
 * device-assign: delegate and revoke I/O ports, MMIO, IRQs and devices,
 *   program the IOMMU.
 * memory-policy: read every domain's memory use, set targets and limits.
 * console: read the hypervisor log and console input, inject console input.
 */
#define ATOLL_CAP_DOMCTL	(1ULL << 0)
#define ATOLL_CAP_XENSTORE	(1ULL << 1)
#define ATOLL_CAP_PCI		(1ULL << 2)
#define ATOLL_CAP_DEVICE_ASSIGN (1ULL << 3)
#define ATOLL_CAP_MEMORY_POLICY (1ULL << 4)
#define ATOLL_CAP_CONSOLE	(1ULL << 5)
#define ATOLL_CAP_COUNT		6
#define ATOLL_CAP_ALL		((1ULL << ATOLL_CAP_COUNT) - 1)

#define ATOLL_CAP_NAME_DOMCTL	     "domctl"
#define ATOLL_CAP_NAME_XENSTORE	     "xenstore"
#define ATOLL_CAP_NAME_PCI	     "pci"
#define ATOLL_CAP_NAME_DEVICE_ASSIGN "device-assign"
#define ATOLL_CAP_NAME_MEMORY_POLICY "memory-policy"
#define ATOLL_CAP_NAME_CONSOLE	     "console"

/*
 * ATOLL_CAPSOP_query, arg = struct atoll_caps_query: the capability set of
 * domid (DOMID_SELF or the caller: always allowed; another domain: needs
 * ATOLL_CAP_DOMCTL), and its id (so DOMID_SELF tells a domain its own id,
 * which Xen's guests read from the XenStore instead). Returns 0, or
 *   -XEN_EFAULT  arg cannot be read or written
 *   -XEN_EINVAL  pad is not zero
 *   -XEN_EPERM   domid is another domain and the caller lacks the capability
 *   -XEN_ESRCH   domid does not exist
 */
#define ATOLL_CAPSOP_query 0

struct atoll_caps_query {
	domid_t domid; /* IN: DOMID_SELF or an id; OUT: the id */
	uint16_t pad[3];
	uint64_t caps; /* OUT: ATOLL_CAP_* */
};
_Static_assert(sizeof(struct atoll_caps_query) == 16, "Atoll ABI");

/*
 * ATOLL_CAPSOP_drop, arg = struct atoll_caps_drop: removes caps from the
 * caller's own set, for good (bits it does not hold are ignored). Returns
 * 0, or
 *   -XEN_EFAULT  arg cannot be read
 *   -XEN_EINVAL  caps has bits outside ATOLL_CAP_ALL
 */
#define ATOLL_CAPSOP_drop 1

struct atoll_caps_drop {
	uint64_t caps; /* IN: ATOLL_CAP_* */
};
_Static_assert(sizeof(struct atoll_caps_drop) == 8, "Atoll ABI");

/* Any other cmd returns -XEN_ENOSYS. */

#endif
