// SPDX-License-Identifier: GPL-2.0-only
/*
 * Event channels (kernel/common/evtchn.c) against a fake core: three
 * domains (ids 1..3, two vCPUs each) with real shared_info pages in host
 * memory, a current domain the tests switch, guest copies that treat a
 * guest address as a host pointer (but fault in a designated range, and
 * refuse writes to one read-only buffer), a malloc-backed frame allocator
 * that counts what is outstanding, and a sched_wake() that counts wakes.
 *
 * Every test ends by destroying and freeing all domains' tables and checks
 * that no frame leaked.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <atoll/caps.h>
#include <atoll/domain_build.h>
#include <atoll/evtchn.h>
#include <atoll/frame.h>
#include <atoll/guest.h>
#include <atoll/sched.h>
#include <xen/errno.h>
#include "fake_core.h"

#define NDOMS  3
#define NVCPUS 2

/* ---- Fake core ------------------------------------------------------- */

struct fake_dom {
	struct domain d;
	struct shared_info shared;
	struct vcpu vcpu[NVCPUS];
	unsigned wakes[NVCPUS];
};

static struct fake_dom doms[NDOMS + 1]; /* by id; [0] unused */
static struct domain *fake_table[DOMAIN_MAX + 1];
static __thread struct domain *fake_current; /* per thread: see stress */
static long frames_out;	      /* frames allocated and not yet freed */
static bool frame_alloc_fail; /* next frame_alloc() fails */

/* Guest addresses in [BAD_GVA, BAD_GVA + BAD_LEN) fault both ways. */
#define BAD_GVA 0x1000ULL
#define BAD_LEN 0x1000ULL
/* A buffer the guest may read but not write. */
static union {
	struct evtchn_alloc_unbound alloc;
	struct evtchn_status status;
	struct evtchn_bind_interdomain bind;
	struct evtchn_bind_virq virq;
	struct evtchn_bind_ipi ipi;
	struct evtchn_send send;
} ro_arg;

struct domain *current_domain(void)
{
	return fake_current;
}

struct domain *domain_get(domid_t id)
{
	return id <= DOMAIN_MAX ? fake_table[id] : NULL;
}

void domain_for_each(void (*fn)(struct domain *d, void *ctx), void *ctx)
{
	for (unsigned i = 0; i <= DOMAIN_MAX; i++) {
		if (fake_table[i])
			fn(fake_table[i], ctx);
	}
}

void sched_wake(struct vcpu *v)
{
	__atomic_fetch_add(
	    &container_of(v->domain, struct fake_dom, d)->wakes[v->id], 1,
	    __ATOMIC_RELAXED);
}

static bool bad_gva(uint64_t gva, size_t len)
{
	return gva < BAD_GVA + BAD_LEN && gva + len > BAD_GVA;
}

int copy_from_guest(struct domain *d, void *dst, uint64_t gva, size_t len)
{
	assert_ptr_equal(d, fake_current);
	if (bad_gva(gva, len))
		return -XEN_EFAULT;
	memcpy(dst, (const void *)(uintptr_t)gva, len);
	return 0;
}

int copy_to_guest(struct domain *d, uint64_t gva, const void *src, size_t len)
{
	uint64_t ro = (uintptr_t)&ro_arg;

	assert_ptr_equal(d, fake_current);
	if (bad_gva(gva, len) || (gva < ro + sizeof(ro_arg) && gva + len > ro))
		return -XEN_EFAULT;
	memcpy((void *)(uintptr_t)gva, src, len);
	return 0;
}

bool frame_alloc(unsigned order, paddr_t *out)
{
	void *p;

	if (frame_alloc_fail) {
		frame_alloc_fail = false;
		return false;
	}
	p = aligned_alloc(PAGE_SIZE, PAGE_SIZE << order);
	assert_non_null(p);
	memset(p, 0xa5, PAGE_SIZE << order); /* frames come dirty */
	frames_out += 1L << order;
	*out = pa_init((uintptr_t)p);
	return true;
}

void frame_free(paddr_t pa, unsigned order)
{
	frames_out -= 1L << order;
	free((void *)(uintptr_t)pa_addr(pa));
}

/* ---- Fixture ----------------------------------------------------------- */

static int setup(void **state)
{
	memset(doms, 0, sizeof(doms));
	memset(fake_table, 0, sizeof(fake_table));
	frames_out = 0;
	for (unsigned id = 1; id <= NDOMS; id++) {
		struct fake_dom *fd = &doms[id];

		fd->d.id = id;
		fd->d.shared = &fd->shared;
		fd->d.vcpu_count = NVCPUS;
		for (unsigned i = 0; i < NVCPUS; i++) {
			fd->vcpu[i].domain = &fd->d;
			fd->vcpu[i].id = i;
			fd->d.vcpus[i] = &fd->vcpu[i];
		}
		assert_int_equal(evtchn_domain_init(&fd->d), 0);
		assert_non_null(fd->d.evtchn);
		fake_table[id] = &fd->d;
	}
	fake_current = &doms[1].d;
	return 0;
}

static int teardown(void **state)
{
	for (unsigned id = 1; id <= NDOMS; id++) {
		if (doms[id].d.evtchn)
			evtchn_domain_destroy(&doms[id].d);
	}
	for (unsigned id = 1; id <= NDOMS; id++) {
		evtchn_domain_free(&doms[id].d);
		assert_null(doms[id].d.evtchn);
	}
	assert_int_equal(frames_out, 0);
	return 0;
}

/* ---- Helpers: hypercalls made as domain `as` ---------------------------- */

static void as(domid_t id)
{
	fake_current = &doms[id].d;
}

static long hc(unsigned cmd, void *arg)
{
	return do_event_channel_op(cmd, (uint64_t)(uintptr_t)arg);
}

static long alloc_unbound(domid_t dom, domid_t remote, evtchn_port_t *port)
{
	struct evtchn_alloc_unbound a = {.dom = dom, .remote_dom = remote};
	long rc = hc(EVTCHNOP_alloc_unbound, &a);

	if (port)
		*port = rc ? 0 : a.port;
	return rc;
}

