/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The store's internals, shared by the files of xenstore-stubdom/core and
 * by the unit tests (which look at accounting and inject allocation
 * failures). Nothing here is an interface for the daemon: that is
 * xs_store.h.
 *
 * How the parts fit:
 *  - xs_tree.c: the committed tree. Nodes hold their leaf name, value and
 *    permissions; each carries a generation from the store's counter,
 *    bumped on every change to the node (value, permissions, child list).
 *  - xs_txn.c: every request that reads or changes nodes runs inside a
 *    transaction: the client's own (tx_id != 0) or an implicit one for the
 *    single request. A transaction records the generation of each node it
 *    looks at and holds its own copy of each node it changes; commit checks
 *    that nothing it saw has changed, then applies its changes to the tree
 *    and fires watches. Requests thus have one code path.
 *  - xs_watch.c: watches and WATCH_EVENT delivery.
 *  - xs_domain.c: per-domain records (quotas, usage), introduction and
 *    removal of domains.
 *  - xs_quota.c: quota names, defaults, GET_QUOTA / SET_QUOTA.
 *  - xs_conn.c: connections, message framing, output queues.
 *  - xs_proto.c, xs_ops.c: the dispatch table and the request handlers.
 *  - xs_util.c: allocation accounting, paths, numbers, permission strings.
 */
#ifndef ATOLL_XS_INTERNAL_H
#define ATOLL_XS_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <xen/io/xs_wire.h>
#include "xs_store.h"

/* Every handler returns 0 or a positive XEN_E* code. */
#define XS_TRY(expr)                                                           \
	do {                                                                   \
		int xs_try_err_ = (expr);                                      \
		if (xs_try_err_)                                               \
			return xs_try_err_;                                    \
	} while (0)

#define XS_WUR __attribute__((warn_unused_result))

/* Access rights, as in "n5", "r5", "w5", "b5". */
#define XS_PERM_NONE  0u
#define XS_PERM_READ  1u
#define XS_PERM_WRITE 2u
#define XS_PERM_BOTH  (XS_PERM_READ | XS_PERM_WRITE)

/* Domain IDs of real domains are below this (Xen's DOMID_FIRST_RESERVED). */
#define XS_DOMID_FIRST_RESERVED 0x7FF0u

/* Domain IDs a node permission may name: 0 .. XS_DOMID_MAX. */
#define XS_DOMID_MAX 0xFFFFu

/* Longest watch token: any event must fit in XENSTORE_PAYLOAD_MAX. */
#define XS_TOKEN_MAX (XENSTORE_PAYLOAD_MAX - XENSTORE_ABS_PATH_MAX - 2)

/* Output queue limits for watch events, per connection, in bytes. */
#define XS_EVENT_QUEUE_MAX	(64u * 1024)
#define XS_EVENT_QUEUE_MAX_PRIV (1024u * 1024)

struct xs_perm {
	uint16_t domid;
	uint8_t mode; /* XS_PERM_* */
	uint8_t pad;
};

/*
 * A node of the committed tree. Children are a singly linked list in
 * creation order (DIRECTORY lists them in that order). perms[0] is the
 * owner, whose mode is the default for domains not listed.
 */
struct xs_node {
	struct xs_node *parent;
	struct xs_node *child; /* first child */
	struct xs_node *next;  /* next sibling */
	char *value;	       /* NULL when value_len == 0 */
	struct xs_perm *perms; /* perm_count >= 1 entries */
	uint64_t gen;	       /* store generation of the last change */
	uint32_t value_len;
	uint16_t perm_count;
	uint16_t name_len; /* leaf name, without its NUL */
	char name[];	   /* leaf name, NUL-terminated; "" for the root */
};

enum xs_quota_kind {
	XS_Q_NODES,
	XS_Q_WATCHES,
	XS_Q_OUTSTANDING,
	XS_Q_MEMORY,
	XS_Q_TRANSACTIONS,
	XS_Q_TXN_NODES,
	XS_Q_NODE_PERMS,
	XS_Q_NODE_SIZE,
	XS_Q_COUNT
};

