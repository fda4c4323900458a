// SPDX-License-Identifier: GPL-2.0-only
/*
 * The small hypercalls: console_io, sched_op, vcpu_op, xen_version,
 * callback_op and Atoll's test op. Each validates everything first and only
 * then acts (decode, then invoke).
 */
#include <atoll/arch.h>
#include <atoll/domain_build.h>
#include <atoll/evtchn.h>
#include <atoll/guest.h>
#include <atoll/hcall.h>
#include <atoll/log.h>
#include <atoll/printk.h>
#include <atoll/sched.h>
#include <atoll/string.h>
#include <atoll/caps.h>
#include <atoll/core.h>
#include <atoll/hypercall.h>
#include <xen/callback.h>
#include <xen/errno.h>
#include <xen/sched.h>
#include <xen/vcpu.h>
#include <xen/version.h>
#include <xen/xen.h>

#define CONSOLE_CHUNK	     256
#define CONSOLE_WRITE_MAX    4096 /* bytes taken per call; the rest is cut */
#define POLL_PORTS_MAX	     8
/* XENVER_version: Atoll 0.1 reports itself as version 0.1. */
#define ATOLL_XENVER_VERSION ((0 << 16) | 1)

static void console_flush(struct domain *d)
{
	char prefix[DOMAIN_NAME_MAX + 16];

	snprintf(prefix, sizeof(prefix), "(d%u %s) ", d->id, d->name);
	log_prefixed_line(prefix, d->con_line, d->con_len);
	d->con_len = 0;
}

static void console_put(struct domain *d, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\n' || d->con_len == sizeof(d->con_line)) {
			console_flush(d);
			if (s[i] == '\n')
				continue;
		}
		if (s[i] != '\r')
			d->con_line[d->con_len++] = s[i];
	}
}

static long read_log(struct domain *d, uint64_t arg)
{
	struct atoll_console_log req;
	char chunk[CONSOLE_CHUNK];
	uint64_t done = 0;

	if (!(d->caps & ATOLL_CAP_CONSOLE))
		return -XEN_EPERM;
	if (copy_from_guest(d, &req, arg, sizeof(req)))
		return -XEN_EFAULT;
	while (done < req.count) {
		size_t n = log_read(&req.pos, chunk,
				    MIN(req.count - done, sizeof(chunk)));

		if (!n)
			break;
		if (copy_to_guest(d, req.buffer + done, chunk, n))
			return -XEN_EFAULT;
		done += n;
	}
	if (copy_to_guest(d, arg, &req, sizeof(req)))
		return -XEN_EFAULT;
	return (long)done;
}

long do_console_io(unsigned cmd, uint64_t count, uint64_t buffer)
{
	struct domain *d = current_domain();
	char chunk[CONSOLE_CHUNK];
	uint64_t done = 0;

	if (cmd == CONSOLEIO_read)
		return (d->caps & ATOLL_CAP_CONSOLE) ? 0 : -XEN_EPERM;
	if (cmd == ATOLL_CONSOLEIO_read_log)
		return read_log(d, buffer);
	if (cmd != CONSOLEIO_write)
		return -XEN_ENOSYS;
	count = MIN(count, CONSOLE_WRITE_MAX);
	while (done < count) {
		size_t n = MIN(count - done, sizeof(chunk));

		if (copy_from_guest(d, chunk, buffer + done, n))
			return -XEN_EFAULT;
		console_put(d, chunk, n);
		done += n;
	}
	return 0;
}

static long sched_shutdown(uint64_t arg)
{
	struct sched_shutdown s;

	if (copy_from_guest(current_domain(), &s, arg, sizeof(s)))
		return -XEN_EFAULT;
	if (s.reason > SHUTDOWN_watchdog)
		return -XEN_EINVAL;
	domain_shutdown(current_domain(), s.reason);
	return 0;
}

static void poll_timeout(struct timer *t)
{
	sched_wake(t->data);
}

static long sched_poll(uint64_t arg)
{
	struct vcpu *v = current_vcpu();
	struct sched_poll p;
	uint32_t ports[POLL_PORTS_MAX];

	if (copy_from_guest(v->domain, &p, arg, sizeof(p)))
		return -XEN_EFAULT;
	if (!p.nr_ports || p.nr_ports > POLL_PORTS_MAX)
		return -XEN_EINVAL;
	if (copy_from_guest(v->domain, ports, p.ports,
			    p.nr_ports * sizeof(ports[0])))
		return -XEN_EFAULT;
	for (unsigned i = 0; i < p.nr_ports; i++) {
		if (ports[i] >= EVTCHN_MAX_PORTS)
			return -XEN_EINVAL;
	}
	/* Publish what we wait for before looking, so a send in between
	 * either sees us polling or is seen by the check. */
	memcpy(v->poll_ports, ports, p.nr_ports * sizeof(ports[0]));
	__atomic_store_n(&v->poll_count, p.nr_ports, __ATOMIC_SEQ_CST);
	for (unsigned i = 0; i < p.nr_ports; i++) {
		if (evtchn_port_pending(v->domain, ports[i])) {
			v->poll_count = 0;
			return 0;
		}
	}
	if (p.timeout)
		timer_set(&v->poll_timer, p.timeout);
	sched_block_current();
	return 0;
}