static long bind_interdomain(domid_t rdom, evtchn_port_t rport,
			     evtchn_port_t *lport)
{
	struct evtchn_bind_interdomain b = {.remote_dom = rdom,
					    .remote_port = rport};
	long rc = hc(EVTCHNOP_bind_interdomain, &b);

	if (lport)
		*lport = rc ? 0 : b.local_port;
	return rc;
}

static long bind_virq(uint32_t virq, uint32_t vcpu, evtchn_port_t *port)
{
	struct evtchn_bind_virq b = {.virq = virq, .vcpu = vcpu};
	long rc = hc(EVTCHNOP_bind_virq, &b);

	if (port)
		*port = rc ? 0 : b.port;
	return rc;
}

static long bind_ipi(uint32_t vcpu, evtchn_port_t *port)
{
	struct evtchn_bind_ipi b = {.vcpu = vcpu};
	long rc = hc(EVTCHNOP_bind_ipi, &b);

	if (port)
		*port = rc ? 0 : b.port;
	return rc;
}

static long ev_close(evtchn_port_t port)
{
	struct evtchn_close c = {.port = port};

	return hc(EVTCHNOP_close, &c);
}

static long ev_send(evtchn_port_t port)
{
	struct evtchn_send s = {.port = port};

	return hc(EVTCHNOP_send, &s);
}

static long ev_unmask(evtchn_port_t port)
{
	struct evtchn_unmask u = {.port = port};

	return hc(EVTCHNOP_unmask, &u);
}

static long ev_status(domid_t dom, evtchn_port_t port, struct evtchn_status *st)
{
	memset(st, 0xee, sizeof(*st));
	st->dom = dom;
	st->pad = 0;
	st->port = port;
	return hc(EVTCHNOP_status, st);
}

static long ev_bind_vcpu(evtchn_port_t port, uint32_t vcpu)
{
	struct evtchn_bind_vcpu b = {.port = port, .vcpu = vcpu};

	return hc(EVTCHNOP_bind_vcpu, &b);
}

static long ev_reset(domid_t dom)
{
	struct evtchn_reset r = {.dom = dom};

	return hc(EVTCHNOP_reset, &r);
}

/* ---- Helpers: looking at shared_info ----------------------------------- */

static struct shared_info *si(domid_t id)
{
	return &doms[id].shared;
}

static bool pending(domid_t id, evtchn_port_t port)
{
	return si(id)->evtchn_pending[port / 64] & (1ULL << (port % 64));
}

static void set_mask(domid_t id, evtchn_port_t port, bool on)
{
	if (on)
		si(id)->evtchn_mask[port / 64] |= 1ULL << (port % 64);
	else
		si(id)->evtchn_mask[port / 64] &= ~(1ULL << (port % 64));
}

static bool masked(domid_t id, evtchn_port_t port)
{
	return si(id)->evtchn_mask[port / 64] & (1ULL << (port % 64));
}

static unsigned wakes(domid_t id, unsigned vcpu)
{
	return doms[id].wakes[vcpu];
}

/* Forgets every event of every domain, as a guest handling them would. */
static void clear_events(void)
{
	for (unsigned id = 1; id <= NDOMS; id++) {
		struct shared_info *s = si(id);

		memset(s->evtchn_pending, 0, sizeof(s->evtchn_pending));
		for (unsigned v = 0; v < NVCPUS; v++) {
			s->vcpu_info[v].evtchn_upcall_pending = 0;
			s->vcpu_info[v].evtchn_pending_sel = 0;
			doms[id].wakes[v] = 0;
		}
	}
}

/* True if nothing is pending anywhere in domain id. */
static bool quiet(domid_t id)
{
	struct shared_info *s = si(id);

	for (unsigned w = 0; w < 64; w++) {
		if (s->evtchn_pending[w])
			return false;
	}
	for (unsigned v = 0; v < NVCPUS; v++) {
		if (s->vcpu_info[v].evtchn_upcall_pending ||
		    s->vcpu_info[v].evtchn_pending_sel || doms[id].wakes[v])
			return false;
	}
	return true;
}

/* Checks that port is pending in id and upcalled on vcpu, woken once. */
static void assert_delivered(domid_t id, evtchn_port_t port, unsigned vcpu)
{
	struct vcpu_info *vi = &si(id)->vcpu_info[vcpu];

	assert_true(pending(id, port));
	assert_int_equal(vi->evtchn_upcall_pending, 1);
	assert_int_equal(vi->evtchn_pending_sel, 1ULL << (port / 64));
	assert_int_equal(wakes(id, vcpu), 1);
}

/* Takes `count` ports of domain id out of use (IPIs on vCPU 0). */
static void use_ports(domid_t id, unsigned count)
{
	domid_t was = fake_current->id;

	as(id);
	for (unsigned i = 0; i < count; i++)
		assert_int_equal(bind_ipi(0, NULL), 0);
	as(was);
}

/* a offers a port to b, b binds it; events cleared. Returns a's port. */
static evtchn_port_t connect(domid_t a, domid_t b, evtchn_port_t *bport)
{
	evtchn_port_t aport;

	as(a);
	assert_int_equal(alloc_unbound(DOMID_SELF, b, &aport), 0);
	as(b);
	assert_int_equal(bind_interdomain(a, aport, bport), 0);
	clear_events();
	return aport;
}

static void assert_status(domid_t id, evtchn_port_t port, uint32_t status)
{
	struct evtchn_status st;

	as(id);
	assert_int_equal(ev_status(DOMID_SELF, port, &st), 0);
	assert_int_equal(st.status, status);
}

/* ---- Tests ------------------------------------------------------------ */

static void test_init_failure_and_free(void **state)
{
	struct domain d = {.id = 9};

	frame_alloc_fail = true;
	assert_int_equal(evtchn_domain_init(&d), -XEN_ENOMEM);
	assert_null(d.evtchn);
	evtchn_domain_free(&d); /* nothing to free: fine */
	assert_int_equal(frames_out, 4 * NDOMS);
}

