// SPDX-License-Identifier: GPL-2.0-only
/*
 * The requests on nodes: READ, WRITE, MKDIR, RM, DIRECTORY,
 * DIRECTORY_PART, GET_PERMS, SET_PERMS. Each runs in req->txn (the
 * client's transaction or an implicit one) and only reads and changes the
 * transaction's view; xs_proto.c commits implicit ones.
 *
 * Rights: reading needs r, changing needs w; creating a node needs w on
 * the nearest existing ancestor; changing permissions needs w and
 * ownership, and only a privileged connection may give a node away. A new
 * node takes its parent's permissions; an unprivileged creator becomes its
 * owner, a privileged one leaves the parent's owner (as Xen does).
 */
#include <stdio.h>
#include <string.h>
#include "xs_internal.h"

static bool can(const struct xs_req *r, const struct xs_view *v, uint8_t need)
{
	return (xs_perm_for(r->conn, v->perms, v->perm_count) & need) == need;
}

/* The node at the request's path, which must exist and allow `need`. */
static int get_node(struct xs_req *r, uint8_t need, struct xs_view *v)
{
	XS_TRY(xs_view_get(r->txn, r->path, v));
	if (!v->exists)
		return XEN_ENOENT;
	return can(r, v, need) ? 0 : XEN_EACCES;
}

/* One NUL-terminated path argument, canonical in r->path. */
static int one_path(struct xs_req *r)
{
	XS_TRY(xs_args(r, 1, 1));
	return xs_canonical(r->conn, r->argv[0], r->path, false);
}

int xs_op_read(struct xs_req *r)
{
	struct xs_view v;

	XS_TRY(one_path(r));
	XS_TRY(get_node(r, XS_PERM_READ, &v));
	xs_out_put(r, v.value, v.value_len);
	return 0;
}

/* Nearest existing ancestor of `path` into s->write_path; its length. */
static int find_ancestor(struct xs_txn *t, const char *path, struct xs_view *v,
			 size_t *alen)
{
	char *buf = t->conn->store->write_path;
	size_t len = strlen(path);

	do {
		len = xs_parent_len(path, len);
		memcpy(buf, path, len);
		buf[len] = '\0';
		XS_TRY(xs_view_get(t, buf, v));
	} while (!v->exists);
	*alen = len;
	return 0;
}

/* Creates every missing node from below the ancestor down to `path`. */
static int create_missing(struct xs_txn *t, const char *path, size_t alen,
			  const struct xs_view *anc, const char *value,
			  uint32_t value_len)
{
	char *buf = t->conn->store->write_path;
	size_t len = strlen(path);
	int32_t owner = t->conn->priv ? -1 : (int32_t)t->conn->domid;

	for (size_t i = alen + 1; i <= len; i++) {
		bool last = i == len;

		if (!last && path[i] != '/')
			continue;
		memcpy(buf, path, i);
		buf[i] = '\0';
		XS_TRY(xs_view_set(t, buf, last ? value : NULL,
				   last ? value_len : 0, anc->perms,
				   anc->perm_count, owner));
	}
	return 0;
}

/*
 * WRITE (mkdir false) or MKDIR at `path` (canonical, not special):
 * creates it and any missing parent, or changes its value (WRITE only).
 */
int xs_node_write(struct xs_txn *t, const char *path, const char *value,
		  uint32_t value_len, bool mkdir)
{
	struct xs_conn *c = t->conn;
	struct xs_view v;
	size_t alen;

	if (xs_quota_exceeded(c, XS_Q_NODE_SIZE, value_len))
		return XEN_ENOSPC;
	XS_TRY(xs_view_get(t, path, &v));
	if (v.exists && mkdir)
		return 0;
	if (v.exists) {
		if (!(xs_perm_for(c, v.perms, v.perm_count) & XS_PERM_WRITE))
			return XEN_EACCES;
		return xs_view_set(t, path, value, value_len, v.perms,
				   v.perm_count, -1);
	}
	XS_TRY(find_ancestor(t, path, &v, &alen));
	if (!(xs_perm_for(c, v.perms, v.perm_count) & XS_PERM_WRITE))
		return XEN_EACCES;
	return create_missing(t, path, alen, &v, value, value_len);
}

/* WRITE <path>|<value|>: the value is the rest of the payload. */
int xs_op_write(struct xs_req *r)
{
	const char *nul = memchr(r->payload, '\0', r->hdr.len);
	size_t plen;

	if (!nul)
		return XEN_EINVAL;
	plen = (size_t)(nul - r->payload) + 1;
	XS_TRY(xs_canonical(r->conn, r->payload, r->path, false));
	XS_TRY(xs_node_write(r->txn, r->path, nul + 1,
			     (uint32_t)(r->hdr.len - plen), false));
	xs_view_mark_fire(r->txn, r->path, false);
	xs_out_str(r, "OK");
	return 0;
}

