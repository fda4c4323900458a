// SPDX-License-Identifier: GPL-2.0-only
/*
 * Event channels with Xen's 2-level ABI: per-domain ports, delivery through
 * the pending and mask bitmaps of shared_info and the vcpu_info upcall
 * flags.
 *
 * Each domain owns one struct evtchn_table (EVTCHN_MAX_PORTS ports, in
 * frames of its own). Port 0 is reserved, as in Xen, so that 0 can mean
 * "no port".
 *
 * Lock rules.
 *  1. One spinlock per table, always taken with interrupts off (the timer
 *     interrupt raises VIRQ_TIMER). It guards the table's ports, its virq
 *     map and its dead flag.
 *  2. An operation on both ends of a channel (bind_interdomain; close of
 *     an interdomain port) holds both tables' locks, taking the lower
 *     domain id's first; never two in the other order, never three. Close
 *     finds the peer under its own lock, so when the peer's id is lower it
 *     drops that lock, takes both in order and checks again.
 *  3. An interdomain channel is made and undone only with both locks held.
 *     So holding either end's lock keeps the channel, the peer's table and
 *     the peer domain alive (destroying the peer closes its end first,
 *     which needs our lock): send holds the sender's lock only.
 *  4. Delivery writes shared_info words only with atomic operations (the
 *     domain writes them too) and calls sched_wake() with table locks
 *     held: table lock -> run-queue lock, as in Xen. The scheduler calls
 *     back only into evtchn_vcpu_has_pending() and evtchn_port_pending(),
 *     which take no lock.
 *  5. domain_get() is called only with no table lock held.
 * A domain named by a hypercall argument (a remote_dom, a dom) is used
 * for the rest of the call as domain_get() returned it: the domain table
 * has no reference counts yet, so this relies on domains not being freed
 * while another CPU is inside a hypercall.
 *
 * Every hypercall decodes first: the argument struct is read (and its
 * OUT fields checked writable), every field and the port states are
 * checked, a free port is found; only then is the table changed, by
 * steps that cannot fail, under the same lock hold.
 *
 * Choices, as in Xen unless said: sending on an unbound port is dropped
 * (0); bind_interdomain notifies the new local port once, since sends on
 * the unbound end were dropped; status reports a free port (and port 0)
 * as closed; unmask works on any port in range; close drops the port's
 * pending bit. Atoll's own: a pirq is a GSI the domain holds
 * (atoll/resource.h) and WILL_SHARE is ignored, since a line has one
 * holder; only the VIRQs Atoll raises can be bound, VIRQ_DOM_EXC
 * and VIRQ_CONSOLE need a capability; a global VIRQ may be bound by
 * several domains and reaches all of them (the XenStore and the control
 * domain both watch VIRQ_DOM_EXC), so bind_virq never returns -XEN_EBUSY.
 */
#include <arch/mm.h>
#include <atoll/caps.h>
#include <atoll/domain_build.h>
#include <atoll/evtchn.h>
#include <atoll/frame.h>
#include <atoll/guest.h>
#include <atoll/panic.h>
#include <atoll/printk.h>
#include <atoll/resource.h>
#include <atoll/sched.h>
#include <atoll/string.h>
#include <xen/errno.h>

enum evtchn_state {
	EVTCHN_FREE = 0,
	EVTCHN_RESERVED, /* port 0 */
	EVTCHN_UNBOUND,
	EVTCHN_INTERDOMAIN,
	EVTCHN_VIRQ,
	EVTCHN_IPI,
	EVTCHN_PIRQ,
};

/* One port; guarded by its table's lock. */
struct evtchn_port {
	uint8_t state;	    /* enum evtchn_state */
	uint8_t vcpu;	    /* the vCPU it notifies; a peer's send reads it
			       without our lock (any value is a valid vCPU) */
	domid_t remote_dom; /* unbound: who may bind; interdomain: the peer */
	union {
		uint16_t remote_port; /* interdomain: the peer's port */
		uint16_t virq;	      /* virq: VIRQ_* */
		uint16_t pirq;	      /* pirq: the GSI */
	};
};

struct evtchn_table {
	struct spinlock lock; /* guards everything below */
	bool dead;	      /* destroy began: nothing new is bound */
	/* Port bound to each VIRQ, per vCPU; 0 if none. A global VIRQ uses
	 * row 0 wherever bind_vcpu moved its port. */
	uint16_t virq_port[DOMAIN_MAX_VCPUS][NR_VIRQS];
	struct evtchn_port port[EVTCHN_MAX_PORTS];
	/* Interdomain: the peer domain, alive while the channel is (rule 3). */
	struct domain *peer[EVTCHN_MAX_PORTS];
};

