// SPDX-License-Identifier: GPL-2.0-only
/*
 * xenstored: the XenStore domain. It holds the `xenstore` capability,
 * learns the domains from the hypervisor (getinfo) and connects to each
 * one's store ring the way Xen's xenstored does: it maps grant
 * GNTTAB_RESERVED_XENSTORE of the domain and binds to the domain's
 * unbound store port. VIRQ_DOM_EXC tells it when to look again: new
 * domains are introduced, dead ones released.
 *
 * The protocol and the tree are the host-tested library in core/; this
 * file only moves bytes between rings and the library. Domains holding
 * `domctl` (the toolstack) get privileged connections, as dom0 has on Xen.
 *
 * Options: --exit-when-alone ends it (status 0) once every domain it
 * served has gone, so that a test run can end and count frames.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <atoll/caps.h>
#include <atoll/domctl.h>
#include <atoll/hypercall.h>
#include <rt/events.h>
#include <rt/gnttab.h>
#include <rt/hypercall.h>
#include <rt/rt.h>
#include <rt/thread.h>
#include <xen/io/xs_wire.h>

#include "core/xs_store.h"

#define MAX_DOMAINS 64

struct ring_conn {
	bool used;
	domid_t domid;
	uint64_t created_ns; /* tells this domain from a later one, same id */
	struct xenstore_domain_interface *ring;
	grant_handle_t handle;
	evtchn_port_t port;
	struct xs_conn *conn;
};

static struct xs_store *store;
static struct ring_conn conns[MAX_DOMAINS];
static domid_t self_id;
static struct rt_waitq work_wq = RT_WAITQ_INIT;
static volatile unsigned work; /* events since the loop last looked */
static volatile bool rescan = true;
static bool exit_when_alone;
static bool served_any;

static void on_ring_event(evtchn_port_t port, void *arg)
{
	work++;
	rt_wake_all(&work_wq);
}

static void on_dom_exc(evtchn_port_t port, void *arg)
{
	rescan = true;
	work++;
	rt_wake_all(&work_wq);
}

static long getinfo(domid_t from, struct atoll_domctl *op)
{
	*op = (struct atoll_domctl){
	    .cmd = ATOLL_DOMCTL_getinfo,
	    .interface_version = ATOLL_DOMCTL_INTERFACE_VERSION,
	    .domain = from,
	};
	return HC(__HYPERVISOR_atoll_domctl, op, 0, 0);
}

static struct ring_conn *find_conn(domid_t domid)
{
	for (unsigned i = 0; i < MAX_DOMAINS; i++) {
		if (conns[i].used && conns[i].domid == domid)
			return &conns[i];
	}
	return NULL;
}

/* ---- Moving bytes ----------------------------------------------------- */

/* Feeds the store what the domain wrote; false if the ring is broken. */
static bool pump_input(struct ring_conn *c)
{
	struct xenstore_domain_interface *r = c->ring;

	for (;;) {
		uint32_t cons = r->req_cons;
		uint32_t prod = __atomic_load_n(&r->req_prod, __ATOMIC_ACQUIRE);
		uint32_t avail = prod - cons, chunk;
		size_t used;

		if (avail > XENSTORE_RING_SIZE)
			return false;
		if (!avail)
			return true;
		chunk = XENSTORE_RING_SIZE - MASK_XENSTORE_IDX(cons);
		chunk = chunk < avail ? chunk : avail;
		used = xs_conn_input(c->conn, &r->req[MASK_XENSTORE_IDX(cons)],
				     chunk);
		__atomic_store_n(&r->req_cons, cons + (uint32_t)used,
				 __ATOMIC_RELEASE);
		/* A client waits for space only when the ring was full. */
		if (used && avail == XENSTORE_RING_SIZE)
			rt_evtchn_send(c->port);
		if (used < chunk)
			return true; /* replies must drain first */
	}
}

