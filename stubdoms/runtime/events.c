// SPDX-License-Identifier: GPL-2.0-only
/*
 * Event channels, 2-level ABI: the upcall scans evtchn_pending_sel, then
 * each selected word of evtchn_pending under evtchn_mask, and runs the
 * handler of every pending port. A port with no handler stays pending:
 * setting a handler unmasks the port, and the hypervisor raises it again.
 * Needs no libc (the freestanding test domains link it too).
 */
#include <rt/events.h>
#include <rt/hypercall.h>
#include <rt/rt.h>
#include <xen/callback.h>
#include <xen/errno.h>

/* Defined here, not in start.c, so the freestanding test domains, which
 * link this file and time.c without the rest, have them too. */
struct start_info *rt_start_info;
struct shared_info *rt_shared;

static struct {
	rt_event_fn fn;
	void *arg;
} handlers[RT_EVTCHN_MAX_PORTS];

extern char rt_upcall_entry[];

static struct vcpu_info *my_vcpu(void)
{
	return &rt_shared->vcpu_info[0];
}

void rt_events_init(void)
{
	struct callback_register cb = {
	    .type = CALLBACKTYPE_event,
	    .address = (uint64_t)rt_upcall_entry,
	};

	HC(__HYPERVISOR_callback_op, CALLBACKOP_register, &cb, 0);
}

static void run_port(evtchn_port_t port)
{
	unsigned w = port / 64;
	uint64_t bit = 1ULL << (port % 64);

	if (port >= RT_EVTCHN_MAX_PORTS || !handlers[port].fn)
		return;
	__atomic_fetch_and(&rt_shared->evtchn_pending[w], ~bit,
			   __ATOMIC_ACQ_REL);
	handlers[port].fn(port, handlers[port].arg);
}

static void scan_word(unsigned w)
{
	uint64_t bits =
	    __atomic_load_n(&rt_shared->evtchn_pending[w], __ATOMIC_ACQUIRE) &
	    ~__atomic_load_n(&rt_shared->evtchn_mask[w], __ATOMIC_ACQUIRE);

	while (bits) {
		unsigned b = __builtin_ctzll(bits);

		bits &= bits - 1;
		run_port(w * 64 + b);
	}
}

void rt_events_poll(void)
{
	struct vcpu_info *vi = my_vcpu();

	while (__atomic_exchange_n(&vi->evtchn_upcall_pending, 0,
				   __ATOMIC_ACQ_REL)) {
		uint64_t sel = __atomic_exchange_n(&vi->evtchn_pending_sel, 0,
						   __ATOMIC_ACQ_REL);

		while (sel) {
			unsigned w = __builtin_ctzll(sel);

			sel &= sel - 1;
			scan_word(w);
		}
	}
}

/* From rt_upcall_entry, events masked. */
void rt_upcall(void)
{
	rt_events_poll();
}

unsigned long rt_irq_save(void)
{
	struct vcpu_info *vi = my_vcpu();
	unsigned long old = vi->evtchn_upcall_mask;

	__atomic_store_n(&vi->evtchn_upcall_mask, 1, __ATOMIC_SEQ_CST);
	return old;
}

void rt_irq_restore(unsigned long flags)
{
	struct vcpu_info *vi = my_vcpu();

	if (flags)
		return;
	/* Events that came while masked are run here, then unmask; one that
	 * slips in after the last check is delivered by upcall. */
	do {
		rt_events_poll();
		__atomic_store_n(&vi->evtchn_upcall_mask, 0, __ATOMIC_SEQ_CST);
		if (!__atomic_load_n(&vi->evtchn_upcall_pending,
				     __ATOMIC_SEQ_CST))
			return;
		__atomic_store_n(&vi->evtchn_upcall_mask, 1, __ATOMIC_SEQ_CST);
	} while (1);
}

void rt_evtchn_mask(evtchn_port_t port)
{
	if (port < RT_EVTCHN_MAX_PORTS)
		__atomic_fetch_or(&rt_shared->evtchn_mask[port / 64],
				  1ULL << (port % 64), __ATOMIC_ACQ_REL);
}

void rt_evtchn_unmask(evtchn_port_t port)
{
	struct evtchn_unmask u = {.port = port};

	/* The hypervisor clears the mask bit and re-raises a pending event. */
	hc_evtchn_op(EVTCHNOP_unmask, &u);
}

int rt_evtchn_handle(evtchn_port_t port, rt_event_fn fn, void *arg)
{
	unsigned long f;

	if (port >= RT_EVTCHN_MAX_PORTS)
		return -XEN_EINVAL;
	f = rt_irq_save();
	rt_evtchn_mask(port);
	handlers[port].fn = fn;
	handlers[port].arg = arg;
	rt_irq_restore(f);
	rt_evtchn_unmask(port);
	return 0;
}

void rt_evtchn_unhandle(evtchn_port_t port)
{
	unsigned long f;

	if (port >= RT_EVTCHN_MAX_PORTS)
		return;
	f = rt_irq_save();
	rt_evtchn_mask(port);
	handlers[port].fn = 0;
	handlers[port].arg = 0;
	rt_irq_restore(f);
}

int rt_evtchn_alloc_unbound(domid_t remote, evtchn_port_t *port)
{
	struct evtchn_alloc_unbound a = {.dom = DOMID_SELF,
					 .remote_dom = remote};
	int rc = hc_evtchn_op(EVTCHNOP_alloc_unbound, &a);

	if (!rc)
		*port = a.port;
	return rc;
}

int rt_evtchn_bind_interdomain(domid_t remote, evtchn_port_t remote_port,
			       evtchn_port_t *port)
{
	struct evtchn_bind_interdomain b = {.remote_dom = remote,
					    .remote_port = remote_port};
	int rc = hc_evtchn_op(EVTCHNOP_bind_interdomain, &b);

	if (!rc)
		*port = b.local_port;
	return rc;
}

int rt_evtchn_bind_virq(uint32_t virq, evtchn_port_t *port)
{
	struct evtchn_bind_virq b = {.virq = virq, .vcpu = 0};
	int rc = hc_evtchn_op(EVTCHNOP_bind_virq, &b);

	if (!rc)
		*port = b.port;
	return rc;
}

int rt_evtchn_send(evtchn_port_t port)
{
	struct evtchn_send s = {.port = port};

	return hc_evtchn_op(EVTCHNOP_send, &s);
}

int rt_evtchn_close(evtchn_port_t port)
{
	struct evtchn_close c = {.port = port};

	rt_evtchn_unhandle(port);
	return hc_evtchn_op(EVTCHNOP_close, &c);
}
