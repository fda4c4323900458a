/* SPDX-License-Identifier: MIT */
/*
 * Atoll's own hypercalls. They use numbers from XEN_HYPERCALL_LIMIT (64)
 * up, which Xen never assigns, and the same calling convention and error
 * values as the Xen-compatible calls (docs/abi.md).
 */
#ifndef ATOLL_PUBLIC_HYPERCALL_H
#define ATOLL_PUBLIC_HYPERCALL_H

#include "../xen/xen.h"

/* HYPERVISOR_atoll_domctl(struct atoll_domctl *op): atoll/domctl.h */
#define __HYPERVISOR_atoll_domctl 64
/* HYPERVISOR_atoll_caps(uint32_t cmd, void *arg): atoll/caps.h */
#define __HYPERVISOR_atoll_caps	  65
/* HYPERVISOR_atoll_test(uint32_t cmd, uint64_t arg): below */
#define __HYPERVISOR_atoll_test	  66
/* HYPERVISOR_atoll_mmio(uint32_t cmd, struct atoll_mmio_op *op):
 * atoll/mmio.h */
#define __HYPERVISOR_atoll_mmio	  67

/* One past the last hypercall number; higher ones return -XEN_ENOSYS. */
#define ATOLL_HYPERCALL_LIMIT 68

_Static_assert(__HYPERVISOR_atoll_domctl >= XEN_HYPERCALL_LIMIT,
	       "Atoll's calls live above Xen's range");

/*
 * HYPERVISOR_atoll_test: operations for tests and benchmarks. They have no
 * lasting effect and need no capability.
 *
 * ATOLL_TEST_null: does nothing and returns 0; arg is ignored. It measures
 * the bare cost of a hypercall (entry, dispatch, exit).
 *
 * Any other cmd returns -XEN_ENOSYS.
 */
#define ATOLL_TEST_null 0

#endif