#define EVTCHN_TABLE_ORDER 2
#define EVTCHN_WORD_BITS   64

_Static_assert(sizeof(struct evtchn_table) <= (PAGE_SIZE << EVTCHN_TABLE_ORDER),
	       "table fits its frames");
_Static_assert(sizeof(struct evtchn_table) >
		   (PAGE_SIZE << (EVTCHN_TABLE_ORDER - 1)),
	       "EVTCHN_TABLE_ORDER is the smallest that fits");
_Static_assert(EVTCHN_MAX_PORTS <= EVTCHN_2L_NR_CHANNELS, "2-level ABI");
_Static_assert(EVTCHN_MAX_PORTS <= 0x10000, "ports fit in 16 bits");
_Static_assert(DOMAIN_MAX_VCPUS <= XEN_LEGACY_MAX_VCPUS, "vcpu_info slots");
_Static_assert(DOMAIN_MAX_VCPUS <= 256, "vCPU ids fit in 8 bits");

/* What binding a VIRQ takes; an all-zero entry is one Atoll never raises. */
struct evtchn_virq_info {
	bool raised;
	bool global;   /* per domain rather than per vCPU; bound on vCPU 0 */
	uint64_t caps; /* any one of these is needed; 0: none */
};

static const struct evtchn_virq_info evtchn_virqs[NR_VIRQS] = {
    [VIRQ_TIMER] = {.raised = true},
    [VIRQ_DEBUG] = {.raised = true},
    [VIRQ_CONSOLE] = {.raised = true,
		      .global = true,
		      .caps = ATOLL_CAP_CONSOLE},
    [VIRQ_DOM_EXC] = {.raised = true,
		      .global = true,
		      .caps = ATOLL_CAP_XENSTORE | ATOLL_CAP_DOMCTL},
};

/* ---- Locks ---------------------------------------------------------- */

static irqflags_t evtchn_lock(struct domain *d)
{
	return spin_lock_irqsave(&d->evtchn->lock);
}

static void evtchn_unlock(struct domain *d, irqflags_t f)
{
	spin_unlock_irqrestore(&d->evtchn->lock, f);
}

/* Locks a's and b's tables, the lower domain id first (once if a == b). */
static irqflags_t evtchn_lock_pair(struct domain *a, struct domain *b)
{
	irqflags_t f;

	if (a == b)
		return evtchn_lock(a);
	if (a->id > b->id) {
		struct domain *t = a;

		a = b;
		b = t;
	}
	f = evtchn_lock(a);
	spin_lock(&b->evtchn->lock);
	return f;
}

/* Undoes evtchn_lock_pair(); b may be NULL (only a was locked). */
static void evtchn_unlock_pair(struct domain *a, struct domain *b, irqflags_t f)
{
	if (b && b != a)
		spin_unlock(&b->evtchn->lock);
	evtchn_unlock(a, f);
}

/* The peer of d's port if it is interdomain, else NULL; d's lock held. */
static struct domain *evtchn_peer(struct domain *d, evtchn_port_t port)
{
	struct evtchn_table *t = d->evtchn;

	return t->port[port].state == EVTCHN_INTERDOMAIN ? t->peer[port] : NULL;
}

/*
 * Locks d's table and, if port is interdomain, its peer's too (rule 2).
 * Returns the peer, or NULL if only d's table is locked.
 */
static struct domain *evtchn_lock_port(struct domain *d, evtchn_port_t port,
				       irqflags_t *f)
{
	for (;;) {
		struct domain *rd;
		domid_t peer_id;

		*f = evtchn_lock(d);
		rd = evtchn_peer(d, port);
		if (!rd || rd == d || rd->id > d->id) {
			if (rd && rd != d)
				spin_lock(&rd->evtchn->lock);
			return rd;
		}
		peer_id = rd->id;
		evtchn_unlock(d, *f);
		/* With d unlocked the peer may go away: look it up again. If
		 * it is gone, it closed our end first; the retry sees that. */
		rd = domain_get(peer_id);
		if (!rd)
			continue;
		*f = evtchn_lock_pair(d, rd);
		if (evtchn_peer(d, port) == rd)
			return rd;
		evtchn_unlock_pair(d, rd, *f);
	}
}

/* ---- Delivery (the target port's binding is kept by a held lock) ------ */

static unsigned evtchn_word(evtchn_port_t port)
{
	return port / EVTCHN_WORD_BITS;
}

static uint64_t evtchn_bit(evtchn_port_t port)
{
	return 1ULL << (port % EVTCHN_WORD_BITS);
}