/* Copies queued replies into the ring; false if the ring is broken. */
static bool pump_output(struct ring_conn *c)
{
	struct xenstore_domain_interface *r = c->ring;
	bool sent = false;

	while (xs_conn_has_output(c->conn)) {
		uint32_t prod = r->rsp_prod;
		uint32_t used =
		    prod - __atomic_load_n(&r->rsp_cons, __ATOMIC_ACQUIRE);
		uint32_t space, chunk;
		size_t len;
		const void *data;

		if (used > XENSTORE_RING_SIZE)
			return false;
		space = XENSTORE_RING_SIZE - used;
		if (!space)
			break;
		data = xs_conn_output_peek(c->conn, &len);
		chunk = XENSTORE_RING_SIZE - MASK_XENSTORE_IDX(prod);
		chunk = chunk < space ? chunk : space;
		chunk = chunk < len ? chunk : (uint32_t)len;
		memcpy(&r->rsp[MASK_XENSTORE_IDX(prod)], data, chunk);
		__atomic_store_n(&r->rsp_prod, prod + chunk, __ATOMIC_RELEASE);
		xs_conn_output_consume(c->conn, chunk);
		sent = true;
	}
	if (sent)
		rt_evtchn_send(c->port);
	return true;
}

static void disconnect(struct ring_conn *c)
{
	rt_evtchn_close(c->port);
	rt_grant_unmap(c->ring, c->handle);
	c->used = false;
}

/* A domain that breaks its ring loses the connection, not the store. */
static void service(struct ring_conn *c)
{
	bool ok = pump_input(c) && pump_output(c) && pump_input(c);

	if (ok && !xs_conn_failed(c->conn))
		return;
	printf("xenstored: d%u broke its ring; connection closed\n", c->domid);
	c->ring->error = XENSTORE_ERROR_RINGIDX;
	xs_conn_free(c->conn);
	disconnect(c);
}

/* ---- Domains ---------------------------------------------------------- */

static void write_node(struct xs_conn *admin, const char *path,
		       const char *value)
{
	char msg[sizeof(struct xsd_sockmsg) + 256];
	struct xsd_sockmsg *h = (struct xsd_sockmsg *)msg;
	size_t plen = strlen(path) + 1, vlen = strlen(value);

	if (plen + vlen > sizeof(msg) - sizeof(*h))
		return;
	*h = (struct xsd_sockmsg){.type = XS_WRITE, .len = plen + vlen};
	memcpy(msg + sizeof(*h), path, plen);
	memcpy(msg + sizeof(*h) + plen, value, vlen);
	xs_conn_input(admin, msg, sizeof(*h) + plen + vlen);
	while (xs_conn_has_output(admin)) {
		size_t len;

		xs_conn_output_peek(admin, &len);
		xs_conn_output_consume(admin, len);
	}
}

/* The entries Xen's toolstack writes for every domain: name and domid. */
static void write_standard_entries(domid_t domid, const char *name)
{
	struct xs_conn *admin = xs_conn_new(store, self_id, XS_CONN_PRIV);
	char path[64], id[8];

	if (!admin)
		return;
	snprintf(id, sizeof(id), "%u", domid);
	snprintf(path, sizeof(path), "/local/domain/%u/name", domid);
	write_node(admin, path, name);
	snprintf(path, sizeof(path), "/local/domain/%u/domid", domid);
	write_node(admin, path, id);
	xs_conn_free(admin);
}

static struct ring_conn *connect_domain(domid_t domid,
					const struct atoll_domctl_getinfo *i)
{
	struct ring_conn *c = find_conn(DOMID_INVALID);
	unsigned flags =
	    (i->capabilities & ATOLL_CAP_DOMCTL) ? XS_CONN_PRIV : 0;
	int err = 0;

	for (unsigned n = 0; n < MAX_DOMAINS && !c; n++)
		c = conns[n].used ? NULL : &conns[n];
	if (!c)
		return NULL;
	*c = (struct ring_conn){.domid = domid, .created_ns = i->created_ns};
	c->ring = rt_grant_map(domid, GNTTAB_RESERVED_XENSTORE, false,
			       &c->handle, &err);
	if (!c->ring) {
		printf("xenstored: d%u: cannot map its ring (%d)\n", domid,
		       err);
		return NULL;
	}
	err = rt_evtchn_bind_interdomain(domid, i->store_port, &c->port);
	if (err) {
		printf("xenstored: d%u: cannot bind port %u (%d)\n", domid,
		       i->store_port, err);
		rt_grant_unmap(c->ring, c->handle);
		return NULL;
	}
	c->conn = xs_conn_new(store, domid, flags);
	if (!c->conn) {
		disconnect(c);
		return NULL;
	}
	c->used = true;
	served_any = true;
	rt_evtchn_handle(c->port, on_ring_event, c);
	c->ring->server_features = 0;
	xs_store_introduce(store, domid);
	write_standard_entries(domid, i->name);
	return c;
}

