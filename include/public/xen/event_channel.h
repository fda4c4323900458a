/* SPDX-License-Identifier: MIT */
/*
 * Event channels: HYPERVISOR_event_channel_op(uint32_t cmd, void *arg).
 *
 * A port is a per-domain number naming one end of a channel. A channel
 * connects two domains (interdomain), or delivers a virtual interrupt
 * (virq), a physical one (pirq) or an IPI between the domain's own vCPUs.
 * Sending sets the port's bit in shared_info.evtchn_pending and, unless the
 * port is masked, upcalls the vCPU the port is bound to (vCPU 0 at first).
 * Atoll implements the 2-level ABI only.
 *
 * Every op reads its struct from arg and writes the OUT fields back. Common
 * errors, not repeated below:
 *   -XEN_EFAULT  arg cannot be read or written
 *   -XEN_ENOSYS  unknown cmd
 */
#ifndef ATOLL_PUBLIC_XEN_EVENT_CHANNEL_H
#define ATOLL_PUBLIC_XEN_EVENT_CHANNEL_H

#include "xen.h"

typedef uint32_t evtchn_port_t;

/* 2-level ABI: 64 words of 64 bits in shared_info, one bit per port. */
#define EVTCHN_2L_NR_CHANNELS (64 * 64)
#define NR_EVENT_CHANNELS     EVTCHN_2L_NR_CHANNELS

#define EVTCHNOP_bind_interdomain 0
#define EVTCHNOP_bind_virq	  1
#define EVTCHNOP_bind_pirq	  2
#define EVTCHNOP_close		  3
#define EVTCHNOP_send		  4
#define EVTCHNOP_status		  5
#define EVTCHNOP_alloc_unbound	  6
#define EVTCHNOP_bind_ipi	  7
#define EVTCHNOP_bind_vcpu	  8
#define EVTCHNOP_unmask		  9
#define EVTCHNOP_reset		  10

/*
 * EVTCHNOP_alloc_unbound: allocates a port in domain dom that remote_dom
 * may later connect to with EVTCHNOP_bind_interdomain.
 * dom is DOMID_SELF, or another domain when the caller holds
 * ATOLL_CAP_DOMCTL (how a builder prepares a new domain's channels);
 * remote_dom may be DOMID_SELF. Errors:
 *   -XEN_EPERM   dom is another domain and the caller lacks the capability
 *   -XEN_ESRCH   dom or remote_dom does not exist
 *   -XEN_ENOSPC  dom has no free port
 */
struct evtchn_alloc_unbound {
	domid_t dom;	    /* IN */
	domid_t remote_dom; /* IN */
	evtchn_port_t port; /* OUT: the new port, in dom */
};
_Static_assert(sizeof(struct evtchn_alloc_unbound) == 8, "Xen ABI");

/*
 * EVTCHNOP_bind_interdomain: connects a new local port to remote_port of
 * remote_dom, which must be unbound and allocated for the caller. Errors:
 *   -XEN_ESRCH   remote_dom does not exist
 *   -XEN_EINVAL  remote_port is not an unbound port open to the caller
 *   -XEN_ENOSPC  the caller has no free port
 */
struct evtchn_bind_interdomain {
	domid_t remote_dom; /* IN */
	uint16_t pad;
	evtchn_port_t remote_port; /* IN */
	evtchn_port_t local_port;  /* OUT */
};
_Static_assert(sizeof(struct evtchn_bind_interdomain) == 12, "Xen ABI");

/*
 * EVTCHNOP_bind_virq: binds a new port to VIRQ virq on vCPU vcpu. Errors:
 *   -XEN_EINVAL  virq >= NR_VIRQS or not raised by Atoll; a global VIRQ
 *                on a vCPU other than 0
 *   -XEN_ENOENT  vcpu does not exist
 *   -XEN_EEXIST  virq is already bound on that vCPU
 *   -XEN_EPERM   the virq needs a capability the caller lacks
 *                (VIRQ_DOM_EXC: xenstore or domctl; VIRQ_CONSOLE: console)
 * Unlike Xen, a global VIRQ may be bound by several domains at once (the
 * XenStore and control domains both want VIRQ_DOM_EXC); each gets it.
 *   -XEN_ENOSPC  no free port
 */
struct evtchn_bind_virq {
	uint32_t virq;	    /* IN: VIRQ_* */
	uint32_t vcpu;	    /* IN */
	evtchn_port_t port; /* OUT */
};
_Static_assert(sizeof(struct evtchn_bind_virq) == 12, "Xen ABI");

/*
 * EVTCHNOP_bind_pirq: binds a new port to physical IRQ pirq, which in Atoll
 * is a GSI the caller holds (from its manifest `irqs` or given with
 * ATOLL_DOMCTL_irq_permission). The core routes the line to the port; a
 * level-triggered line is masked each time it fires until PHYSDEVOP_eoi
 * (xen/physdev.h). Closing the port masks the line. BIND_PIRQ__WILL_SHARE
 * is accepted and ignored: a line has one holder. Errors:
 *   -XEN_EPERM   the caller does not hold pirq
 *   -XEN_EINVAL  pirq at or above 1024 or with no IO APIC input, or
 *                unknown flags
 *   -XEN_EEXIST  pirq is already bound
 *   -XEN_ENOSPC  no free port, or no free interrupt vector
 */