/* What a domain ID holds in the store; created on first use. */
struct xs_domain {
	struct xs_domain *next;
	uint32_t domid;
	bool introduced;
	uint32_t quota[XS_Q_COUNT]; /* 0: unlimited */
	uint32_t nodes;		    /* nodes it owns */
	uint32_t watches;	    /* over all its connections */
	uint32_t txns;		    /* open transactions, all connections */
	uint64_t mem;		    /* bytes charged: nodes, watches, txns */
};

struct xs_watch {
	struct xs_watch *next;
	char *token;	   /* points into this block */
	uint32_t path_len; /* absolute path or @special */
	uint32_t rel_len;  /* prefix stripped in events; 0: absolute */
	char path[];
};

/* One queued outgoing message (header + payload). */
struct xs_msg {
	struct xs_msg *next;
	uint32_t size; /* header + payload */
	uint32_t sent; /* bytes already handed out */
	bool reply;    /* a reply (counted as outstanding), not an event */
	uint8_t data[];
};

/* A node a transaction has looked at or changed. */
struct xs_tnode {
	char *path;
	uint64_t gen_seen; /* tree generation at first look; 0: absent */
	bool written;	   /* the fields below are the transaction's */
	bool exists;
	bool fire;    /* fire watches for it at commit */
	bool fire_rm; /* ... as a removal (recursive) */
	uint16_t perm_count;
	uint32_t value_len;
	char *value;
	struct xs_perm *perms;
	struct xs_node *fresh; /* commit: node allocated for it */
};

struct xs_txn {
	struct xs_txn *next;
	struct xs_conn *conn;
	uint32_t id;	/* 0: implicit, one request */
	bool doomed;	/* commit fails with EAGAIN */
	uint32_t count; /* entries used */
	uint32_t cap;	/* entries allocated */
	uint32_t mutations;
	uint64_t charged; /* bytes charged to conn's domain */
	struct xs_tnode *ent;
};

struct xs_conn {
	struct xs_conn *next;
	struct xs_store *store;
	struct xs_domain *dom;
	uint32_t domid;
	bool priv;
	bool failed;
	void *data;
	struct xs_watch *watches;
	struct xs_txn *txns;
	struct xs_msg *out_head, *out_tail;
	uint32_t replies_queued;
	uint32_t event_bytes; /* queued event bytes */
	uint64_t events_dropped;
	uint32_t in_have; /* bytes of the current message in `in` */
	uint32_t skip;	  /* payload bytes of an oversized message to drop */
	uint8_t in[sizeof(struct xsd_sockmsg) + XENSTORE_PAYLOAD_MAX + 1];
};

/* The special watch paths, which also have permissions. */
enum xs_special { XS_SPECIAL_INTRODUCE, XS_SPECIAL_RELEASE, XS_SPECIAL_COUNT };

struct xs_special_node {
	struct xs_perm *perms;
	uint16_t perm_count;
};

/* The request being processed. */
struct xs_req {
	struct xs_conn *conn;
	struct xsd_sockmsg hdr;
	const char *payload;	    /* hdr.len bytes, NUL after them */
	struct xs_txn *txn;	    /* for XS_OPF_TXN requests */
	struct xs_watch *new_watch; /* WATCH: fire it after the reply */
	uint32_t argc;
	const char *argv[4];
	char path[XENSTORE_ABS_PATH_MAX + 1];
	char out[XENSTORE_PAYLOAD_MAX]; /* reply payload */
	uint32_t out_len;
	bool out_overflow;
};

