// SPDX-License-Identifier: GPL-2.0-only
/*
 * Domains as the store sees them: a record per domain ID with its quotas
 * and usage, created on first use (a connection, a node it owns, a quota
 * set for it), and introduction and removal.
 *
 * A domain's removal takes everything it had, so that a later domain with
 * the same ID starts from nothing: its connections (with their watches and
 * transactions), /local/domain/<id>, every node it owns with the nodes
 * below, the permission entries naming it, its quotas.
 */
#include <string.h>
#include "xs_internal.h"

struct xs_domain *xs_domain_find(const struct xs_store *s, uint32_t domid)
{
	struct xs_domain *d;

	for (d = s->domains; d; d = d->next)
		if (d->domid == domid)
			return d;
	return NULL;
}

/* Finds or creates; returns NULL when out of memory. */
struct xs_domain *xs_domain_get(struct xs_store *s, uint32_t domid)
{
	struct xs_domain *d = xs_domain_find(s, domid);

	if (d)
		return d;
	d = xs_zalloc(s, sizeof(*d));
	if (!d)
		return NULL;
	d->domid = domid;
	memcpy(d->quota, s->quota_default, sizeof(d->quota));
	d->next = s->domains;
	s->domains = d;
	return d;
}

/* Usage changes; callers made sure the record exists. */
void xs_domain_charge(struct xs_store *s, uint32_t domid, int64_t bytes,
		      int32_t nodes)
{
	struct xs_domain *d = xs_domain_find(s, domid);

	if (d) {
		d->mem += (uint64_t)bytes;
		d->nodes += (uint32_t)nodes;
	}
}

void xs_domain_free_all(struct xs_store *s)
{
	while (s->domains) {
		struct xs_domain *d = s->domains;

		s->domains = d->next;
		xs_free(s, d);
	}
}

static void domain_forget(struct xs_store *s, uint32_t domid)
{
	struct xs_domain **pp = &s->domains;

	while (*pp && (*pp)->domid != domid)
		pp = &(*pp)->next;
	if (*pp) {
		struct xs_domain *d = *pp;

		*pp = d->next;
		xs_free(s, d);
	}
}

/* Tells the daemon, then frees every connection of the domain. */
void xs_domain_drop_conns(struct xs_store *s, uint32_t domid)
{
	struct xs_conn *c, *next;

	if (s->hooks.release)
		s->hooks.release(s->ctx, domid);
	for (c = s->conns; c; c = next) {
		next = c->next;
		if (c->domid == domid)
			xs_conn_free(c);
	}
}

static int make_domain_dir(struct xs_store *s, uint32_t domid)
{
	struct xs_perm owner = {.domid = (uint16_t)domid, .mode = XS_PERM_NONE};
	struct xs_txn t;
	struct xs_view v;
	char path[32];
	int err;

	xs_domain_path(domid, path, sizeof(path));
	xs_txn_init(&t, s->self, 0);
	err = xs_view_get(&t, path, &v);
	if (!err && !v.exists) {
		err = xs_node_write(&t, path, NULL, 0, true);
		if (!err)
			err = xs_view_set(&t, path, NULL, 0, &owner, 1, -1);
		xs_view_mark_fire(&t, path, false);
		if (!err)
			err = xs_txn_commit(&t);
	}
	xs_txn_clear(&t);
	return err;
}

int xs_store_introduce(struct xs_store *s, uint32_t domid)
{
	struct xs_domain *d;

	if (domid >= XS_DOMID_FIRST_RESERVED)
		return XEN_EINVAL;
	d = xs_domain_get(s, domid);
	if (!d)
		return XEN_ENOMEM;
	XS_TRY(make_domain_dir(s, domid));
	d->introduced = true;
	xs_watch_fire_special(s, XS_SPECIAL_INTRODUCE);
	return 0;
}

static void remove_fired(struct xs_store *s, struct xs_node *n)
{
	size_t len = xs_node_path(n, s->scratch_path, sizeof(s->scratch_path));

	xs_watch_fire(s, s->scratch_path, len, n->perms, n->perm_count, true);
	xs_tree_remove(s, n);
}

/* Removes the domain's nodes and strips its entries from the others. */
static void tree_forget_domain(struct xs_store *s, uint32_t domid)
{
	struct xs_node *n;
	char path[32];

	xs_domain_path(domid, path, sizeof(path));
	n = xs_tree_lookup(s, path);
	if (n)
		remove_fired(s, n);
	n = s->root;
	while (n) {
		struct xs_node *next;

		if (n->parent && n->perms[0].domid == domid) {
			next = xs_tree_next(n, false);
			remove_fired(s, n);
		} else {
			xs_node_strip_perms(s, n, domid);
			next = xs_tree_next(n, true);
		}
		n = next;
	}
	for (int i = 0; i < XS_SPECIAL_COUNT; i++)
		xs_perms_strip(s->special[i].perms, &s->special[i].perm_count,
			       domid);
}

void xs_store_domain_gone(struct xs_store *s, uint32_t domid)
{
	xs_domain_drop_conns(s, domid);
	xs_txn_forget_domain(s, domid);
	tree_forget_domain(s, domid);
	domain_forget(s, domid);
	xs_watch_fire_special(s, XS_SPECIAL_RELEASE);
}
