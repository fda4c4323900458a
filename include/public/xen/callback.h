/* SPDX-License-Identifier: MIT */
/*
 * Entry points the hypervisor jumps to: HYPERVISOR_callback_op(uint32_t
 * cmd, void *arg).
 *
 * The event callback receives event upcalls in a bounce frame on the
 * domain's stack (docs/abi.md, "Event upcall"); it returns with
 * HYPERVISOR_iret. Common errors, not repeated below:
 *   -XEN_EFAULT  arg cannot be read
 *   -XEN_ENOSYS  unknown cmd
 */
#ifndef ATOLL_PUBLIC_XEN_CALLBACK_H
#define ATOLL_PUBLIC_XEN_CALLBACK_H

#include "xen.h"

/* A callback's entry address. */
typedef uint64_t xen_callback_t;

#define CALLBACKTYPE_event		 0 /* event upcall: used by Atoll */
#define CALLBACKTYPE_failsafe		 1 /* accepted; never called by Atoll */
#define CALLBACKTYPE_syscall		 2 /* rejected: no guest user mode */
#define CALLBACKTYPE_sysenter_deprecated 3
#define CALLBACKTYPE_nmi		 4 /* rejected */
#define CALLBACKTYPE_sysenter		 5
#define CALLBACKTYPE_syscall32		 7

/*
 * Mask events while the callback runs. The event callback always runs with
 * events masked, whatever this flag says.
 */
#define _CALLBACKF_mask_events 0
#define CALLBACKF_mask_events  (1U << _CALLBACKF_mask_events)

/*
 * CALLBACKOP_register, arg = struct callback_register: sets the entry
 * point for type; address 0 removes it. Returns 0, or
 *   -XEN_EINVAL  type not event or failsafe, unknown flags, or address
 *                not a canonical lower-half address
 */
#define CALLBACKOP_register 0

struct callback_register {
	uint16_t type;	/* CALLBACKTYPE_* */
	uint16_t flags; /* CALLBACKF_* */
	uint32_t pad;
	xen_callback_t address;
};
_Static_assert(sizeof(struct callback_register) == 16, "Xen ABI");

/*
 * CALLBACKOP_unregister, arg = struct callback_unregister: removes the
 * entry point for type. Returns 0, or
 *   -XEN_EINVAL  type not event or failsafe
 */
#define CALLBACKOP_unregister 1

struct callback_unregister {
	uint16_t type; /* CALLBACKTYPE_* */
	uint16_t pad;
};
_Static_assert(sizeof(struct callback_unregister) == 4, "Xen ABI");

#endif