int xs_op_mkdir(struct xs_req *r)
{
	XS_TRY(one_path(r));
	XS_TRY(xs_node_write(r->txn, r->path, NULL, 0, true));
	xs_view_mark_fire(r->txn, r->path, false);
	xs_out_str(r, "OK");
	return 0;
}

/* RM: no error if absent but its parent exists; never the root. */
int xs_op_rm(struct xs_req *r)
{
	struct xs_view v;
	size_t len;

	XS_TRY(one_path(r));
	len = strlen(r->path);
	if (len == 1)
		return XEN_EINVAL;
	XS_TRY(xs_view_get(r->txn, r->path, &v));
	if (!v.exists) {
		char *parent = r->conn->store->write_path;

		memcpy(parent, r->path, len + 1);
		parent[xs_parent_len(r->path, len)] = '\0';
		XS_TRY(xs_view_get(r->txn, parent, &v));
		if (!v.exists)
			return XEN_ENOENT;
		xs_out_str(r, "OK");
		return 0;
	}
	if (!can(r, &v, XS_PERM_WRITE))
		return XEN_EACCES;
	XS_TRY(xs_view_delete(r->txn, r->path));
	xs_view_mark_fire(r->txn, r->path, true);
	xs_out_str(r, "OK");
	return 0;
}

static int out_child(void *arg, const char *name, size_t len)
{
	struct xs_req *r = arg;

	xs_out_put(r, name, len);
	xs_out_put(r, "", 1);
	return 0;
}

/* DIRECTORY: a list longer than a payload gets E2BIG (see _PART). */
int xs_op_directory(struct xs_req *r)
{
	struct xs_view v;

	XS_TRY(one_path(r));
	XS_TRY(get_node(r, XS_PERM_READ, &v));
	return xs_view_children(r->txn, r->path, out_child, r);
}

struct part {
	struct xs_req *r;
	uint64_t off; /* requested byte offset into the whole list */
	uint64_t pos; /* offset of the current name */
	bool full;
	bool misaligned;
};

static int part_child(void *arg, const char *name, size_t len)
{
	struct part *p = arg;
	uint64_t start = p->pos;

	p->pos += len + 1;
	if (start < p->off) {
		p->misaligned |= p->pos > p->off;
		return 0;
	}
	/* Keep a byte for the empty string that ends the list. */
	if (p->full || p->r->out_len + len + 1 > XENSTORE_PAYLOAD_MAX - 1) {
		p->full = true;
		return 0;
	}
	return out_child(p->r, name, len);
}

/*
 * DIRECTORY_PART <path>|<offset>|: <gen>| then the whole names from byte
 * <offset> of the full list that fit; an empty string ends the list.
 * <offset> must be where a name starts (or past the end).
 */
int xs_op_directory_part(struct xs_req *r)
{
	struct part p = {.r = r};
	struct xs_view v;
	char gen[24];

	XS_TRY(xs_args(r, 2, 2));
	XS_TRY(xs_parse_uint(r->argv[1], UINT32_MAX, &p.off));
	XS_TRY(xs_canonical(r->conn, r->argv[0], r->path, false));
	XS_TRY(get_node(r, XS_PERM_READ, &v));
	snprintf(gen, sizeof(gen), "%llu", (unsigned long long)v.gen);
	xs_out_str(r, gen);
	XS_TRY(xs_view_children(r->txn, r->path, part_child, &p));
	if (p.misaligned)
		return XEN_EINVAL;
	if (!p.full)
		xs_out_put(r, "", 1);
	return 0;
}

static void out_perms(struct xs_req *r, const struct xs_perm *p, uint16_t count)
{
	char buf[8];

	for (uint16_t i = 0; i < count; i++) {
		xs_perm_format(&p[i], buf, sizeof(buf));
		xs_out_str(r, buf);
	}
}

int xs_op_get_perms(struct xs_req *r)
{
	const struct xs_special_node *sp;
	struct xs_view v;
	int idx;

	XS_TRY(xs_args(r, 1, 1));
	XS_TRY(xs_canonical(r->conn, r->argv[0], r->path, true));
	if (r->path[0] == '@') {
		idx = xs_special_index(r->path);
		if (idx < 0)
			return XEN_ENOENT;
		sp = &r->conn->store->special[idx];
		if (!(xs_perm_for(r->conn, sp->perms, sp->perm_count) &
		      XS_PERM_READ))
			return XEN_EACCES;
		out_perms(r, sp->perms, sp->perm_count);
		return 0;
	}
	XS_TRY(get_node(r, XS_PERM_READ, &v));
	out_perms(r, v.perms, v.perm_count);
	return 0;
}