static void test_alloc_unbound(void **state)
{
	struct evtchn_status st;
	evtchn_port_t p1, p2;

	as(1);
	assert_int_equal(alloc_unbound(DOMID_SELF, 2, &p1), 0);
	assert_int_equal(p1, 1); /* port 0 is reserved */
	assert_int_equal(alloc_unbound(1, DOMID_SELF, &p2), 0);
	assert_int_equal(p2, 2);
	assert_int_equal(ev_status(DOMID_SELF, p1, &st), 0);
	assert_int_equal(st.status, EVTCHNSTAT_unbound);
	assert_int_equal(st.u.unbound.dom, 2);
	assert_int_equal(st.vcpu, 0);
	assert_int_equal(ev_status(DOMID_SELF, p2, &st), 0);
	assert_int_equal(st.u.unbound.dom, 1); /* DOMID_SELF: the caller */
	assert_true(quiet(1) && quiet(2));
}

static void test_alloc_unbound_errors(void **state)
{
	evtchn_port_t p;

	as(1);
	assert_int_equal(alloc_unbound(2, 3, NULL), -XEN_EPERM);
	assert_int_equal(alloc_unbound(7, 3, NULL), -XEN_ESRCH);
	assert_int_equal(alloc_unbound(DOMID_SELF, 7, NULL), -XEN_ESRCH);
	assert_int_equal(alloc_unbound(DOMID_SELF, DOMID_INVALID, NULL),
			 -XEN_ESRCH);
	/* Nothing was allocated by the failures. */
	assert_int_equal(alloc_unbound(DOMID_SELF, 2, &p), 0);
	assert_int_equal(p, 1);
	as(2);
	assert_int_equal(alloc_unbound(DOMID_SELF, 1, &p), 0);
	assert_int_equal(p, 1);
}

static void test_alloc_unbound_for_other_with_domctl(void **state)
{
	struct evtchn_status st;
	evtchn_port_t p, q;

	doms[1].d.caps = ATOLL_CAP_DOMCTL;
	as(1);
	/* A builder prepares d2's channel to itself. */
	assert_int_equal(alloc_unbound(2, DOMID_SELF, &p), 0);
	assert_int_equal(ev_status(2, p, &st), 0);
	assert_int_equal(st.status, EVTCHNSTAT_unbound);
	assert_int_equal(st.u.unbound.dom, 1);
	assert_int_equal(bind_interdomain(2, p, &q), 0);
	assert_int_equal(ev_status(2, p, &st), 0);
	assert_int_equal(st.status, EVTCHNSTAT_interdomain);
	assert_int_equal(st.u.interdomain.dom, 1);
	assert_int_equal(st.u.interdomain.port, q);
	/* The core's builder API does the same without a caller. */
	assert_int_equal(evtchn_alloc_unbound(&doms[3].d, 1, &p), 0);
	assert_int_equal(p, 1);
	assert_status(3, p, EVTCHNSTAT_unbound);
}

static void test_bind_interdomain(void **state)
{
	struct evtchn_status st;
	evtchn_port_t a, b;

	use_ports(2, 4);
	as(1);
	assert_int_equal(alloc_unbound(DOMID_SELF, 2, &a), 0);
	as(2);
	assert_int_equal(bind_interdomain(1, a, &b), 0);
	assert_int_equal(b, 5);
	/* Like Xen, the binder gets one notification for what it missed. */
	assert_delivered(2, b, 0);
	assert_true(quiet(1));
	assert_int_equal(ev_status(DOMID_SELF, b, &st), 0);
	assert_int_equal(st.status, EVTCHNSTAT_interdomain);
	assert_int_equal(st.u.interdomain.dom, 1);
	assert_int_equal(st.u.interdomain.port, a);
	as(1);
	assert_int_equal(ev_status(DOMID_SELF, a, &st), 0);
	assert_int_equal(st.status, EVTCHNSTAT_interdomain);
	assert_int_equal(st.u.interdomain.dom, 2);
	assert_int_equal(st.u.interdomain.port, b);
	/* The port is taken now. */
	as(2);
	assert_int_equal(bind_interdomain(1, a, NULL), -XEN_EINVAL);
}

static void test_send_both_ways(void **state)
{
	evtchn_port_t a, b;

	use_ports(1, 70); /* a lands in word 1 */
	a = connect(1, 2, &b);
	assert_int_equal(a, 71);
	as(1);
	assert_int_equal(ev_send(a), 0);
	assert_delivered(2, b, 0);
	assert_true(quiet(1) && quiet(3));
	clear_events();
	as(2);
	assert_int_equal(ev_send(b), 0);
	assert_delivered(1, a, 0);
	assert_int_equal(si(1)->vcpu_info[0].evtchn_pending_sel, 1ULL << 1);
	assert_true(quiet(2) && quiet(3));
}

static void test_send_already_pending(void **state)
{
	evtchn_port_t a, b;

	a = connect(1, 2, &b);
	as(1);
	assert_int_equal(ev_send(a), 0);
	assert_int_equal(ev_send(a), 0);
	assert_delivered(2, b, 0); /* one wake: the second send adds nothing */
	/* The guest clears the upcall flag but not the port: still nothing. */
	si(2)->vcpu_info[0].evtchn_upcall_pending = 0;
	assert_int_equal(ev_send(a), 0);
	assert_int_equal(si(2)->vcpu_info[0].evtchn_upcall_pending, 0);
	assert_int_equal(wakes(2, 0), 1);
}

static void test_masked_then_unmask(void **state)
{
	evtchn_port_t a, b;

	a = connect(1, 2, &b);
	set_mask(2, b, true);
	as(1);
	assert_int_equal(ev_send(a), 0);
	assert_true(pending(2, b));
	assert_int_equal(si(2)->vcpu_info[0].evtchn_upcall_pending, 0);
	assert_int_equal(si(2)->vcpu_info[0].evtchn_pending_sel, 0);
	assert_int_equal(wakes(2, 0), 0);
	assert_false(evtchn_vcpu_has_pending(&doms[2].vcpu[0]));
	/* Unmasking through the hypercall re-raises the upcall. */
	as(2);
	assert_int_equal(ev_unmask(b), 0);
	assert_false(masked(2, b));
	assert_delivered(2, b, 0);
	assert_true(evtchn_vcpu_has_pending(&doms[2].vcpu[0]));
	assert_true(quiet(1));
}