/* Flags word `word` and the upcall in vCPU vcpu's vcpu_info, wakes it. */
static void evtchn_upcall(struct domain *d, unsigned vcpu, unsigned word)
{
	struct vcpu_info *vi = &d->shared->vcpu_info[vcpu];

	__atomic_fetch_or(&vi->evtchn_pending_sel, 1ULL << word,
			  __ATOMIC_SEQ_CST);
	__atomic_store_n(&vi->evtchn_upcall_pending, 1, __ATOMIC_SEQ_CST);
	if (vcpu < d->vcpu_count && d->vcpus[vcpu])
		sched_wake(d->vcpus[vcpu]);
}

/* Wakes d's vCPUs that wait for port in SCHEDOP_poll. The poller
 * publishes its ports before it checks the pending bits, we set the bit
 * before reading its ports: one of the two sees the other. */
static void evtchn_wake_pollers(struct domain *d, evtchn_port_t port)
{
	for (unsigned i = 0; i < d->vcpu_count; i++) {
		struct vcpu *v = d->vcpus[i];
		unsigned n = __atomic_load_n(&v->poll_count, __ATOMIC_SEQ_CST);

		n = MIN(n, ARRAY_SIZE(v->poll_ports));
		for (unsigned j = 0; j < n; j++) {
			if (READ_ONCE(v->poll_ports[j]) == port) {
				sched_wake(v);
				break;
			}
		}
	}
}

/*
 * Xen's 2-level "set pending": marks port pending in d's shared_info. If
 * it was pending already, the domain has yet to see it: nothing more. If
 * it is not masked, flags the upcall on vcpu and wakes it. Pollers wake
 * either way: SCHEDOP_poll works on masked ports.
 */
static void evtchn_raise(struct domain *d, evtchn_port_t port, unsigned vcpu)
{
	struct shared_info *s = d->shared;
	unsigned word = evtchn_word(port);
	uint64_t bit = evtchn_bit(port);

	if (__atomic_fetch_or(&s->evtchn_pending[word], bit, __ATOMIC_SEQ_CST) &
	    bit)
		return;
	if (!(__atomic_load_n(&s->evtchn_mask[word], __ATOMIC_SEQ_CST) & bit))
		evtchn_upcall(d, vcpu, word);
	evtchn_wake_pollers(d, port);
}

/* Clears port's mask bit; upcalls if it is pending. d's lock held. */
static void evtchn_unmask(struct domain *d, evtchn_port_t port)
{
	struct shared_info *s = d->shared;
	unsigned word = evtchn_word(port);
	uint64_t bit = evtchn_bit(port);

	__atomic_fetch_and(&s->evtchn_mask[word], ~bit, __ATOMIC_SEQ_CST);
	if (__atomic_load_n(&s->evtchn_pending[word], __ATOMIC_SEQ_CST) & bit)
		evtchn_upcall(d, d->evtchn->port[port].vcpu, word);
}

/* Raises virq through the port in row `row` of d's virq map, if bound.
 * d's lock held. */
static void evtchn_raise_virq(struct domain *d, unsigned row, unsigned virq)
{
	struct evtchn_table *t = d->evtchn;
	evtchn_port_t port = t->virq_port[row][virq];

	if (port && !t->dead)
		evtchn_raise(d, port, t->port[port].vcpu);
}

/* ---- Decode helpers (no state changes) ------------------------------ */

static bool evtchn_vcpu_valid(const struct domain *d, uint32_t vcpu)
{
	return vcpu < d->vcpu_count && d->vcpus[vcpu];
}

/* A port number that can name an open port: not 0, in range. */
static bool evtchn_port_valid(evtchn_port_t port)
{
	return port != 0 && port < EVTCHN_MAX_PORTS;
}

static bool evtchn_port_open(const struct evtchn_table *t, evtchn_port_t port)
{
	return t->port[port].state != EVTCHN_FREE &&
	       t->port[port].state != EVTCHN_RESERVED;
}

/*
 * The domain that dom names for caller cd: cd itself (DOMID_SELF or its
 * own id) or, with the domctl capability, any existing domain.
 */
static int evtchn_target(struct domain *cd, domid_t dom, struct domain **out)
{
	struct domain *d =
	    dom == DOMID_SELF || dom == cd->id ? cd : domain_get(dom);

	if (!d)
		return -XEN_ESRCH;
	if (d != cd && !(cd->caps & ATOLL_CAP_DOMCTL))
		return -XEN_EPERM;
	*out = d;
	return 0;
}

/*
 * Finds the lowest free port of t for a new binding: -XEN_ESRCH if t's
 * domain is being destroyed, -XEN_ENOSPC if none is free. Lock held; the
 * port stays free until the caller binds it under the same hold.
 */
