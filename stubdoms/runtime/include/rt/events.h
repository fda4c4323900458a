/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Event channels: binding, handlers, masking. Handlers run from the event
 * upcall (or from rt_events_poll) with events masked; they must be short
 * and must not block: wake a thread (rt_wake_all) and let it do the work.
 *
 * Functions returning int give 0 or a negative Xen errno (-XEN_E*).
 */
#ifndef RT_EVENTS_H
#define RT_EVENTS_H

#include <stdbool.h>
#include <xen/event_channel.h>

#define RT_EVTCHN_MAX_PORTS 1024 /* the core's per-domain limit */

typedef void (*rt_event_fn)(evtchn_port_t port, void *arg);

/* Registers the upcall; events stay masked until rt_irq_restore(0). */
void rt_events_init(void);

/* Sets port's handler and unmasks it (an event already pending fires). */
int rt_evtchn_handle(evtchn_port_t port, rt_event_fn fn, void *arg);
/* Masks port and forgets its handler. */
void rt_evtchn_unhandle(evtchn_port_t port);

int rt_evtchn_alloc_unbound(domid_t remote, evtchn_port_t *port);
int rt_evtchn_bind_interdomain(domid_t remote, evtchn_port_t remote_port,
			       evtchn_port_t *port);
int rt_evtchn_bind_virq(uint32_t virq, evtchn_port_t *port);
int rt_evtchn_send(evtchn_port_t port);
int rt_evtchn_close(evtchn_port_t port);
void rt_evtchn_mask(evtchn_port_t port);
void rt_evtchn_unmask(evtchn_port_t port);

/*
 * Masks event delivery for this vCPU and returns the previous mask;
 * rt_irq_restore puts it back and runs whatever arrived meanwhile.
 */
unsigned long rt_irq_save(void);
void rt_irq_restore(unsigned long flags);

/* Runs the handlers of pending, unmasked ports; events must be masked. */
void rt_events_poll(void);

#endif
