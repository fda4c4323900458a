/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Event channels: Xen's 2-level ABI (xen/event_channel.h). Locking rules
 * and the choices Atoll makes where Xen leaves room: kernel/common/evtchn.c.
 */
#ifndef ATOLL_EVTCHN_H
#define ATOLL_EVTCHN_H

#include <atoll/domain.h>
#include <xen/event_channel.h>

/*
 * Ports per domain: a documented subset of the 4096 the 2-level ABI allows,
 * so that a domain's table fits in four frames. Port 0 is never allocated.
 */
#define EVTCHN_MAX_PORTS 1024

/* Allocates d's port table; called while building d (may fail). */
int evtchn_domain_init(struct domain *d) __must_check;
/* d is now visible: nothing to do yet, kept for symmetry with destroy. */
void evtchn_domain_created(struct domain *d);
/* Closes every port (interdomain peers see their end become unbound). */
void evtchn_domain_destroy(struct domain *d);
/* Frees the table; the last step of tearing d down. */
void evtchn_domain_free(struct domain *d);

/*
 * For the core's domain builder: allocates an unbound port in d that
 * domain remote may bind to (EVTCHNOP_alloc_unbound without the caller
 * checks). Returns 0 and the port, -XEN_ENOSPC if d has no free port, or
 * -XEN_ESRCH if d is being destroyed.
 */
int evtchn_alloc_unbound(struct domain *d, domid_t remote,
			 evtchn_port_t *port) __must_check;

/* Raises virq on vCPU v if it bound it (VIRQ_TIMER, ...). */
void evtchn_send_virq(struct vcpu *v, unsigned virq);
/* Raises a global virq (VIRQ_DOM_EXC) in every domain that bound it. */
void evtchn_send_virq_global(unsigned virq);

/*
 * Physical IRQs (hc_physdev.c calls these). evtchn_send_pirq raises port of
 * d if it is still bound to gsi; takes d's lock (the pirq lock must not be
 * held). evtchn_pirq_revoke closes d's port bound to gsi, if any, after gsi
 * changed hands (resource lock not held).
 */
void evtchn_send_pirq(struct domain *d, evtchn_port_t port, uint32_t gsi);
void evtchn_pirq_revoke(struct domain *d, uint32_t gsi);

/* True if v has an event pending it has not masked (for SCHEDOP_block).
 * Takes no lock: the scheduler calls it with a run-queue lock held. */
bool evtchn_vcpu_has_pending(struct vcpu *v);
/* True if port's pending bit is set in d's shared_info (SCHEDOP_poll);
 * false for a port out of range. Takes no lock. */
bool evtchn_port_pending(struct domain *d, evtchn_port_t port);

long do_event_channel_op(unsigned cmd, uint64_t arg);

/* Debug key 'e'. */
void evtchn_dump(void);

#endif