static int evtchn_find_free(const struct evtchn_table *t, evtchn_port_t *out)
{
	if (t->dead)
		return -XEN_ESRCH;
	for (evtchn_port_t port = 1; port < EVTCHN_MAX_PORTS; port++) {
		if (t->port[port].state == EVTCHN_FREE) {
			*out = port;
			return 0;
		}
	}
	return -XEN_ENOSPC;
}

/* Row of the virq map that holds virq bound on vcpu. */
static unsigned evtchn_virq_row(unsigned virq, unsigned vcpu)
{
	return evtchn_virqs[virq].global ? 0 : vcpu;
}

/* ---- Invoke steps (cannot fail; the locks named are held) ------------ */

/* Frees port of d (d's lock held): unmaps its virq, drops its pending
 * bit so that a later binding of the number starts clean (as Xen). */
static void evtchn_free_port(struct domain *d, evtchn_port_t port)
{
	struct evtchn_table *t = d->evtchn;
	struct evtchn_port *p = &t->port[port];

	if (p->state == EVTCHN_VIRQ)
		t->virq_port[evtchn_virq_row(p->virq, p->vcpu)][p->virq] = 0;
	if (p->state == EVTCHN_PIRQ)
		physdev_pirq_unbind(p->pirq); /* masks the line */
	*p = (struct evtchn_port){.state = EVTCHN_FREE};
	t->peer[port] = NULL;
	__atomic_fetch_and(&d->shared->evtchn_pending[evtchn_word(port)],
			   ~evtchn_bit(port), __ATOMIC_SEQ_CST);
}

/* Closes port of d; rd is its peer (both locked) or NULL (d locked). The
 * peer's end goes back to unbound, open to d, as in Xen. */
static void evtchn_close_locked(struct domain *d, evtchn_port_t port,
				struct domain *rd)
{
	if (rd) {
		evtchn_port_t rport = d->evtchn->port[port].remote_port;
		struct evtchn_port *rp = &rd->evtchn->port[rport];

		rp->state = EVTCHN_UNBOUND;
		rp->remote_dom = d->id;
		rp->remote_port = 0;
		rd->evtchn->peer[rport] = NULL;
	}
	evtchn_free_port(d, port);
}

/* Connects new port lport of ld to unbound rport of rd (both locked). */
static void evtchn_connect(struct domain *ld, evtchn_port_t lport,
			   struct domain *rd, evtchn_port_t rport)
{
	struct evtchn_port *rp = &rd->evtchn->port[rport];

	ld->evtchn->port[lport] = (struct evtchn_port){
	    .state = EVTCHN_INTERDOMAIN,
	    .remote_dom = rd->id,
	    .remote_port = rport,
	};
	ld->evtchn->peer[lport] = rd;
	rp->state = EVTCHN_INTERDOMAIN;
	rp->remote_dom = ld->id;
	rp->remote_port = lport;
	rd->evtchn->peer[rport] = ld;
	/* Sends on the unbound end were dropped; like Xen, notify the new
	 * end once so that it looks for work it may have missed. */
	evtchn_raise(ld, lport, 0);
}

/* Closes every open port of d; each close takes the locks it needs. */
static void evtchn_close_all(struct domain *d)
{
	for (evtchn_port_t port = 1; port < EVTCHN_MAX_PORTS; port++) {
		irqflags_t f;
		struct domain *rd = evtchn_lock_port(d, port, &f);

		if (evtchn_port_open(d->evtchn, port))
			evtchn_close_locked(d, port, rd);
		evtchn_unlock_pair(d, rd, f);
	}
}

/* ---- Domain life cycle ---------------------------------------------- */

int evtchn_domain_init(struct domain *d)
{
	struct evtchn_table *t;
	paddr_t pa;

	if (!frame_alloc(EVTCHN_TABLE_ORDER, &pa))
		return -XEN_ENOMEM;
	t = arch_phys_to_virt(pa);
	memset(t, 0, sizeof(*t));
	t->lock = (struct spinlock)SPINLOCK_INIT;
	t->port[0].state = EVTCHN_RESERVED;
	d->evtchn = t;
	return 0;
}

void evtchn_domain_created(struct domain *d)
{
}

void evtchn_domain_destroy(struct domain *d)
{
	irqflags_t f = evtchn_lock(d);

	d->evtchn->dead = true;
	evtchn_unlock(d, f);
	evtchn_close_all(d);
}

void evtchn_domain_free(struct domain *d)
{
	if (!d->evtchn)
		return;
	/* Normally destroy closed everything already; a domain that never
	 * became visible has no open ports. Closing again costs nothing. */
	evtchn_close_all(d);
	frame_free(arch_virt_to_phys(d->evtchn), EVTCHN_TABLE_ORDER);
	d->evtchn = NULL;
}

