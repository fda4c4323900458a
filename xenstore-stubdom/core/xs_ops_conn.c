// SPDX-License-Identifier: GPL-2.0-only
/*
 * SET_PERMS, and the requests about the connection and domains rather than
 * nodes: watches, transactions, INTRODUCE, RELEASE, GET_DOMAIN_PATH,
 * IS_DOMAIN_INTRODUCED, RESUME, RESET_WATCHES.
 */
#include <stdio.h>
#include <string.h>
#include "xs_internal.h"

/* Parses the permission strings after the path; *out is allocated. */
static int parse_perms(struct xs_req *r, struct xs_perm **out, uint16_t *count)
{
	struct xs_store *s = r->conn->store;
	const char *p = r->payload, *end = p + r->hdr.len;
	uint32_t n = r->argc - 1, i = 0;
	struct xs_perm *perms;

	if (n > UINT16_MAX)
		return XEN_EINVAL;
	perms = xs_alloc(s, n * sizeof(*perms));
	if (!perms)
		return XEN_ENOMEM;
	for (p += strlen(p) + 1; p < end; p += strlen(p) + 1) {
		int err = xs_perm_parse(p, &perms[i++]);

		if (err) {
			xs_free(s, perms);
			return err;
		}
	}
	*out = perms;
	*count = (uint16_t)n;
	return 0;
}

/* Special nodes: owner (the store) or privileged only; not transactional. */
static int set_special(struct xs_req *r, int idx, struct xs_perm *perms,
		       uint16_t count)
{
	struct xs_special_node *sp = &r->conn->store->special[idx];

	if (!r->conn->priv && sp->perms[0].domid != r->conn->domid)
		return XEN_EACCES;
	xs_free(r->conn->store, sp->perms);
	sp->perms = perms;
	sp->perm_count = count;
	return 0;
}

static int set_node(struct xs_req *r, const struct xs_perm *perms,
		    uint16_t count)
{
	const struct xs_conn *c = r->conn;
	struct xs_view v;

	XS_TRY(xs_view_get(r->txn, r->path, &v));
	if (!v.exists)
		return XEN_ENOENT;
	if (!(xs_perm_for(c, v.perms, v.perm_count) & XS_PERM_WRITE) ||
	    (!c->priv && v.perms[0].domid != c->domid))
		return XEN_EACCES;
	if (!c->priv && perms[0].domid != v.perms[0].domid)
		return XEN_EPERM;
	XS_TRY(xs_view_set(r->txn, r->path, v.value, v.value_len, perms, count,
			   -1));
	xs_view_mark_fire(r->txn, r->path, false);
	return 0;
}

/* SET_PERMS <path>|<perm>|+: owner first. */
int xs_op_set_perms(struct xs_req *r)
{
	struct xs_perm *perms;
	uint16_t count;
	int err, idx;

	XS_TRY(xs_args(r, 2, UINT32_MAX));
	XS_TRY(xs_canonical(r->conn, r->argv[0], r->path, true));
	if (xs_quota_exceeded(r->conn, XS_Q_NODE_PERMS, r->argc - 1u))
		return XEN_ENOSPC;
	XS_TRY(parse_perms(r, &perms, &count));
	if (r->path[0] == '@') {
		idx = xs_special_index(r->path);
		err = idx < 0 ? XEN_ENOENT : set_special(r, idx, perms, count);
		if (!err)
			perms = NULL; /* now the special node's */
	} else {
		err = set_node(r, perms, count);
	}
	xs_free(r->conn->store, perms);
	if (!err)
		xs_out_str(r, "OK");
	return err;
}

/* WATCH <wpath>|<token>|: OK, then one event at once (xs_proto.c). */
int xs_op_watch(struct xs_req *r)
{
	const char *p;

	XS_TRY(xs_args(r, 2, 2));
	p = r->argv[0];
	XS_TRY(xs_canonical(r->conn, p, r->path, true));
	XS_TRY(xs_watch_add(r->conn, r->path, p[0] != '/' && p[0] != '@',
			    r->argv[1], &r->new_watch));
	xs_out_str(r, "OK");
	return 0;
}

int xs_op_unwatch(struct xs_req *r)
{
	XS_TRY(xs_args(r, 2, 2));
	XS_TRY(xs_canonical(r->conn, r->argv[0], r->path, true));
	XS_TRY(xs_watch_remove(r->conn, r->path, r->argv[1]));
	xs_out_str(r, "OK");
	return 0;
}

