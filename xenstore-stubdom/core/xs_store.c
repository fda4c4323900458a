// SPDX-License-Identifier: GPL-2.0-only
/*
 * The store as a whole: creation with the standard tree, destruction,
 * statistics.
 */
#include <stdlib.h>
#include <string.h>
#include "xs_internal.h"

static int specials_init(struct xs_store *s)
{
	for (int i = 0; i < XS_SPECIAL_COUNT; i++) {
		struct xs_perm *p = xs_zalloc(s, sizeof(*p));

		if (!p)
			return XEN_ENOMEM;
		p->domid = XS_DOMID_STORE;
		p->mode = XS_PERM_NONE;
		s->special[i].perms = p;
		s->special[i].perm_count = 1;
	}
	return 0;
}

struct xs_store *xs_store_new(const struct xs_hooks *hooks, void *ctx)
{
	struct xs_store *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	if (hooks)
		s->hooks = *hooks;
	s->ctx = ctx;
	xs_quota_defaults(s->quota_default);
	s->self = xs_conn_create(s, XS_DOMID_STORE, XS_CONN_PRIV, false);
	if (!s->self || xs_tree_init(s) || specials_init(s)) {
		xs_store_free(s);
		return NULL;
	}
	return s;
}

void xs_store_free(struct xs_store *s)
{
	if (!s)
		return;
	while (s->conns)
		xs_conn_free(s->conns);
	if (s->self)
		xs_conn_free(s->self);
	if (s->root)
		xs_tree_remove(s, s->root);
	for (int i = 0; i < XS_SPECIAL_COUNT; i++)
		xs_free(s, s->special[i].perms);
	xs_domain_free_all(s);
	free(s);
}

void xs_store_stats(const struct xs_store *s, struct xs_stats *out)
{
	const struct xs_domain *d;

	memset(out, 0, sizeof(*out));
	out->nodes = s->nodes;
	out->node_bytes = s->node_bytes;
	out->node_name_value_bytes = s->node_name_value_bytes;
	out->bytes = s->bytes;
	out->allocations = s->allocations;
	for (d = s->domains; d; d = d->next)
		out->domains++;
	out->connections = s->conn_count;
	out->watches = s->watch_count;
	out->transactions = s->txn_count;
}
