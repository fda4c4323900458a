// SPDX-License-Identifier: GPL-2.0-only
/*
 * One message in, one reply out: the dispatch table, the checks it
 * implies (privilege, transaction), argument splitting and reply building.
 * A handler returns 0 with its reply payload in req->out, or an error code
 * sent back as an XS_ERROR reply carrying the error's name.
 */
#include <string.h>
#include "xs_internal.h"

#define XS_OPF_PRIV 0x1u /* privileged connections only (else EACCES) */
#define XS_OPF_TXN  0x2u /* runs in the request's transaction */

struct xs_op {
	int (*fn)(struct xs_req *r);
	unsigned int flags;
};

/* Types not listed (CONTROL, SET_TARGET, features, replies) get ENOSYS. */
static const struct xs_op ops[XS_TYPE_COUNT] = {
    [XS_DIRECTORY] = {xs_op_directory, XS_OPF_TXN},
    [XS_READ] = {xs_op_read, XS_OPF_TXN},
    [XS_GET_PERMS] = {xs_op_get_perms, XS_OPF_TXN},
    [XS_WATCH] = {xs_op_watch, 0},
    [XS_UNWATCH] = {xs_op_unwatch, 0},
    [XS_TRANSACTION_START] = {xs_op_transaction_start, 0},
    [XS_TRANSACTION_END] = {xs_op_transaction_end, 0},
    [XS_INTRODUCE] = {xs_op_introduce, XS_OPF_PRIV},
    [XS_RELEASE] = {xs_op_release, XS_OPF_PRIV},
    [XS_GET_DOMAIN_PATH] = {xs_op_get_domain_path, 0},
    [XS_WRITE] = {xs_op_write, XS_OPF_TXN},
    [XS_MKDIR] = {xs_op_mkdir, XS_OPF_TXN},
    [XS_RM] = {xs_op_rm, XS_OPF_TXN},
    [XS_SET_PERMS] = {xs_op_set_perms, XS_OPF_TXN},
    [XS_IS_DOMAIN_INTRODUCED] = {xs_op_is_domain_introduced, XS_OPF_PRIV},
    [XS_RESUME] = {xs_op_resume, XS_OPF_PRIV},
    [XS_RESET_WATCHES] = {xs_op_reset_watches, 0},
    [XS_DIRECTORY_PART] = {xs_op_directory_part, XS_OPF_TXN},
    [XS_GET_QUOTA] = {xs_op_get_quota, XS_OPF_PRIV},
    [XS_SET_QUOTA] = {xs_op_set_quota, XS_OPF_PRIV},
};

void xs_out_put(struct xs_req *r, const void *p, size_t len)
{
	if (r->out_overflow || len > sizeof(r->out) - r->out_len) {
		r->out_overflow = true;
		return;
	}
	if (len)
		memcpy(r->out + r->out_len, p, len);
	r->out_len += (uint32_t)len;
}

void xs_out_str(struct xs_req *r, const char *s)
{
	xs_out_put(r, s, strlen(s) + 1);
}

/*
 * Splits the payload into NUL-terminated strings: there must be between
 * min and max of them, and nothing after the last NUL. The first four are
 * in argv.
 */
int xs_args(struct xs_req *r, uint32_t min, uint32_t max)
{
	const char *p = r->payload, *end = p + r->hdr.len;

	r->argc = 0;
	if (r->hdr.len && end[-1] != '\0')
		return XEN_EINVAL;
	while (p < end) {
		if (r->argc < 4)
			r->argv[r->argc] = p;
		r->argc++;
		p += strlen(p) + 1;
	}
	return r->argc < min || r->argc > max ? XEN_EINVAL : 0;
}

/* The request in the client's transaction, or in an implicit one. */
static int run_in_txn(struct xs_req *r, const struct xs_op *op)
{
	struct xs_txn implicit, *t;
	uint32_t mutations;
	int err;

	if (r->hdr.tx_id) {
		t = xs_txn_lookup(r->conn, r->hdr.tx_id);
		if (!t)
			return XEN_ENOENT;
		r->txn = t;
		mutations = t->mutations;
		err = op->fn(r);
		/* Half done: the transaction can only fail now. */
		if (err && t->mutations != mutations)
			t->doomed = true;
		return err;
	}
	xs_txn_init(&implicit, r->conn, 0);
	r->txn = &implicit;
	err = op->fn(r);
	if (!err)
		err = xs_txn_commit(&implicit);
	xs_txn_clear(&implicit);
	r->txn = NULL;
	return err;
}

static int dispatch(struct xs_req *r)
{
	const struct xs_op *op;

	if (r->hdr.type >= XS_TYPE_COUNT || !ops[r->hdr.type].fn)
		return XEN_ENOSYS;
	op = &ops[r->hdr.type];
	if ((op->flags & XS_OPF_PRIV) && !r->conn->priv)
		return XEN_EACCES;
	if (op->flags & XS_OPF_TXN)
		return run_in_txn(r, op);
	return op->fn(r);
}

static const char *error_name(int err)
{
	for (size_t i = 0; i < XSD_ERROR_COUNT; i++)
		if (xsd_errors[i].errnum == err)
			return xsd_errors[i].errstring;
	return "EIO";
}

static void reply(struct xs_req *r, int err)
{
	struct xsd_sockmsg hdr = r->hdr;
	const char *name;

	if (!err && r->out_overflow)
		err = XEN_E2BIG;
	if (err) {
		name = error_name(err);
		hdr.type = XS_ERROR;
		xs_conn_queue(r->conn, &hdr, name, strlen(name) + 1, NULL, 0,
			      true);
		return;
	}
	xs_conn_queue(r->conn, &hdr, r->out, r->out_len, NULL, 0, true);
}

/* Processes the complete message in c->in (NUL-terminated payload). */
void xs_proto_process(struct xs_conn *c)
{
	struct xs_req *r = &c->store->req;
	int err;

	memcpy(&r->hdr, c->in, sizeof(r->hdr));
	r->conn = c;
	r->payload = (const char *)c->in + sizeof(r->hdr);
	r->txn = NULL;
	r->new_watch = NULL;
	r->argc = 0;
	r->out_len = 0;
	r->out_overflow = false;
	err = dispatch(r);
	reply(r, err);
	if (!err && r->new_watch)
		xs_watch_event(c, r->new_watch, r->new_watch->path,
			       r->new_watch->path_len);
}
