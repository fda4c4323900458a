/* SPDX-License-Identifier: MIT */
/*
 * Version queries: HYPERVISOR_xen_version(uint32_t cmd, void *arg).
 *
 * Available to every domain. Common errors, not repeated below:
 *   -XEN_EFAULT  arg cannot be written
 *   -XEN_ENOSYS  unknown cmd
 */
#ifndef ATOLL_PUBLIC_XEN_VERSION_H
#define ATOLL_PUBLIC_XEN_VERSION_H

#include "xen.h"

/*
 * XENVER_version, arg unused: returns (major << 16) | minor of the
 * hypervisor. Doubles as the cheapest Xen call (it touches no memory).
 */
#define XENVER_version 0

/* XENVER_extraversion, arg = char[16] (OUT): e.g. "-atoll", NUL-padded. */
#define XENVER_extraversion  1
#define XEN_EXTRAVERSION_LEN 16

/* XENVER_compile_info, arg = struct xen_compile_info (OUT). */
#define XENVER_compile_info 2

struct xen_compile_info {
	char compiler[64];
	char compile_by[16];
	char compile_domain[32];
	char compile_date[32];
};
_Static_assert(sizeof(struct xen_compile_info) == 144, "Xen ABI");

/*
 * XENVER_capabilities, arg = char[1024] (OUT): space-separated guest types
 * the hypervisor runs; Atoll writes "xen-3.0-x86_64".
 */
#define XENVER_capabilities	  3
#define XEN_CAPABILITIES_INFO_LEN 1024

/* XENVER_changeset, arg = char[64] (OUT): the source revision. */
#define XENVER_changeset       4
#define XEN_CHANGESET_INFO_LEN 64

/*
 * XENVER_platform_parameters, arg = struct xen_platform_parameters (OUT):
 * virt_start is the lowest address the hypervisor keeps for itself (the
 * upper half, 0xffff800000000000).
 */
#define XENVER_platform_parameters 5

struct xen_platform_parameters {
	xen_ulong_t virt_start;
};
_Static_assert(sizeof(struct xen_platform_parameters) == 8, "Xen ABI");

/*
 * XENVER_get_features, arg = struct xen_feature_info (IN submap_idx, OUT
 * submap): 32 bits of the XENFEAT_* bitmap. Atoll reports none yet: every
 * submap is 0.
 */
#define XENVER_get_features 6

struct xen_feature_info {
	uint32_t submap_idx; /* IN: which 32-bit word */
	uint32_t submap;     /* OUT */
};
_Static_assert(sizeof(struct xen_feature_info) == 8, "Xen ABI");

/* XENVER_pagesize, arg unused: returns 4096. */
#define XENVER_pagesize 7

/*
 * XENVER_guest_handle, arg = uint8_t[16] (OUT): the domain's handle
 * (UUID). XENVER_commandline, arg = char[1024] (OUT): the hypervisor's
 * command line; needs ATOLL_CAP_CONSOLE, else -XEN_EPERM.
 */
#define XENVER_guest_handle   8
#define XENVER_commandline    9
#define XEN_COMMANDLINE_LEN   1024
#define XEN_DOMAIN_HANDLE_LEN 16

#endif