int evtchn_alloc_unbound(struct domain *d, domid_t remote, evtchn_port_t *port)
{
	irqflags_t f = evtchn_lock(d);
	int rc = evtchn_find_free(d->evtchn, port);

	if (!rc)
		d->evtchn->port[*port] = (struct evtchn_port){
		    .state = EVTCHN_UNBOUND,
		    .remote_dom = remote,
		};
	evtchn_unlock(d, f);
	return rc;
}

/* ---- Raising from the core ------------------------------------------ */

void evtchn_send_virq(struct vcpu *v, unsigned virq)
{
	struct domain *d = v->domain;
	irqflags_t f;

	ASSERT(virq < NR_VIRQS);
	f = evtchn_lock(d);
	evtchn_raise_virq(d, evtchn_virq_row(virq, v->id), virq);
	evtchn_unlock(d, f);
}

static void evtchn_send_virq_one(struct domain *d, void *ctx)
{
	irqflags_t f = evtchn_lock(d);

	evtchn_raise_virq(d, 0, *(unsigned *)ctx);
	evtchn_unlock(d, f);
}

void evtchn_send_virq_global(unsigned virq)
{
	ASSERT(virq < NR_VIRQS && evtchn_virqs[virq].global);
	domain_for_each(evtchn_send_virq_one, &virq);
}

bool evtchn_vcpu_has_pending(struct vcpu *v)
{
	struct vcpu_info *vi = &v->domain->shared->vcpu_info[v->id];

	return __atomic_load_n(&vi->evtchn_upcall_pending, __ATOMIC_SEQ_CST);
}

bool evtchn_port_pending(struct domain *d, evtchn_port_t port)
{
	if (port >= EVTCHN_MAX_PORTS)
		return false;
	return __atomic_load_n(&d->shared->evtchn_pending[evtchn_word(port)],
			       __ATOMIC_SEQ_CST) &
	       evtchn_bit(port);
}

void evtchn_send_pirq(struct domain *d, evtchn_port_t port, uint32_t gsi)
{
	irqflags_t f = evtchn_lock(d);
	const struct evtchn_port *p;

	/* The binding may have gone since the pirq lock was dropped. */
	if (evtchn_port_valid(port) && !d->evtchn->dead) {
		p = &d->evtchn->port[port];
		if (p->state == EVTCHN_PIRQ && p->pirq == gsi)
			evtchn_raise(d, port, p->vcpu);
	}
	evtchn_unlock(d, f);
}

void evtchn_pirq_revoke(struct domain *d, uint32_t gsi)
{
	irqflags_t f = evtchn_lock(d);
	struct evtchn_table *t = d->evtchn;

	for (evtchn_port_t port = 1; port < EVTCHN_MAX_PORTS; port++) {
		if (t->port[port].state == EVTCHN_PIRQ &&
		    t->port[port].pirq == gsi)
			evtchn_free_port(d, port);
	}
	evtchn_unlock(d, f);
}

/* ---- Hypercall operations (cd: the calling domain) ------------------- */

union evtchn_op_arg {
	struct evtchn_alloc_unbound alloc_unbound;
	struct evtchn_bind_interdomain bind_interdomain;
	struct evtchn_bind_virq bind_virq;
	struct evtchn_bind_pirq bind_pirq;
	struct evtchn_bind_ipi bind_ipi;
	struct evtchn_close close;
	struct evtchn_send send;
	struct evtchn_status status;
	struct evtchn_bind_vcpu bind_vcpu;
	struct evtchn_unmask unmask;
	struct evtchn_reset reset;
};

static long evtchn_op_alloc_unbound(struct domain *cd, union evtchn_op_arg *a)
{
	struct evtchn_alloc_unbound *op = &a->alloc_unbound;
	domid_t remote = op->remote_dom == DOMID_SELF ? cd->id : op->remote_dom;
	struct domain *d;
	int rc = evtchn_target(cd, op->dom, &d);

	if (rc)
		return rc;
	if (remote != cd->id && !domain_get(remote))
		return -XEN_ESRCH;
	return evtchn_alloc_unbound(d, remote, &op->port);
}

/* Decode step of bind_interdomain; both tables locked. */
static int evtchn_check_bind(struct domain *cd, struct domain *rd,
			     evtchn_port_t rport, evtchn_port_t *lport)
{
	const struct evtchn_port *rp = &rd->evtchn->port[rport];

	if (rd->evtchn->dead)
		return -XEN_ESRCH;
	if (rp->state != EVTCHN_UNBOUND || rp->remote_dom != cd->id)
		return -XEN_EINVAL;
	return evtchn_find_free(cd->evtchn, lport);
}