static void test_unmask_cases(void **state)
{
	evtchn_port_t a, b;

	a = connect(1, 2, &b);
	as(2);
	set_mask(2, b, true);
	/* Not pending: the bit goes, nothing is raised. */
	assert_int_equal(ev_unmask(b), 0);
	assert_false(masked(2, b));
	assert_true(quiet(2));
	/* Any port in range may be unmasked, as in Xen; beyond: -EINVAL. */
	set_mask(2, 0, true);
	set_mask(2, 900, true);
	assert_int_equal(ev_unmask(0), 0);
	assert_int_equal(ev_unmask(900), 0);
	assert_false(masked(2, 0) || masked(2, 900));
	set_mask(2, EVTCHN_MAX_PORTS, true);
	assert_int_equal(ev_unmask(EVTCHN_MAX_PORTS), -XEN_EINVAL);
	assert_int_equal(ev_unmask(UINT32_MAX), -XEN_EINVAL);
	assert_true(masked(2, EVTCHN_MAX_PORTS));
	assert_true(quiet(2) && quiet(1));
	(void)a;
}

static void test_close_makes_peer_unbound(void **state)
{
	struct evtchn_status st;
	evtchn_port_t a, b, a2;

	a = connect(1, 2, &b);
	as(1);
	assert_int_equal(ev_close(a), 0);
	assert_status(1, a, EVTCHNSTAT_closed);
	as(2);
	assert_int_equal(ev_status(DOMID_SELF, b, &st), 0);
	assert_int_equal(st.status, EVTCHNSTAT_unbound);
	assert_int_equal(st.u.unbound.dom, 1);
	/* Sending on the now unbound end is dropped silently. */
	assert_int_equal(ev_send(b), 0);
	assert_true(quiet(1) && quiet(2));
	/* The closer can bind again; nobody else can. */
	as(3);
	assert_int_equal(bind_interdomain(2, b, NULL), -XEN_EINVAL);
	as(1);
	assert_int_equal(bind_interdomain(2, b, &a2), 0);
	assert_int_equal(a2, a); /* the freed number is reused */
	clear_events();
	assert_int_equal(ev_send(a2), 0);
	assert_delivered(2, b, 0);
}

static void test_close_from_higher_id(void **state)
{
	struct evtchn_status st;
	evtchn_port_t a, c;

	/* d3 closes a channel to d1: the peer's lock must come first. */
	a = connect(1, 3, &c);
	as(3);
	assert_int_equal(ev_close(c), 0);
	assert_status(3, c, EVTCHNSTAT_closed);
	as(1);
	assert_int_equal(ev_status(DOMID_SELF, a, &st), 0);
	assert_int_equal(st.status, EVTCHNSTAT_unbound);
	assert_int_equal(st.u.unbound.dom, 3);
}

static void test_close_clears_pending(void **state)
{
	evtchn_port_t p;

	as(1);
	assert_int_equal(bind_ipi(1, &p), 0);
	assert_int_equal(ev_send(p), 0);
	assert_true(pending(1, p));
	assert_int_equal(ev_close(p), 0);
	assert_false(pending(1, p));
}

static void test_bind_not_offered(void **state)
{
	evtchn_port_t a, a3, b;
	struct evtchn_status st;

	as(1);
	assert_int_equal(alloc_unbound(DOMID_SELF, 2, &a), 0);
	as(3);
	assert_int_equal(bind_interdomain(1, a, NULL), -XEN_EINVAL);
	assert_int_equal(bind_interdomain(1, 0, NULL), -XEN_EINVAL);
	assert_int_equal(bind_interdomain(1, 77, NULL), -XEN_EINVAL); /* free */
	assert_int_equal(bind_interdomain(1, EVTCHN_MAX_PORTS, NULL),
			 -XEN_EINVAL);
	assert_int_equal(bind_interdomain(1, UINT32_MAX, NULL), -XEN_EINVAL);
	assert_int_equal(bind_interdomain(7, a, NULL), -XEN_ESRCH);
	assert_int_equal(bind_interdomain(DOMID_INVALID, a, NULL), -XEN_ESRCH);
	/* d3's own port of that number is free. */
	assert_int_equal(bind_interdomain(DOMID_SELF, a, NULL), -XEN_EINVAL);
	/* An interdomain port can't be bound a second time. */
	a3 = connect(1, 2, &b);
	as(3);
	assert_int_equal(bind_interdomain(1, a3, NULL), -XEN_EINVAL);
	/* No failure changed anything. */
	as(1);
	assert_int_equal(ev_status(DOMID_SELF, a, &st), 0);
	assert_int_equal(st.status, EVTCHNSTAT_unbound);
	assert_int_equal(st.u.unbound.dom, 2);
	assert_status(3, 1, EVTCHNSTAT_closed);
	assert_true(quiet(1) && quiet(2) && quiet(3));
}

static void test_loopback(void **state)
{
	evtchn_port_t a, b;
	struct evtchn_status st;

	as(1);
	assert_int_equal(alloc_unbound(DOMID_SELF, DOMID_SELF, &a), 0);
	assert_int_equal(bind_interdomain(DOMID_SELF, a, &b), 0);
	clear_events();
	assert_int_equal(ev_send(a), 0);
	assert_delivered(1, b, 0);
	assert_false(pending(1, a));
	clear_events();
	assert_int_equal(ev_send(b), 0);
	assert_delivered(1, a, 0);
	assert_int_equal(ev_close(b), 0);
	assert_int_equal(ev_status(DOMID_SELF, a, &st), 0);
	assert_int_equal(st.status, EVTCHNSTAT_unbound);
	assert_int_equal(st.u.unbound.dom, 1);
}