static bool alive(const struct atoll_domctl_getinfo *i)
{
	return !(i->flags & (ATOLL_DOMINFO_dying | ATOLL_DOMINFO_shutdown));
}

/* Connects new domains, releases the ones that died. */
static void scan_domains(void)
{
	bool seen[MAX_DOMAINS] = {false};
	struct atoll_domctl op;

	for (domid_t id = 0; getinfo(id, &op) == 0; id = op.domain + 1) {
		struct atoll_domctl_getinfo *i = &op.u.getinfo;
		struct ring_conn *c = find_conn(op.domain);

		if (c && c->created_ns != i->created_ns) {
			/* The old domain went and a new one has its id:
			 * release the old one before connecting the new. */
			xs_store_domain_gone(store, c->domid);
			c = NULL;
		}
		if (c && alive(i))
			seen[c - conns] = true;
		else if (!c && alive(i) && i->store_port &&
			 op.domain != self_id) {
			c = connect_domain(op.domain, i);
			if (c)
				seen[c - conns] = true;
		}
	}
	for (unsigned n = 0; n < MAX_DOMAINS; n++) {
		if (conns[n].used && !seen[n]) {
			domid_t domid = conns[n].domid;

			/* The release hook disconnects the ring. */
			xs_store_domain_gone(store, domid);
		}
	}
}

static void release_hook(void *ctx, uint32_t domid)
{
	struct ring_conn *c = find_conn((domid_t)domid);

	if (c)
		disconnect(c);
}

/* INTRODUCE of a domain we have not found ourselves: look now. */
static int introduce_hook(void *ctx, uint32_t domid, uint64_t mfn,
			  uint32_t port)
{
	struct atoll_domctl op;

	if (find_conn((domid_t)domid))
		return 0;
	if (getinfo((domid_t)domid, &op) || op.domain != domid ||
	    !op.u.getinfo.store_port)
		return EINVAL;
	return connect_domain((domid_t)domid, &op.u.getinfo) ? 0 : EIO;
}

static bool alone(void)
{
	for (unsigned n = 0; n < MAX_DOMAINS; n++) {
		if (conns[n].used)
			return false;
	}
	return true;
}

static void output_hook(void *ctx, struct xs_conn *conn)
{
	work++;
}

int main(int argc, char **argv)
{
	static const struct xs_hooks hooks = {
	    .introduce = introduce_hook,
	    .release = release_hook,
	    .output = output_hook,
	};
	struct atoll_domctl op;
	evtchn_port_t exc_port;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--exit-when-alone"))
			exit_when_alone = true;
		else
			printf("xenstored: unknown option '%s' ignored\n",
			       argv[i]);
	}
	if (getinfo(DOMID_SELF, &op)) {
		printf("xenstored: no getinfo: the xenstore capability is "
		       "missing\n");
		return 1;
	}
	self_id = op.domain;
	store = xs_store_new(&hooks, NULL);
	if (!store || rt_evtchn_bind_virq(VIRQ_DOM_EXC, &exc_port)) {
		printf("xenstored: cannot start (memory or VIRQ_DOM_EXC)\n");
		return 1;
	}
	rt_evtchn_handle(exc_port, on_dom_exc, NULL);
	printf("xenstored: serving as d%u\n", self_id);
	for (;;) {
		unsigned seen = work;

		if (rescan) {
			rescan = false;
			scan_domains();
			if (exit_when_alone && served_any && alone()) {
				printf(
				    "xenstored: every domain gone, exiting\n");
				xs_store_free(store);
				return 0;
			}
		}
		for (unsigned n = 0; n < MAX_DOMAINS; n++) {
			if (conns[n].used)
				service(&conns[n]);
		}
		rt_wait_event(&work_wq, work != seen);
	}
}
