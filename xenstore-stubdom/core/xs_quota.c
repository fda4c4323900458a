// SPDX-License-Identifier: GPL-2.0-only
/*
 * Per-domain quotas. Names and defaults are Xen xenstored's; 0 means "no
 * limit", as in Xen's GET_QUOTA / SET_QUOTA. A domain record takes the
 * store-wide values when it is created; SET_QUOTA without a domain ID
 * changes those, for domains created afterwards. Privileged connections are
 * never limited.
 */
#include <stdio.h>
#include <string.h>
#include "xs_internal.h"

static const char *const quota_names[XS_Q_COUNT] = {
    [XS_Q_NODES] = "nodes",
    [XS_Q_WATCHES] = "watches",
    [XS_Q_OUTSTANDING] = "outstanding",
    [XS_Q_MEMORY] = "memory",
    [XS_Q_TRANSACTIONS] = "transactions",
    [XS_Q_TXN_NODES] = "transaction-nodes",
    [XS_Q_NODE_PERMS] = "node-permissions",
    [XS_Q_NODE_SIZE] = "node-size",
};

void xs_quota_defaults(uint32_t q[XS_Q_COUNT])
{
	q[XS_Q_NODES] = 1000;
	q[XS_Q_WATCHES] = 128;
	q[XS_Q_OUTSTANDING] = 20;
	q[XS_Q_MEMORY] = 2u * 1024 * 1024 + 512 * 1024;
	q[XS_Q_TRANSACTIONS] = 10;
	q[XS_Q_TXN_NODES] = 1024;
	q[XS_Q_NODE_PERMS] = 5;
	q[XS_Q_NODE_SIZE] = 2048;
}

/* True if `value` (the count after the change) is over c's quota k. */
bool xs_quota_exceeded(const struct xs_conn *c, enum xs_quota_kind k,
		       uint64_t value)
{
	uint32_t q = c->dom->quota[k];

	return !c->priv && q && value > q;
}

bool xs_quota_mem_exceeded(const struct xs_domain *d, bool priv, uint64_t extra)
{
	uint32_t q = d->quota[XS_Q_MEMORY];

	return !priv && q && d->mem + extra > q;
}

static int quota_index(const char *name)
{
	for (int i = 0; i < XS_Q_COUNT; i++)
		if (strcmp(name, quota_names[i]) == 0)
			return i;
	return -1;
}

static void out_names(struct xs_req *r)
{
	for (int i = 0; i < XS_Q_COUNT; i++) {
		if (i)
			xs_out_put(r, " ", 1);
		xs_out_put(r, quota_names[i], strlen(quota_names[i]));
	}
	xs_out_put(r, "", 1);
}

/* GET_QUOTA [[<domid>|]<quota>|]: the names, or one value. */
int xs_op_get_quota(struct xs_req *r)
{
	const uint32_t *q = r->conn->store->quota_default;
	const struct xs_domain *d;
	char num[16];
	uint32_t domid;
	int k;

	XS_TRY(xs_args(r, 0, 2));
	if (r->argc == 0) {
		out_names(r);
		return 0;
	}
	if (r->argc == 2) {
		XS_TRY(xs_parse_domid(r->argv[0], &domid));
		d = xs_domain_find(r->conn->store, domid);
		if (d)
			q = d->quota;
	}
	k = quota_index(r->argv[r->argc - 1]);
	if (k < 0)
		return XEN_EINVAL;
	snprintf(num, sizeof(num), "%u", (unsigned)q[k]);
	xs_out_str(r, num);
	return 0;
}

/* SET_QUOTA [<domid>|]<quota>|<value>|. */
int xs_op_set_quota(struct xs_req *r)
{
	struct xs_store *s = r->conn->store;
	uint32_t *q = s->quota_default, domid;
	struct xs_domain *d;
	uint64_t value;
	int k;

	XS_TRY(xs_args(r, 2, 3));
	k = quota_index(r->argv[r->argc - 2]);
	if (k < 0)
		return XEN_EINVAL;
	XS_TRY(xs_parse_uint(r->argv[r->argc - 1], UINT32_MAX, &value));
	if (r->argc == 3) {
		XS_TRY(xs_parse_domid(r->argv[0], &domid));
		d = xs_domain_get(s, domid);
		if (!d)
			return XEN_ENOMEM;
		q = d->quota;
	}
	q[k] = (uint32_t)value;
	xs_out_str(r, "OK");
	return 0;
}
