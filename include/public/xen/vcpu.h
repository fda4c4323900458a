/* SPDX-License-Identifier: MIT */
/*
 * vCPU operations: HYPERVISOR_vcpu_op(uint32_t cmd, uint32_t vcpuid,
 * void *arg), on vCPU vcpuid of the calling domain.
 *
 * Common errors, not repeated below:
 *   -XEN_ENOENT  vcpuid does not exist
 *   -XEN_EFAULT  arg cannot be read or written
 *   -XEN_ENOSYS  unknown or unsupported cmd (VCPUOP_initialise for now)
 */
#ifndef ATOLL_PUBLIC_XEN_VCPU_H
#define ATOLL_PUBLIC_XEN_VCPU_H

#include "xen.h"

/* Xen sets a vCPU's initial registers with this; Atoll does not yet. */
#define VCPUOP_initialise 0

/*
 * VCPUOP_up, arg unused: lets the (initialised) vCPU run. Returns 0, or
 *   -XEN_EINVAL  the vCPU has never been initialised
 * VCPUOP_down, arg unused: stops the vCPU until VCPUOP_up. Returns 0.
 * VCPUOP_is_up, arg unused: returns 1 if the vCPU is up, else 0.
 */
#define VCPUOP_up    1
#define VCPUOP_down  2
#define VCPUOP_is_up 3

/*
 * VCPUOP_get_runstate_info, arg = struct vcpu_runstate_info (OUT): the
 * vCPU's current state and the time it has spent in each. Returns 0.
 */
#define VCPUOP_get_runstate_info 4

struct vcpu_runstate_info {
	int32_t state; /* RUNSTATE_* */
	uint32_t pad;
	uint64_t state_entry_time; /* system time (ns) it entered state */
	uint64_t time[4];	   /* ns spent in each RUNSTATE_* */
};
_Static_assert(sizeof(struct vcpu_runstate_info) == 48, "Xen ABI");

#define RUNSTATE_running  0 /* on a CPU */
#define RUNSTATE_runnable 1 /* ready, waiting for a CPU */
#define RUNSTATE_blocked  2 /* waiting for an event */
#define RUNSTATE_offline  3 /* down, or the domain is paused */

/*
 * VCPUOP_set_periodic_timer, arg = struct vcpu_set_periodic_timer: raises
 * VIRQ_TIMER every period_ns. Returns 0, or
 *   -XEN_EINVAL  period_ns below 1 ms
 * VCPUOP_stop_periodic_timer, arg unused: stops it. Returns 0.
 */
#define VCPUOP_set_periodic_timer  6
#define VCPUOP_stop_periodic_timer 7

struct vcpu_set_periodic_timer {
	uint64_t period_ns;
};
_Static_assert(sizeof(struct vcpu_set_periodic_timer) == 8, "Xen ABI");

/*
 * VCPUOP_set_singleshot_timer, arg = struct vcpu_set_singleshot_timer:
 * raises VIRQ_TIMER once, when system time reaches timeout_abs_ns (at once
 * if it already has). Replaces any pending one-shot timer. Returns 0, or
 *   -XEN_EINVAL  vcpuid is not the calling vCPU, or unknown flags
 *   -XEN_ETIME   VCPU_SSHOTTMR_future is set and the time has passed
 * VCPUOP_stop_singleshot_timer, arg unused: cancels it. Returns 0, or
 *   -XEN_EINVAL  vcpuid is not the calling vCPU
 */
#define VCPUOP_set_singleshot_timer  8
#define VCPUOP_stop_singleshot_timer 9

struct vcpu_set_singleshot_timer {
	uint64_t timeout_abs_ns; /* system time, ns */
	uint32_t flags;		 /* VCPU_SSHOTTMR_* */
	uint32_t pad;
};
_Static_assert(sizeof(struct vcpu_set_singleshot_timer) == 16, "Xen ABI");

/* Fail with -XEN_ETIME rather than fire at once if the time has passed. */
#define _VCPU_SSHOTTMR_future (0)
#define VCPU_SSHOTTMR_future  (1U << _VCPU_SSHOTTMR_future)

#endif
