/* SPDX-License-Identifier: MIT */
/*
 * Scheduler operations: HYPERVISOR_sched_op(uint32_t cmd, void *arg).
 *
 * Common errors, not repeated below:
 *   -XEN_EFAULT  arg cannot be read
 *   -XEN_ENOSYS  unknown cmd
 */
#ifndef ATOLL_PUBLIC_XEN_SCHED_H
#define ATOLL_PUBLIC_XEN_SCHED_H

#include "event_channel.h"

/* SCHEDOP_yield, arg unused: gives up the CPU; returns 0. */
#define SCHEDOP_yield 0

/*
 * SCHEDOP_block, arg unused: clears the vCPU's evtchn_upcall_mask and
 * sleeps until an event is pending for the vCPU (at once if one already
 * is); the event is then delivered by upcall. Returns 0.
 */
#define SCHEDOP_block 1

/*
 * SCHEDOP_shutdown, arg = struct sched_shutdown: stops the calling domain
 * for good with the given reason; VIRQ_DOM_EXC tells the domains that
 * watch. Does not return, except with:
 *   -XEN_EINVAL  reason > SHUTDOWN_MAX
 */
#define SCHEDOP_shutdown 2

/*
 * SCHEDOP_poll, arg = struct sched_poll: blocks until one of the nr_ports
 * ports in the array ports is pending, or until system time reaches
 * timeout (ns; 0 = no timeout). Events are not delivered by upcall for
 * the wait. Returns 0 at once if an event is already pending for the vCPU
 * or a listed port is pending, else 0 when woken by a listed port or the
 * timeout: the caller checks which. Errors:
 *   -XEN_EINVAL  nr_ports above SCHED_POLL_MAX_PORTS, or a port out of
 *                range
 *   -XEN_EFAULT  the ports array cannot be read
 */
#define SCHEDOP_poll 3

/*
 * SCHEDOP_remote_shutdown, arg = struct sched_remote_shutdown: shuts
 * domain domain_id down with reason, as if it had called SCHEDOP_shutdown.
 * Errors:
 *   -XEN_EPERM   the caller lacks ATOLL_CAP_DOMCTL
 *   -XEN_ESRCH   domain_id does not exist
 *   -XEN_EINVAL  reason > SHUTDOWN_MAX, or domain_id is the caller
 */
#define SCHEDOP_remote_shutdown 4

/*
 * SCHEDOP_shutdown_code, arg = struct sched_shutdown: records the reason
 * that a later crash or shutdown will report, without shutting down.
 * Errors:
 *   -XEN_EINVAL  reason > SHUTDOWN_MAX
 */
#define SCHEDOP_shutdown_code 5

/*
 * SCHEDOP_watchdog, arg = struct sched_watchdog: id 0 with a timeout
 * creates a watchdog and returns its id (> 0); a known id with a timeout
 * re-arms it; a known id with timeout 0 destroys it. An expired watchdog
 * shuts the domain down with SHUTDOWN_watchdog. Errors:
 *   -XEN_EINVAL  id unknown
 *   -XEN_ENOSPC  no free watchdog slot
 */
#define SCHEDOP_watchdog 6

struct sched_shutdown {
	uint32_t reason; /* SHUTDOWN_* */
};
_Static_assert(sizeof(struct sched_shutdown) == 4, "Xen ABI");

struct sched_poll {
	XEN_GUEST_HANDLE(evtchn_port_t) ports;
	uint32_t nr_ports;
	uint32_t pad;
	uint64_t timeout; /* absolute system time in ns; 0 = none */
};
_Static_assert(sizeof(struct sched_poll) == 24, "Xen ABI");

/* Most ports one SCHEDOP_poll may wait on (Xen's limit too). */
#define SCHED_POLL_MAX_PORTS 128

struct sched_remote_shutdown {
	domid_t domain_id;
	uint16_t pad;
	uint32_t reason; /* SHUTDOWN_* */
};
_Static_assert(sizeof(struct sched_remote_shutdown) == 8, "Xen ABI");

struct sched_watchdog {
	uint32_t id;	  /* 0 = create a new one */
	uint32_t timeout; /* seconds; 0 = destroy */
};
_Static_assert(sizeof(struct sched_watchdog) == 8, "Xen ABI");

/* Shutdown reasons. */
#define SHUTDOWN_poweroff   0 /* exited normally: clean up */
#define SHUTDOWN_reboot	    1 /* clean up and start again */
#define SHUTDOWN_suspend    2 /* clean up, state saved (unused in Atoll) */
#define SHUTDOWN_crash	    3 /* crashed */
#define SHUTDOWN_watchdog   4 /* watchdog expired */
#define SHUTDOWN_soft_reset 5 /* reset keeping memory (unused in Atoll) */
#define SHUTDOWN_MAX	    5

#endif