static void test_bind_virq(void **state)
{
	struct evtchn_status st;
	evtchn_port_t t0, t1, again;

	as(2);
	assert_int_equal(bind_virq(VIRQ_TIMER, 0, &t0), 0);
	assert_int_equal(bind_virq(VIRQ_TIMER, 1, &t1), 0);
	assert_int_equal(bind_virq(VIRQ_TIMER, 1, NULL), -XEN_EEXIST);
	assert_int_equal(bind_virq(VIRQ_DEBUG, 1, NULL), 0);
	/* Raised on vCPU 1 only. */
	evtchn_send_virq(&doms[2].vcpu[1], VIRQ_TIMER);
	assert_delivered(2, t1, 1);
	assert_false(pending(2, t0));
	assert_int_equal(wakes(2, 0), 0);
	/* Unbound virqs are ignored. */
	clear_events();
	evtchn_send_virq(&doms[1].vcpu[0], VIRQ_TIMER);
	evtchn_send_virq(&doms[2].vcpu[0], VIRQ_CONSOLE);
	assert_true(quiet(1) && quiet(2));
	/* Sending on a virq port is not allowed; closing frees the virq. */
	assert_int_equal(ev_send(t1), -XEN_EINVAL);
	assert_int_equal(ev_close(t1), 0);
	assert_int_equal(bind_virq(VIRQ_TIMER, 1, &again), 0);
	assert_int_equal(again, t1);
	assert_int_equal(ev_status(DOMID_SELF, again, &st), 0);
	assert_int_equal(st.status, EVTCHNSTAT_virq);
	assert_int_equal(st.u.virq, VIRQ_TIMER);
	assert_int_equal(st.vcpu, 1);
}

static void test_bind_virq_errors(void **state)
{
	evtchn_port_t p;

	as(2);
	assert_int_equal(bind_virq(NR_VIRQS, 0, NULL), -XEN_EINVAL);
	assert_int_equal(bind_virq(UINT32_MAX, 0, NULL), -XEN_EINVAL);
	assert_int_equal(bind_virq(VIRQ_TBUF, 0, NULL), -XEN_EINVAL);
	assert_int_equal(bind_virq(VIRQ_XENOPROF, 0, NULL), -XEN_EINVAL);
	assert_int_equal(bind_virq(VIRQ_TIMER, NVCPUS, NULL), -XEN_ENOENT);
	assert_int_equal(bind_virq(VIRQ_TIMER, DOMAIN_MAX_VCPUS, NULL),
			 -XEN_ENOENT);
	assert_int_equal(bind_virq(VIRQ_TIMER, UINT32_MAX, NULL), -XEN_ENOENT);
	/* Global virqs: vCPU 0 only, and a capability. */
	assert_int_equal(bind_virq(VIRQ_DOM_EXC, 0, NULL), -XEN_EPERM);
	assert_int_equal(bind_virq(VIRQ_CONSOLE, 0, NULL), -XEN_EPERM);
	doms[2].d.caps = ATOLL_CAP_XENSTORE;
	assert_int_equal(bind_virq(VIRQ_DOM_EXC, 1, NULL), -XEN_EINVAL);
	assert_int_equal(bind_virq(VIRQ_CONSOLE, 0, NULL), -XEN_EPERM);
	/* Nothing was allocated. */
	assert_int_equal(bind_virq(VIRQ_DOM_EXC, 0, &p), 0);
	assert_int_equal(p, 1);
	assert_int_equal(bind_virq(VIRQ_DOM_EXC, 0, NULL), -XEN_EEXIST);
	doms[2].d.caps = ATOLL_CAP_CONSOLE;
	assert_int_equal(bind_virq(VIRQ_CONSOLE, 0, &p), 0);
	assert_int_equal(p, 2);
}

static void test_global_virq(void **state)
{
	evtchn_port_t p1, p3;

	doms[1].d.caps = ATOLL_CAP_XENSTORE;
	doms[3].d.caps = ATOLL_CAP_DOMCTL;
	use_ports(3, 3);
	as(1);
	assert_int_equal(bind_virq(VIRQ_DOM_EXC, 0, &p1), 0);
	as(3);
	assert_int_equal(bind_virq(VIRQ_DOM_EXC, 0, &p3), 0);
	assert_int_equal(p3, 4);
	/* A global virq's port may move to another vCPU. */
	assert_int_equal(ev_bind_vcpu(p3, 1), 0);
	clear_events();
	evtchn_send_virq_global(VIRQ_DOM_EXC);
	assert_delivered(1, p1, 0);
	assert_delivered(3, p3, 1);
	assert_int_equal(wakes(3, 0), 0);
	assert_true(quiet(2));
	/* Raising it "on" a vCPU finds the domain's one binding too. */
	clear_events();
	evtchn_send_virq(&doms[3].vcpu[1], VIRQ_DOM_EXC);
	assert_delivered(3, p3, 1);
}

static void test_bind_ipi(void **state)
{
	evtchn_port_t p;
	struct evtchn_status st;

	as(2);
	assert_int_equal(bind_ipi(1, &p), 0);
	assert_int_equal(ev_send(p), 0);
	assert_delivered(2, p, 1);
	assert_true(quiet(1) && quiet(3));
	assert_int_equal(ev_status(DOMID_SELF, p, &st), 0);
	assert_int_equal(st.status, EVTCHNSTAT_ipi);
	assert_int_equal(st.vcpu, 1);
	assert_int_equal(bind_ipi(NVCPUS, NULL), -XEN_ENOENT);
	assert_int_equal(bind_ipi(UINT32_MAX, NULL), -XEN_ENOENT);
	assert_int_equal(bind_ipi(0, &p), 0);
	assert_int_equal(p, 2);
}

static void test_bind_vcpu(void **state)
{
	struct evtchn_status st;
	evtchn_port_t a, b, ipi, timer;

	a = connect(1, 2, &b);
	as(2);
	assert_int_equal(ev_bind_vcpu(b, 1), 0);
	as(1);
	assert_int_equal(ev_send(a), 0);
	assert_delivered(2, b, 1);
	assert_int_equal(wakes(2, 0), 0);
	as(2);
	assert_int_equal(bind_ipi(0, &ipi), 0);
	assert_int_equal(bind_virq(VIRQ_TIMER, 0, &timer), 0);
	assert_int_equal(ev_bind_vcpu(ipi, 1), -XEN_EINVAL);
	assert_int_equal(ev_bind_vcpu(timer, 1), -XEN_EINVAL);
	assert_int_equal(ev_bind_vcpu(b, NVCPUS), -XEN_ENOENT);
	assert_int_equal(ev_bind_vcpu(0, 0), -XEN_EINVAL);
	assert_int_equal(ev_bind_vcpu(500, 0), -XEN_EINVAL);
	assert_int_equal(ev_bind_vcpu(EVTCHN_MAX_PORTS, 0), -XEN_EINVAL);
	assert_int_equal(ev_status(DOMID_SELF, b, &st), 0);
	assert_int_equal(st.vcpu, 1);
	assert_int_equal(ev_status(DOMID_SELF, ipi, &st), 0);
	assert_int_equal(st.vcpu, 0);
}