struct xs_store {
	struct xs_hooks hooks;
	void *ctx;
	struct xs_node *root;
	struct xs_domain *domains;
	struct xs_conn *conns;
	struct xs_conn *self; /* privileged, for the store's own changes */
	uint64_t gen;	      /* last generation handed out */
	uint32_t next_txid;
	uint32_t quota_default[XS_Q_COUNT];
	struct xs_special_node special[XS_SPECIAL_COUNT];
	/* accounting */
	uint64_t bytes, allocations, nodes, node_bytes, node_name_value_bytes;
	uint32_t conn_count, watch_count, txn_count;
	/* Tests: fail the allocation this many allocations from now (0: off).
	 */
	uint64_t fail_alloc_in;
	struct xs_req req;
	char scratch_path[XENSTORE_ABS_PATH_MAX + 1]; /* xs_domain.c */
	char view_path[XENSTORE_ABS_PATH_MAX + 1];    /* xs_txn.c */
	char write_path[XENSTORE_ABS_PATH_MAX + 1];   /* xs_ops.c */
};

/* xs_util.c: allocation (every block counted in store->bytes) */
void *xs_alloc(struct xs_store *s, size_t size);
void *xs_zalloc(struct xs_store *s, size_t size);
void xs_free(struct xs_store *s, void *p);
size_t xs_block_size(const void *p); /* bytes counted for a block */
char *xs_memdup(struct xs_store *s, const void *p, size_t len); /* +NUL */

/* xs_util.c: parsing and formatting */
XS_WUR int xs_parse_uint(const char *s, uint64_t max, uint64_t *out);
XS_WUR int xs_parse_domid(const char *s, uint32_t *out);
bool xs_path_is_valid(const char *path, size_t len);
XS_WUR int xs_canonical(const struct xs_conn *c, const char *in, char *out,
			bool allow_special);
size_t xs_domain_path(uint32_t domid, char *buf, size_t size);
bool xs_is_child(const char *child, size_t clen, const char *parent,
		 size_t plen);
size_t xs_parent_len(const char *path, size_t len);
XS_WUR int xs_perm_parse(const char *s, struct xs_perm *out);
int xs_perm_format(const struct xs_perm *p, char *buf, size_t size);
bool xs_perms_strip(struct xs_perm *p, uint16_t *count, uint32_t domid);
uint8_t xs_perm_for(const struct xs_conn *c, const struct xs_perm *p,
		    uint16_t count);

/* xs_tree.c */
struct xs_node *xs_tree_lookup(const struct xs_store *s, const char *path);
struct xs_node *xs_node_alloc(struct xs_store *s, const char *name, size_t len);
void xs_node_link(struct xs_store *s, struct xs_node *parent,
		  struct xs_node *n);
void xs_node_replace(struct xs_store *s, struct xs_node *n, char *value,
		     uint32_t value_len, struct xs_perm *perms,
		     uint16_t perm_count);
void xs_tree_remove(struct xs_store *s, struct xs_node *n);
void xs_node_strip_perms(struct xs_store *s, struct xs_node *n, uint32_t domid);
struct xs_node *xs_tree_next(struct xs_node *n, bool descend);
uint64_t xs_node_charge(const struct xs_node *n);
size_t xs_node_path(const struct xs_node *n, char *buf, size_t size);
XS_WUR int xs_tree_init(struct xs_store *s);

/* xs_txn.c: the view of the tree a transaction has */
struct xs_view {
	bool exists;
	const char *value;
	uint32_t value_len;
	const struct xs_perm *perms;
	uint16_t perm_count;
	uint64_t gen;
};
typedef int (*xs_child_fn)(void *arg, const char *name, size_t len);

void xs_txn_init(struct xs_txn *t, struct xs_conn *c, uint32_t id);
XS_WUR int xs_view_get(struct xs_txn *t, const char *path, struct xs_view *v);
XS_WUR int xs_view_children(struct xs_txn *t, const char *path, xs_child_fn fn,
			    void *arg);
XS_WUR int xs_view_set(struct xs_txn *t, const char *path, const char *value,
		       uint32_t value_len, const struct xs_perm *perms,
		       uint16_t perm_count, int32_t owner);