long do_sched_op(unsigned cmd, uint64_t arg)
{
	struct vcpu *v = current_vcpu();

	switch (cmd) {
	case SCHEDOP_yield:
		sched_yield_current();
		return 0;
	case SCHEDOP_block:
		/* Blocking re-enables event delivery, as on Xen. */
		WRITE_ONCE(
		    v->domain->shared->vcpu_info[v->id].evtchn_upcall_mask, 0);
		sched_block_current();
		return 0;
	case SCHEDOP_shutdown:
		return sched_shutdown(arg);
	case SCHEDOP_poll:
		return sched_poll(arg);
	default:
		return -XEN_ENOSYS;
	}
}

static void singleshot_fired(struct timer *t)
{
	evtchn_send_virq(t->data, VIRQ_TIMER);
}

/* Once per vCPU, at creation: re-initialising an armed timer would
 * corrupt the timer list. */
void hc_vcpu_timers_init(struct vcpu *v)
{
	timer_init(&v->singleshot, singleshot_fired, v);
	timer_init(&v->poll_timer, poll_timeout, v);
}

static long set_singleshot(struct vcpu *v, uint64_t arg)
{
	struct vcpu_set_singleshot_timer st;

	if (copy_from_guest(v->domain, &st, arg, sizeof(st)))
		return -XEN_EFAULT;
	if ((st.flags & VCPU_SSHOTTMR_future) &&
	    st.timeout_abs_ns < arch_now_ns())
		return -XEN_ETIME;
	timer_set(&v->singleshot, st.timeout_abs_ns);
	return 0;
}

long do_vcpu_op(unsigned cmd, unsigned vcpuid, uint64_t arg)
{
	struct domain *d = current_domain();
	struct vcpu *v;

	if (vcpuid >= d->vcpu_count)
		return -XEN_ENOENT;
	v = d->vcpus[vcpuid];
	switch (cmd) {
	case VCPUOP_set_singleshot_timer:
		return v == current_vcpu() ? set_singleshot(v, arg)
					   : -XEN_EINVAL;
	case VCPUOP_stop_singleshot_timer:
		timer_cancel(&v->singleshot);
		return 0;
	case VCPUOP_is_up:
		return v->state != VCPU_DOWN;
	default:
		return -XEN_ENOSYS;
	}
}

long do_xen_version(unsigned cmd, uint64_t arg)
{
	static const char extra[XEN_EXTRAVERSION_LEN] = "-atoll-" ATOLL_VERSION;

	switch (cmd) {
	case XENVER_version:
		return ATOLL_XENVER_VERSION;
	case XENVER_extraversion:
		return copy_to_guest(current_domain(), arg, extra,
				     sizeof(extra));
	default:
		return -XEN_ENOSYS;
	}
}

long do_callback_op(unsigned cmd, uint64_t arg)
{
	struct callback_register cb;
	struct vcpu *v = current_vcpu();

	if (cmd != CALLBACKOP_register)
		return -XEN_ENOSYS;
	if (copy_from_guest(v->domain, &cb, arg, sizeof(cb)))
		return -XEN_EFAULT;
	if (cb.type != CALLBACKTYPE_event)
		return -XEN_EINVAL;
	if (!aspace_is_domain_va(cb.address))
		return -XEN_EINVAL;
	/* Every vCPU of the domain upcalls to the same entry. */
	for (unsigned i = 0; i < v->domain->vcpu_count; i++)
		v->domain->vcpus[i]->event_callback = cb.address;
	return 0;
}

static long caps_query(struct domain *self, uint64_t arg)
{
	struct atoll_caps_query q;
	struct domain *d;

	if (copy_from_guest(self, &q, arg, sizeof(q)))
		return -XEN_EFAULT;
	if (q.pad[0] || q.pad[1] || q.pad[2])
		return -XEN_EINVAL;
	d = q.domid == DOMID_SELF ? self : domain_get(q.domid);
	if (d != self && !(self->caps & ATOLL_CAP_DOMCTL))
		return -XEN_EPERM;
	if (!d)
		return -XEN_ESRCH;
	q.caps = d->caps;
	q.domid = d->id; /* how a domain learns its own id */
	return copy_to_guest(self, arg, &q, sizeof(q));
}

/* Capabilities can be looked at and given up, never gained. */
long do_atoll_caps(unsigned cmd, uint64_t arg)
{
	struct domain *self = current_domain();
	struct atoll_caps_drop drop;

	switch (cmd) {
	case ATOLL_CAPSOP_query:
		return caps_query(self, arg);
	case ATOLL_CAPSOP_drop:
		if (copy_from_guest(self, &drop, arg, sizeof(drop)))
			return -XEN_EFAULT;
		if (drop.caps & ~(uint64_t)ATOLL_CAP_ALL)
			return -XEN_EINVAL;
		self->caps &= ~(uint32_t)drop.caps;
		return 0;
	default:
		return -XEN_ENOSYS;
	}
}

/* Atoll's test op: the null hypercall the benchmarks time. */
long do_atoll_test(unsigned cmd, uint64_t arg)
{
	switch (cmd) {
	case ATOLL_TEST_null:
		return 0;
	default:
		return -XEN_ENOSYS;
	}
}