static long evtchn_op_bind_interdomain(struct domain *cd,
				       union evtchn_op_arg *a)
{
	struct evtchn_bind_interdomain *op = &a->bind_interdomain;
	struct domain *rd;
	irqflags_t f;
	int rc;

	rd = op->remote_dom == DOMID_SELF ? cd : domain_get(op->remote_dom);
	if (!rd)
		return -XEN_ESRCH;
	if (!evtchn_port_valid(op->remote_port))
		return -XEN_EINVAL;
	f = evtchn_lock_pair(cd, rd);
	rc = evtchn_check_bind(cd, rd, op->remote_port, &op->local_port);
	if (!rc)
		evtchn_connect(cd, op->local_port, rd, op->remote_port);
	evtchn_unlock_pair(cd, rd, f);
	return rc;
}

/* Decode step of bind_virq that needs no lock. */
static int evtchn_check_virq(const struct domain *cd, uint32_t virq,
			     uint32_t vcpu)
{
	const struct evtchn_virq_info *vi;

	if (virq >= NR_VIRQS || !evtchn_virqs[virq].raised)
		return -XEN_EINVAL;
	vi = &evtchn_virqs[virq];
	if (vi->global && vcpu != 0)
		return -XEN_EINVAL;
	if (!evtchn_vcpu_valid(cd, vcpu))
		return -XEN_ENOENT;
	if (vi->caps && !(cd->caps & vi->caps))
		return -XEN_EPERM;
	return 0;
}

static long evtchn_op_bind_virq(struct domain *cd, union evtchn_op_arg *a)
{
	struct evtchn_bind_virq *op = &a->bind_virq;
	struct evtchn_table *t = cd->evtchn;
	uint16_t *slot;
	irqflags_t f;
	int rc = evtchn_check_virq(cd, op->virq, op->vcpu);

	if (rc)
		return rc;
	slot = &t->virq_port[evtchn_virq_row(op->virq, op->vcpu)][op->virq];
	f = evtchn_lock(cd);
	rc = *slot ? -XEN_EEXIST : evtchn_find_free(t, &op->port);
	if (!rc) {
		t->port[op->port] = (struct evtchn_port){
		    .state = EVTCHN_VIRQ,
		    .vcpu = op->vcpu,
		    .virq = op->virq,
		};
		*slot = op->port;
	}
	evtchn_unlock(cd, f);
	return rc;
}

/* Decode step of bind_pirq that needs no event-channel lock. */
static int evtchn_check_pirq(struct domain *cd,
			     const struct evtchn_bind_pirq *op)
{
	if (op->flags & ~BIND_PIRQ__WILL_SHARE ||
	    op->pirq >= RESOURCE_IRQ_LIMIT)
		return -XEN_EINVAL;
	if (!resource_holds(cd, RESOURCE_IRQ, op->pirq, 1))
		return -XEN_EPERM;
	if (!arch_irq_exists(op->pirq))
		return -XEN_EINVAL;
	return 0;
}

/* The line is routed and unmasked while cd's lock is held: its first
 * interrupt finds the port bound. */
static long evtchn_op_bind_pirq(struct domain *cd, union evtchn_op_arg *a)
{
	struct evtchn_bind_pirq *op = &a->bind_pirq;
	irqflags_t f;
	int rc = evtchn_check_pirq(cd, op);

	if (rc)
		return rc;
	f = evtchn_lock(cd);
	rc = evtchn_find_free(cd->evtchn, &op->port);
	if (!rc)
		rc = physdev_pirq_bind(cd, op->pirq, (uint16_t)op->port);
	if (!rc)
		cd->evtchn->port[op->port] = (struct evtchn_port){
		    .state = EVTCHN_PIRQ,
		    .pirq = (uint16_t)op->pirq,
		};
	evtchn_unlock(cd, f);
	return rc;
}

static long evtchn_op_bind_ipi(struct domain *cd, union evtchn_op_arg *a)
{
	struct evtchn_bind_ipi *op = &a->bind_ipi;
	irqflags_t f;
	int rc;

	if (!evtchn_vcpu_valid(cd, op->vcpu))
		return -XEN_ENOENT;
	f = evtchn_lock(cd);
	rc = evtchn_find_free(cd->evtchn, &op->port);
	if (!rc)
		cd->evtchn->port[op->port] = (struct evtchn_port){
		    .state = EVTCHN_IPI,
		    .vcpu = op->vcpu,
		};
	evtchn_unlock(cd, f);
	return rc;
}

static long evtchn_op_close(struct domain *cd, union evtchn_op_arg *a)
{
	evtchn_port_t port = a->close.port;
	struct domain *rd;
	irqflags_t f;
	int rc = 0;

	if (!evtchn_port_valid(port))
		return -XEN_EINVAL;
	rd = evtchn_lock_port(cd, port, &f);
	if (evtchn_port_open(cd->evtchn, port))
		evtchn_close_locked(cd, port, rd);
	else
		rc = -XEN_EINVAL;
	evtchn_unlock_pair(cd, rd, f);
	return rc;
}