XS_WUR int xs_view_delete(struct xs_txn *t, const char *path);
void xs_view_mark_fire(struct xs_txn *t, const char *path, bool rm);
XS_WUR int xs_txn_commit(struct xs_txn *t);
void xs_txn_clear(struct xs_txn *t);
struct xs_txn *xs_txn_lookup(const struct xs_conn *c, uint32_t id);
XS_WUR int xs_txn_start(struct xs_conn *c, uint32_t *id);
void xs_txn_end(struct xs_txn *t); /* unlink and free */
void xs_txn_forget_domain(struct xs_store *s, uint32_t domid);

/* xs_watch.c */
XS_WUR int xs_watch_add(struct xs_conn *c, const char *path, bool relative,
			const char *token, struct xs_watch **out);
XS_WUR int xs_watch_remove(struct xs_conn *c, const char *path,
			   const char *token);
void xs_watch_free_all(struct xs_conn *c);
void xs_watch_fire(struct xs_store *s, const char *path, size_t len,
		   const struct xs_perm *perms, uint16_t perm_count,
		   bool recursive);
void xs_watch_fire_special(struct xs_store *s, enum xs_special which);
void xs_watch_event(struct xs_conn *c, const struct xs_watch *w,
		    const char *path, size_t len);
int xs_special_index(const char *path);

/* xs_domain.c */
struct xs_domain *xs_domain_find(const struct xs_store *s, uint32_t domid);
struct xs_domain *xs_domain_get(struct xs_store *s, uint32_t domid);
void xs_domain_charge(struct xs_store *s, uint32_t domid, int64_t bytes,
		      int32_t nodes);
void xs_domain_free_all(struct xs_store *s);
void xs_domain_drop_conns(struct xs_store *s, uint32_t domid);

/* xs_ops.c: creates `path` and missing parents, or changes its value. */
XS_WUR int xs_node_write(struct xs_txn *t, const char *path, const char *value,
			 uint32_t value_len, bool mkdir);

/* xs_quota.c */
void xs_quota_defaults(uint32_t q[XS_Q_COUNT]);
bool xs_quota_exceeded(const struct xs_conn *c, enum xs_quota_kind k,
		       uint64_t value);
bool xs_quota_mem_exceeded(const struct xs_domain *d, bool priv,
			   uint64_t extra);

/* xs_conn.c */
struct xs_conn *xs_conn_create(struct xs_store *s, uint32_t domid,
			       unsigned int flags, bool listed);
/* Out of memory marks the connection failed (xs_conn_failed). */
void xs_conn_queue(struct xs_conn *c, const struct xsd_sockmsg *hdr,
		   const void *a, size_t alen, const void *b, size_t blen,
		   bool reply);

/* xs_proto.c */
void xs_proto_process(struct xs_conn *c);

/* xs_ops.c / xs_dops.c: handlers; the reply payload goes to req->out. */
int xs_op_read(struct xs_req *r);
int xs_op_write(struct xs_req *r);
int xs_op_mkdir(struct xs_req *r);
int xs_op_rm(struct xs_req *r);
int xs_op_directory(struct xs_req *r);
int xs_op_directory_part(struct xs_req *r);
int xs_op_get_perms(struct xs_req *r);
int xs_op_set_perms(struct xs_req *r);
int xs_op_watch(struct xs_req *r);
int xs_op_unwatch(struct xs_req *r);
int xs_op_transaction_start(struct xs_req *r);
int xs_op_transaction_end(struct xs_req *r);
int xs_op_introduce(struct xs_req *r);
int xs_op_release(struct xs_req *r);
int xs_op_get_domain_path(struct xs_req *r);
int xs_op_is_domain_introduced(struct xs_req *r);
int xs_op_resume(struct xs_req *r);
int xs_op_reset_watches(struct xs_req *r);
int xs_op_get_quota(struct xs_req *r);
int xs_op_set_quota(struct xs_req *r);

/* Request helpers (xs_proto.c). */
XS_WUR int xs_args(struct xs_req *r, uint32_t min, uint32_t max);
void xs_out_put(struct xs_req *r, const void *p, size_t len);
void xs_out_str(struct xs_req *r, const char *s); /* with its NUL */

#endif