static void test_close_errors(void **state)
{
	evtchn_port_t p;

	as(1);
	assert_int_equal(ev_close(0), -XEN_EINVAL);
	assert_int_equal(ev_close(1), -XEN_EINVAL); /* free */
	assert_int_equal(ev_close(EVTCHN_MAX_PORTS), -XEN_EINVAL);
	assert_int_equal(ev_close(UINT32_MAX), -XEN_EINVAL);
	assert_int_equal(alloc_unbound(DOMID_SELF, 2, &p), 0);
	assert_int_equal(ev_close(p), 0);
	assert_int_equal(ev_close(p), -XEN_EINVAL);
	/* Another domain's port number is just a free port of ours. */
	as(2);
	assert_int_equal(alloc_unbound(DOMID_SELF, 1, &p), 0);
	as(3);
	assert_int_equal(ev_close(p), -XEN_EINVAL);
	assert_status(2, p, EVTCHNSTAT_unbound);
}

static void test_send_errors(void **state)
{
	evtchn_port_t unbound, virq;

	as(1);
	assert_int_equal(ev_send(0), -XEN_EINVAL);
	assert_int_equal(ev_send(3), -XEN_EINVAL); /* free */
	assert_int_equal(ev_send(EVTCHN_MAX_PORTS), -XEN_EINVAL);
	assert_int_equal(ev_send(UINT32_MAX), -XEN_EINVAL);
	assert_int_equal(alloc_unbound(DOMID_SELF, 2, &unbound), 0);
	assert_int_equal(ev_send(unbound), 0); /* dropped */
	assert_int_equal(bind_virq(VIRQ_TIMER, 0, &virq), 0);
	assert_int_equal(ev_send(virq), -XEN_EINVAL);
	assert_true(quiet(1) && quiet(2) && quiet(3));
}

static void test_status(void **state)
{
	struct evtchn_status st;
	evtchn_port_t a, b;

	a = connect(1, 2, &b);
	as(1);
	assert_int_equal(ev_status(DOMID_SELF, 0, &st), 0);
	assert_int_equal(st.status, EVTCHNSTAT_closed);
	assert_int_equal(ev_status(1, 500, &st), 0);
	assert_int_equal(st.status, EVTCHNSTAT_closed);
	assert_int_equal(st.u.virq, 0); /* the union is cleared */
	assert_int_equal(ev_status(DOMID_SELF, EVTCHN_MAX_PORTS, &st),
			 -XEN_EINVAL);
	assert_int_equal(ev_status(DOMID_SELF, UINT32_MAX, &st), -XEN_EINVAL);
	/* Other domains' ports need the domctl capability. */
	assert_int_equal(ev_status(2, b, &st), -XEN_EPERM);
	assert_int_equal(ev_status(7, b, &st), -XEN_ESRCH);
	assert_int_equal(ev_status(DOMID_INVALID, b, &st), -XEN_ESRCH);
	doms[1].d.caps = ATOLL_CAP_DOMCTL;
	assert_int_equal(ev_status(2, b, &st), 0);
	assert_int_equal(st.status, EVTCHNSTAT_interdomain);
	assert_int_equal(st.u.interdomain.dom, 1);
	assert_int_equal(st.u.interdomain.port, a);
	assert_int_equal(ev_status(2, EVTCHN_MAX_PORTS, &st), -XEN_EINVAL);
}

static void test_bad_pointers(void **state)
{
	static const unsigned cmds[] = {
	    EVTCHNOP_bind_interdomain,
	    EVTCHNOP_bind_virq,
	    EVTCHNOP_close,
	    EVTCHNOP_send,
	    EVTCHNOP_status,
	    EVTCHNOP_alloc_unbound,
	    EVTCHNOP_bind_ipi,
	    EVTCHNOP_bind_vcpu,
	    EVTCHNOP_unmask,
	    EVTCHNOP_reset,
	};
	evtchn_port_t p;

	as(1);
	for (unsigned i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		assert_int_equal(do_event_channel_op(cmds[i], BAD_GVA),
				 -XEN_EFAULT);
		/* Straddling into the bad range from below. */
		assert_int_equal(do_event_channel_op(cmds[i], BAD_GVA - 1),
				 -XEN_EFAULT);
	}
	/* Readable but not writable: refused before anything changes. */
	ro_arg.alloc =
	    (struct evtchn_alloc_unbound){.dom = DOMID_SELF, .remote_dom = 2};
	assert_int_equal(hc(EVTCHNOP_alloc_unbound, &ro_arg), -XEN_EFAULT);
	ro_arg.ipi = (struct evtchn_bind_ipi){.vcpu = 0};
	assert_int_equal(hc(EVTCHNOP_bind_ipi, &ro_arg), -XEN_EFAULT);
	ro_arg.virq = (struct evtchn_bind_virq){.virq = VIRQ_TIMER};
	assert_int_equal(hc(EVTCHNOP_bind_virq, &ro_arg), -XEN_EFAULT);
	assert_int_equal(alloc_unbound(DOMID_SELF, 2, &p), 0);
	assert_int_equal(p, 1);
	as(2);
	ro_arg.bind =
	    (struct evtchn_bind_interdomain){.remote_dom = 1, .remote_port = p};
	assert_int_equal(hc(EVTCHNOP_bind_interdomain, &ro_arg), -XEN_EFAULT);
	assert_status(1, p, EVTCHNSTAT_unbound);
	assert_status(2, 1, EVTCHNSTAT_closed);
	/* In-only ops don't write: a read-only argument is fine. */
	as(1);
	ro_arg.send = (struct evtchn_send){.port = p};
	assert_int_equal(hc(EVTCHNOP_send, &ro_arg), 0);
	assert_true(quiet(1) && quiet(2));
}