/* Send on port of d; d's lock held, which keeps an interdomain peer
 * (rule 3). */
static int evtchn_send_locked(struct domain *d, evtchn_port_t port)
{
	const struct evtchn_port *p = &d->evtchn->port[port];
	struct domain *rd = d->evtchn->peer[port];

	switch (p->state) {
	case EVTCHN_INTERDOMAIN:
		evtchn_raise(rd, p->remote_port,
			     READ_ONCE(rd->evtchn->port[p->remote_port].vcpu));
		return 0;
	case EVTCHN_IPI:
		evtchn_raise(d, port, p->vcpu);
		return 0;
	case EVTCHN_UNBOUND:
		return 0; /* nobody listens yet: dropped, as in Xen */
	default:
		return -XEN_EINVAL;
	}
}

static long evtchn_op_send(struct domain *cd, union evtchn_op_arg *a)
{
	irqflags_t f;
	int rc;

	if (!evtchn_port_valid(a->send.port))
		return -XEN_EINVAL;
	f = evtchn_lock(cd);
	rc = evtchn_send_locked(cd, a->send.port);
	evtchn_unlock(cd, f);
	return rc;
}

/* Fills st for its port of d; d's lock held. A free or reserved port is
 * reported closed, as Xen does. */
static void evtchn_fill_status(struct domain *d, struct evtchn_status *st)
{
	const struct evtchn_port *p = &d->evtchn->port[st->port];

	memset(&st->u, 0, sizeof(st->u));
	st->vcpu = p->vcpu;
	st->status = EVTCHNSTAT_closed;
	switch (p->state) {
	case EVTCHN_UNBOUND:
		st->status = EVTCHNSTAT_unbound;
		st->u.unbound.dom = p->remote_dom;
		break;
	case EVTCHN_INTERDOMAIN:
		st->status = EVTCHNSTAT_interdomain;
		st->u.interdomain.dom = p->remote_dom;
		st->u.interdomain.port = p->remote_port;
		break;
	case EVTCHN_VIRQ:
		st->status = EVTCHNSTAT_virq;
		st->u.virq = p->virq;
		break;
	case EVTCHN_IPI:
		st->status = EVTCHNSTAT_ipi;
		break;
	case EVTCHN_PIRQ:
		st->status = EVTCHNSTAT_pirq;
		st->u.pirq = p->pirq;
		break;
	}
}

static long evtchn_op_status(struct domain *cd, union evtchn_op_arg *a)
{
	struct evtchn_status *op = &a->status;
	struct domain *d;
	irqflags_t f;
	int rc = evtchn_target(cd, op->dom, &d);

	if (rc)
		return rc;
	if (op->port >= EVTCHN_MAX_PORTS)
		return -XEN_EINVAL;
	f = evtchn_lock(d);
	evtchn_fill_status(d, op);
	evtchn_unlock(d, f);
	return 0;
}

/* Decode step of bind_vcpu; cd's lock held. Per-vCPU VIRQs and IPIs
 * name their vCPU for good. */
static int evtchn_check_bind_vcpu(struct domain *cd, evtchn_port_t port)
{
	const struct evtchn_port *p = &cd->evtchn->port[port];

	if (!evtchn_port_open(cd->evtchn, port) || p->state == EVTCHN_IPI)
		return -XEN_EINVAL;
	if (p->state == EVTCHN_VIRQ && !evtchn_virqs[p->virq].global)
		return -XEN_EINVAL;
	return 0;
}

static long evtchn_op_bind_vcpu(struct domain *cd, union evtchn_op_arg *a)
{
	struct evtchn_bind_vcpu *op = &a->bind_vcpu;
	irqflags_t f;
	int rc;

	if (!evtchn_port_valid(op->port))
		return -XEN_EINVAL;
	if (!evtchn_vcpu_valid(cd, op->vcpu))
		return -XEN_ENOENT;
	f = evtchn_lock(cd);
	rc = evtchn_check_bind_vcpu(cd, op->port);
	if (!rc)
		WRITE_ONCE(cd->evtchn->port[op->port].vcpu, op->vcpu);
	evtchn_unlock(cd, f);
	return rc;
}

/* Any port in range, open or not, as Xen: the mask bits are the domain's
 * own anyway. */
static long evtchn_op_unmask(struct domain *cd, union evtchn_op_arg *a)
{
	irqflags_t f;

	if (a->unmask.port >= EVTCHN_MAX_PORTS)
		return -XEN_EINVAL;
	f = evtchn_lock(cd);
	evtchn_unmask(cd, a->unmask.port);
	evtchn_unlock(cd, f);
	return 0;
}