struct evtchn_bind_pirq {
	uint32_t pirq;	    /* IN */
	uint32_t flags;	    /* IN: BIND_PIRQ__* */
	evtchn_port_t port; /* OUT */
};
_Static_assert(sizeof(struct evtchn_bind_pirq) == 12, "Xen ABI");

#define BIND_PIRQ__WILL_SHARE 1

/*
 * EVTCHNOP_bind_ipi: binds a new port that, when sent on, notifies the
 * caller's own vCPU vcpu. Errors:
 *   -XEN_ENOENT  vcpu does not exist
 *   -XEN_ENOSPC  no free port
 */
struct evtchn_bind_ipi {
	uint32_t vcpu;	    /* IN */
	evtchn_port_t port; /* OUT */
};
_Static_assert(sizeof(struct evtchn_bind_ipi) == 8, "Xen ABI");

/*
 * EVTCHNOP_close: closes port. An interdomain peer's end goes back to
 * unbound (open to the closer's domain). Errors:
 *   -XEN_EINVAL  port is not an open port of the caller
 */
struct evtchn_close {
	evtchn_port_t port; /* IN */
};
_Static_assert(sizeof(struct evtchn_close) == 4, "Xen ABI");

/*
 * EVTCHNOP_send: notifies the other end of port (interdomain) or the bound
 * vCPU (IPI). Sending on an unbound port is silently dropped. Errors:
 *   -XEN_EINVAL  port is not open, or is bound to a virq or pirq
 */
struct evtchn_send {
	evtchn_port_t port; /* IN */
};
_Static_assert(sizeof(struct evtchn_send) == 4, "Xen ABI");

/*
 * EVTCHNOP_status: describes port of domain dom (DOMID_SELF, or another
 * domain with ATOLL_CAP_DOMCTL). Errors:
 *   -XEN_EPERM   dom is another domain and the caller lacks the capability
 *   -XEN_ESRCH   dom does not exist
 *   -XEN_EINVAL  port is out of range for dom
 */
struct evtchn_status {
	domid_t dom; /* IN */
	uint16_t pad;
	evtchn_port_t port; /* IN */
	uint32_t status;    /* OUT: EVTCHNSTAT_* */
	uint32_t vcpu;	    /* OUT: vCPU notified by this port */
	union {
		struct {
			domid_t dom; /* who may bind */
		} unbound;
		struct {
			domid_t dom;
			uint16_t pad;
			evtchn_port_t port;
		} interdomain;
		uint32_t pirq;
		uint32_t virq;
	} u; /* OUT, by status */
};
_Static_assert(sizeof(struct evtchn_status) == 24, "Xen ABI");

#define EVTCHNSTAT_closed      0 /* not in use */
#define EVTCHNSTAT_unbound     1 /* waiting for u.unbound.dom to bind */
#define EVTCHNSTAT_interdomain 2 /* connected to u.interdomain */
#define EVTCHNSTAT_pirq	       3 /* bound to physical IRQ u.pirq */
#define EVTCHNSTAT_virq	       4 /* bound to VIRQ u.virq */
#define EVTCHNSTAT_ipi	       5 /* bound to an IPI */

/*
 * EVTCHNOP_bind_vcpu: makes port notify vCPU vcpu from now on. Per-vCPU
 * VIRQs and IPIs cannot move. Errors:
 *   -XEN_EINVAL  port is not open, or cannot move
 *   -XEN_ENOENT  vcpu does not exist
 */
struct evtchn_bind_vcpu {
	evtchn_port_t port; /* IN */
	uint32_t vcpu;	    /* IN */
};
_Static_assert(sizeof(struct evtchn_bind_vcpu) == 8, "Xen ABI");

/*
 * EVTCHNOP_unmask: clears the port's mask bit and, if it is pending,
 * upcalls as a send would have. (Clearing the bit in shared_info directly
 * does not upcall.) Errors:
 *   -XEN_EINVAL  port is out of range
 */
struct evtchn_unmask {
	evtchn_port_t port; /* IN */
};
_Static_assert(sizeof(struct evtchn_unmask) == 4, "Xen ABI");

/*
 * EVTCHNOP_reset: closes every port of domain dom (DOMID_SELF, or another
 * domain with ATOLL_CAP_DOMCTL). Errors:
 *   -XEN_EPERM   dom is another domain and the caller lacks the capability
 *   -XEN_ESRCH   dom does not exist
 */
struct evtchn_reset {
	domid_t dom; /* IN */
};
_Static_assert(sizeof(struct evtchn_reset) == 2, "Xen ABI");

#endif