static void test_unknown_ops(void **state)
{
	struct evtchn_bind_pirq pirq = {.pirq = 1};

	as(1);
	/* bind_pirq exists; the caller holds no IRQ. */
	assert_int_equal(hc(EVTCHNOP_bind_pirq, &pirq), -XEN_EPERM);
	assert_int_equal(hc(11, &pirq), -XEN_ENOSYS);
	assert_int_equal(hc(1000, &pirq), -XEN_ENOSYS);
	assert_int_equal(hc(UINT32_MAX, &pirq), -XEN_ENOSYS);
	/* Unknown ops fail before touching the argument. */
	assert_int_equal(do_event_channel_op(12, BAD_GVA), -XEN_ENOSYS);
}

static void test_table_full(void **state)
{
	evtchn_port_t p, a;

	as(2);
	assert_int_equal(alloc_unbound(DOMID_SELF, 1, &a), 0);
	as(1);
	for (unsigned i = 1; i < EVTCHN_MAX_PORTS; i++) {
		assert_int_equal(alloc_unbound(DOMID_SELF, 2, &p), 0);
		assert_int_equal(p, i);
	}
	assert_int_equal(alloc_unbound(DOMID_SELF, 2, NULL), -XEN_ENOSPC);
	assert_int_equal(bind_ipi(0, NULL), -XEN_ENOSPC);
	assert_int_equal(bind_virq(VIRQ_TIMER, 0, NULL), -XEN_ENOSPC);
	assert_int_equal(bind_interdomain(2, a, NULL), -XEN_ENOSPC);
	assert_status(2, a, EVTCHNSTAT_unbound); /* untouched */
	/* One close makes room for exactly one more. */
	as(1);
	assert_int_equal(ev_close(500), 0);
	assert_int_equal(bind_interdomain(2, a, &p), 0);
	assert_int_equal(p, 500);
	assert_int_equal(bind_ipi(0, NULL), -XEN_ENOSPC);
	/* The virq can be bound once there is room: the failure left no
	 * trace in the virq map. */
	assert_int_equal(ev_close(600), 0);
	assert_int_equal(bind_virq(VIRQ_TIMER, 0, &p), 0);
	assert_int_equal(p, 600);
}

static void test_destroy_closes_peers(void **state)
{
	struct evtchn_status st;
	evtchn_port_t a2, b, a3, c, p;

	doms[1].d.caps = ATOLL_CAP_XENSTORE;
	a2 = connect(1, 2, &b);
	a3 = connect(1, 3, &c);
	as(1);
	assert_int_equal(bind_virq(VIRQ_DOM_EXC, 0, NULL), 0);
	assert_int_equal(bind_ipi(1, NULL), 0);
	assert_int_equal(alloc_unbound(DOMID_SELF, 3, NULL), 0);
	evtchn_domain_destroy(&doms[1].d);
	for (evtchn_port_t port = 0; port < 8; port++)
		assert_status(1, port, EVTCHNSTAT_closed);
	as(2);
	assert_int_equal(ev_status(DOMID_SELF, b, &st), 0);
	assert_int_equal(st.status, EVTCHNSTAT_unbound);
	assert_int_equal(st.u.unbound.dom, 1);
	as(3);
	assert_int_equal(ev_status(DOMID_SELF, c, &st), 0);
	assert_int_equal(st.status, EVTCHNSTAT_unbound);
	/* The dying domain gets nothing new. */
	evtchn_send_virq_global(VIRQ_DOM_EXC);
	assert_true(quiet(1));
	assert_int_equal(evtchn_alloc_unbound(&doms[1].d, 2, &p), -XEN_ESRCH);
	as(1);
	assert_int_equal(bind_ipi(0, NULL), -XEN_ESRCH);
	as(2);
	assert_int_equal(alloc_unbound(DOMID_SELF, 1, &p), 0);
	as(1);
	assert_int_equal(bind_interdomain(2, p, NULL), -XEN_ESRCH);
	as(2);
	assert_int_equal(bind_interdomain(1, a2, NULL), -XEN_ESRCH);
	(void)a3;
}

static void test_reset(void **state)
{
	struct evtchn_status st;
	evtchn_port_t a, b;

	a = connect(1, 2, &b);
	as(2);
	assert_int_equal(bind_ipi(0, NULL), 0);
	as(1);
	assert_int_equal(ev_reset(2), -XEN_EPERM);
	assert_int_equal(ev_reset(7), -XEN_ESRCH);
	as(2);
	assert_int_equal(ev_reset(DOMID_SELF), 0);
	assert_status(2, b, EVTCHNSTAT_closed);
	assert_status(2, b + 1, EVTCHNSTAT_closed);
	as(1);
	assert_int_equal(ev_status(DOMID_SELF, a, &st), 0);
	assert_int_equal(st.status, EVTCHNSTAT_unbound);
	assert_int_equal(st.u.unbound.dom, 2);
	/* Unlike destroy, reset leaves the table usable. */
	as(2);
	assert_int_equal(bind_interdomain(1, a, NULL), 0);
	doms[3].d.caps = ATOLL_CAP_DOMCTL;
	as(3);
	assert_int_equal(ev_reset(1), 0);
	assert_status(1, a, EVTCHNSTAT_closed);
}

static void test_poll_wakes_masked(void **state)
{
	evtchn_port_t a, b;
	struct vcpu *v1 = &doms[2].vcpu[1];

	a = connect(1, 2, &b);
	set_mask(2, b, true);
	v1->poll_ports[0] = b + 100;
	v1->poll_ports[1] = b;
	v1->poll_count = 2;
	as(1);
	assert_int_equal(ev_send(a), 0);
	assert_int_equal(wakes(2, 1), 1); /* the poller, though masked */
	assert_int_equal(wakes(2, 0), 0);
	assert_int_equal(si(2)->vcpu_info[0].evtchn_upcall_pending, 0);
	assert_true(evtchn_port_pending(&doms[2].d, b));
	assert_false(evtchn_port_pending(&doms[2].d, b + 1));
	assert_false(evtchn_port_pending(&doms[2].d, EVTCHN_MAX_PORTS));
	/* A vCPU that stopped polling is left alone. */
	clear_events();
	v1->poll_count = 0;
	assert_int_equal(ev_send(a), 0);
	assert_int_equal(wakes(2, 1), 0);
}