static long evtchn_op_reset(struct domain *cd, union evtchn_op_arg *a)
{
	struct domain *d;
	int rc = evtchn_target(cd, a->reset.dom, &d);

	if (rc)
		return rc;
	evtchn_close_all(d);
	return 0;
}

/* ---- Dispatch ------------------------------------------------------- */

struct evtchn_op {
	long (*fn)(struct domain *cd, union evtchn_op_arg *a);
	size_t size; /* of the argument struct */
	bool out;    /* has OUT fields, written back on success */
};

#define EVTCHN_OP(name, has_out)                                               \
	[EVTCHNOP_##name] = {                                                  \
	    .fn = evtchn_op_##name,                                            \
	    .size = sizeof(struct evtchn_##name),                              \
	    .out = has_out,                                                    \
	}

static const struct evtchn_op evtchn_ops[] = {
    EVTCHN_OP(bind_interdomain, true),
    EVTCHN_OP(bind_virq, true),
    EVTCHN_OP(bind_pirq, true),
    EVTCHN_OP(close, false),
    EVTCHN_OP(send, false),
    EVTCHN_OP(status, true),
    EVTCHN_OP(alloc_unbound, true),
    EVTCHN_OP(bind_ipi, true),
    EVTCHN_OP(bind_vcpu, false),
    EVTCHN_OP(unmask, false),
    EVTCHN_OP(reset, false),
};

long do_event_channel_op(unsigned cmd, uint64_t arg)
{
	struct domain *cd = current_domain();
	union evtchn_op_arg a = {0};
	const struct evtchn_op *op;
	long rc;

	if (cmd >= ARRAY_SIZE(evtchn_ops) || !evtchn_ops[cmd].fn)
		return -XEN_ENOSYS;
	op = &evtchn_ops[cmd];
	if (copy_from_guest(cd, &a, arg, op->size))
		return -XEN_EFAULT;
	/* Prove the result can be written before anything changes, so that
	 * a bad pointer never leaves a port allocated behind -EFAULT. */
	if (op->out && copy_to_guest(cd, arg, &a, op->size))
		return -XEN_EFAULT;
	rc = op->fn(cd, &a);
	/* Fails only if the domain unmapped arg meanwhile: its own doing. */
	if (!rc && op->out && copy_to_guest(cd, arg, &a, op->size))
		return -XEN_EFAULT;
	return rc;
}

/* ---- Debug key 'e' -------------------------------------------------- */

/* Describes port p's binding into buf. */
static const char *evtchn_describe(const struct evtchn_port *p, char *buf,
				   size_t len)
{
	switch (p->state) {
	case EVTCHN_UNBOUND:
		snprintf(buf, len, "unbound     for d%u", p->remote_dom);
		break;
	case EVTCHN_INTERDOMAIN:
		snprintf(buf, len, "interdomain d%u:%u", p->remote_dom,
			 p->remote_port);
		break;
	case EVTCHN_VIRQ:
		snprintf(buf, len, "virq        %u", p->virq);
		break;
	case EVTCHN_PIRQ:
		snprintf(buf, len, "pirq        %u", p->pirq);
		break;
	default:
		snprintf(buf, len, "ipi");
		break;
	}
	return buf;
}

/* Prints d's open ports. Each is copied under d's lock and printed after
 * it: a slow console must not hold interrupts off for the whole table. */
static void evtchn_dump_domain(struct domain *d, void *ctx)
{
	struct shared_info *s = d->shared;
	char buf[40];

	pr_info("d%u '%s' event channels%s:\n", d->id, d->name,
		READ_ONCE(d->evtchn->dead) ? " (dying)" : "");
	for (evtchn_port_t port = 1; port < EVTCHN_MAX_PORTS; port++) {
		irqflags_t f = evtchn_lock(d);
		struct evtchn_port p = d->evtchn->port[port];
		bool open = evtchn_port_open(d->evtchn, port);
		uint64_t bit = evtchn_bit(port);

		evtchn_unlock(d, f);
		if (!open)
			continue;
		pr_info("  %4u %-24s vcpu %u%s%s\n", port,
			evtchn_describe(&p, buf, sizeof(buf)), p.vcpu,
			READ_ONCE(s->evtchn_pending[evtchn_word(port)]) & bit
			    ? " pending"
			    : "",
			READ_ONCE(s->evtchn_mask[evtchn_word(port)]) & bit
			    ? " masked"
			    : "");
	}
}

void evtchn_dump(void)
{
	domain_for_each(evtchn_dump_domain, NULL);
}