/* TRANSACTION_START |: <id>|. Not inside a transaction (EBUSY). */
int xs_op_transaction_start(struct xs_req *r)
{
	char num[16];
	uint32_t id;

	if (r->hdr.tx_id)
		return XEN_EBUSY;
	XS_TRY(xs_args(r, 0, 1));
	XS_TRY(xs_txn_start(r->conn, &id));
	snprintf(num, sizeof(num), "%u", (unsigned)id);
	xs_out_str(r, num);
	return 0;
}

/* TRANSACTION_END T| commits (or EAGAIN), F| aborts; the id is gone. */
int xs_op_transaction_end(struct xs_req *r)
{
	struct xs_txn *t = xs_txn_lookup(r->conn, r->hdr.tx_id);
	bool commit;
	int err = 0;

	if (!t)
		return XEN_ENOENT;
	XS_TRY(xs_args(r, 1, 1));
	commit = strcmp(r->argv[0], "T") == 0;
	if (!commit && strcmp(r->argv[0], "F") != 0)
		return XEN_EINVAL;
	if (commit)
		err = xs_txn_commit(t);
	xs_txn_end(t);
	if (!err)
		xs_out_str(r, "OK");
	return err;
}

static int arg_domid(struct xs_req *r, uint32_t *domid)
{
	XS_TRY(xs_args(r, 1, 1));
	return xs_parse_domid(r->argv[0], domid);
}

/*
 * INTRODUCE <domid>|<mfn>|<port>|[?]: the daemon maps the ring (hook),
 * then the store introduces the domain. Introducing an introduced domain
 * again does nothing; a connection cannot introduce its own domain.
 */
int xs_op_introduce(struct xs_req *r)
{
	struct xs_store *s = r->conn->store;
	const struct xs_domain *d;
	uint64_t mfn, port;
	uint32_t domid;
	int err;

	XS_TRY(xs_args(r, 3, 4));
	XS_TRY(xs_parse_domid(r->argv[0], &domid));
	XS_TRY(xs_parse_uint(r->argv[1], UINT64_MAX, &mfn));
	XS_TRY(xs_parse_uint(r->argv[2], UINT32_MAX, &port));
	if (domid >= XS_DOMID_FIRST_RESERVED || domid == r->conn->domid)
		return XEN_EINVAL;
	d = xs_domain_find(s, domid);
	if (!d || !d->introduced) {
		err =
		    s->hooks.introduce
			? s->hooks.introduce(s->ctx, domid, mfn, (uint32_t)port)
			: 0;
		if (err)
			return err > 0 ? err : XEN_EIO;
		err = xs_store_introduce(s, domid);
		if (err) {
			xs_domain_drop_conns(s, domid);
			return err;
		}
	}
	xs_out_str(r, "OK");
	return 0;
}

/* RELEASE <domid>|: as if the domain had died (xs_store_domain_gone). */
int xs_op_release(struct xs_req *r)
{
	const struct xs_domain *d;
	uint32_t domid;

	XS_TRY(arg_domid(r, &domid));
	if (domid == r->conn->domid)
		return XEN_EINVAL;
	d = xs_domain_find(r->conn->store, domid);
	if (!d || !d->introduced)
		return XEN_ENOENT;
	xs_store_domain_gone(r->conn->store, domid);
	xs_out_str(r, "OK");
	return 0;
}

int xs_op_get_domain_path(struct xs_req *r)
{
	char path[32];
	uint32_t domid;

	XS_TRY(arg_domid(r, &domid));
	xs_domain_path(domid, path, sizeof(path));
	xs_out_str(r, path);
	return 0;
}

int xs_op_is_domain_introduced(struct xs_req *r)
{
	const struct xs_domain *d;
	uint32_t domid;

	XS_TRY(arg_domid(r, &domid));
	d = xs_domain_find(r->conn->store, domid);
	xs_out_str(r, d && d->introduced ? "T" : "F");
	return 0;
}

/* RESUME <domid>|: nothing to re-arm here; checks the domain is known. */
int xs_op_resume(struct xs_req *r)
{
	const struct xs_domain *d;
	uint32_t domid;

	XS_TRY(arg_domid(r, &domid));
	d = xs_domain_find(r->conn->store, domid);
	if (!d || !d->introduced)
		return XEN_ENOENT;
	xs_out_str(r, "OK");
	return 0;
}

/* RESET_WATCHES: drops the connection's watches and transactions. */
int xs_op_reset_watches(struct xs_req *r)
{
	xs_watch_free_all(r->conn);
	while (r->conn->txns)
		xs_txn_end(r->conn->txns);
	xs_out_str(r, "OK");
	return 0;
}