static void test_dump(void **state)
{
	evtchn_port_t a, b;

	a = connect(1, 2, &b);
	as(2);
	assert_int_equal(bind_virq(VIRQ_TIMER, 1, NULL), 0);
	set_mask(2, b, true);
	as(1);
	assert_int_equal(ev_send(a), 0);
	fake_log_clear();
	evtchn_dump();
	assert_non_null(strstr(fake_log, "d1 "));
	assert_non_null(strstr(fake_log, "interdomain d2:1"));
	assert_non_null(strstr(fake_log, "interdomain d1:1"));
	assert_non_null(strstr(fake_log, "vcpu 0 pending masked"));
	assert_non_null(strstr(fake_log, "virq        0"));
}

/*
 * SMP: two threads (this machine may have only two CPUs; a preempted
 * ticket-lock holder would only slow things down), d1's and d3's, make
 * random channel operations towards the other domains on a few port
 * numbers, so that binds and closes from both ends of the same channels
 * race, and d3's closes often take the path that drops its lock to take
 * d1's first. d2 starts with ports offered to both, and d1 destroys it
 * half-way while d3 goes on binding to it. A lock-order mistake deadlocks
 * (the test times out); a torn update shows in the final check: every
 * interdomain end points at an end that points back, and nothing leads
 * into the destroyed domain.
 */
#define STRESS_ITERS 200000
#define STRESS_PORTS 16

static pthread_barrier_t stress_start;

struct stress_arg {
	domid_t self;
	unsigned seed;
	unsigned unexpected; /* results other than 0, EINVAL, ENOSPC, ESRCH */
};

static long stress_op(domid_t self, unsigned r)
{
	domid_t other = r & 1 ? 2 : 4 - self; /* d2 or the other thread's */
	evtchn_port_t port = 1 + (r >> 8) % STRESS_PORTS;

	switch ((r >> 4) % 10) {
	case 0:
		return alloc_unbound(DOMID_SELF, other, NULL);
	case 1:
	case 2:
	case 3:
		return bind_interdomain(other, port, NULL);
	case 4:
	case 5:
	case 6:
		return ev_close(port);
	default:
		return ev_send(port);
	}
}

static void *stress_worker(void *p)
{
	struct stress_arg *a = p;

	as(a->self);
	pthread_barrier_wait(&stress_start);
	for (unsigned i = 0; i < STRESS_ITERS; i++) {
		long rc = stress_op(a->self, (unsigned)rand_r(&a->seed));

		if (rc && rc != -XEN_EINVAL && rc != -XEN_ENOSPC &&
		    rc != -XEN_ESRCH)
			a->unexpected++;
		if (i != STRESS_ITERS / 2)
			continue;
		/* Both are half-way: d1 destroys d2 while d3 goes on. */
		pthread_barrier_wait(&stress_start);
		if (a->self == 1)
			evtchn_domain_destroy(&doms[2].d);
	}
	return NULL;
}

/* Checks port of id against its peer; the caller holds domctl. */
static void stress_check_port(domid_t id, evtchn_port_t port)
{
	struct evtchn_status st, peer;

	assert_int_equal(ev_status(id, port, &st), 0);
	if (port == 0)
		assert_int_equal(st.status, EVTCHNSTAT_closed);
	if (st.status == EVTCHNSTAT_unbound)
		assert_true(st.u.unbound.dom >= 1 && st.u.unbound.dom <= NDOMS);
	if (st.status != EVTCHNSTAT_interdomain) {
		assert_true(st.status == EVTCHNSTAT_closed ||
			    st.status == EVTCHNSTAT_unbound);
		return;
	}
	assert_int_not_equal(id, 2);
	assert_int_not_equal(st.u.interdomain.dom, 2);
	assert_int_equal(
	    ev_status(st.u.interdomain.dom, st.u.interdomain.port, &peer), 0);
	assert_int_equal(peer.status, EVTCHNSTAT_interdomain);
	assert_int_equal(peer.u.interdomain.dom, id);
	assert_int_equal(peer.u.interdomain.port, port);
}

static void test_smp_stress(void **state)
{
	struct stress_arg args[2] = {{.self = 1, .seed = 1},
				     {.self = 3, .seed = 2}};
	pthread_t threads[2];

	as(2);
	for (unsigned i = 1; i <= STRESS_PORTS; i++)
		assert_int_equal(alloc_unbound(DOMID_SELF, i & 1 ? 1 : 3, NULL),
				 0);
	pthread_barrier_init(&stress_start, NULL, 2);
	for (unsigned i = 0; i < 2; i++)
		assert_int_equal(
		    pthread_create(&threads[i], NULL, stress_worker, &args[i]),
		    0);
	for (unsigned i = 0; i < 2; i++) {
		assert_int_equal(pthread_join(threads[i], NULL), 0);
		assert_int_equal(args[i].unexpected, 0);
	}
	pthread_barrier_destroy(&stress_start);
	doms[1].d.caps = ATOLL_CAP_DOMCTL;
	as(1);
	for (domid_t id = 1; id <= NDOMS; id++) {
		for (evtchn_port_t port = 0; port < EVTCHN_MAX_PORTS; port++)
			stress_check_port(id, port);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	    T(test_init_failure_and_free),
	    T(test_alloc_unbound),
	    T(test_alloc_unbound_errors),
	    T(test_alloc_unbound_for_other_with_domctl),
	    T(test_bind_interdomain),
	    T(test_send_both_ways),
	    T(test_send_already_pending),
	    T(test_masked_then_unmask),
	    T(test_unmask_cases),
	    T(test_close_makes_peer_unbound),
	    T(test_close_from_higher_id),
	    T(test_close_clears_pending),
	    T(test_bind_not_offered),
	    T(test_loopback),
	    T(test_bind_virq),
	    T(test_bind_virq_errors),
	    T(test_global_virq),
	    T(test_bind_ipi),
	    T(test_bind_vcpu),
	    T(test_close_errors),
	    T(test_send_errors),
	    T(test_status),
	    T(test_bad_pointers),
	    T(test_unknown_ops),
	    T(test_table_full),
	    T(test_destroy_closes_peers),
	    T(test_reset),
	    T(test_poll_wakes_masked),
	    T(test_dump),
	    T(test_smp_stress),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
