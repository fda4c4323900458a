/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The XenStore's logic, apart from any platform: a tree of nodes with
 * permissions, transactions, watches and per-domain quotas, driven by the
 * Xen wire protocol (xen/io/xs_wire.h). The XenStore domain wraps it with
 * rings and event channels; host unit tests and the fuzz target drive it
 * directly. The semantics are in docs/xenstore.md.
 *
 * Everything hangs off one struct xs_store; there is no global state and
 * no locking (one thread at a time per store). The library calls malloc,
 * free and string functions only.
 *
 * The store owns its connections. A daemon creates one per domain ring (or
 * local socket) with xs_conn_new(), feeds it the bytes read from the ring
 * with xs_conn_input(), and copies the queued replies and watch events back
 * with xs_conn_output_peek() / xs_conn_output_consume(). The store frees a
 * domain's connections itself when the domain goes (RELEASE or
 * xs_store_domain_gone()), after telling the daemon through hooks->release.
 */
#ifndef ATOLL_XS_STORE_H
#define ATOLL_XS_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct xs_store;
struct xs_conn;

/*
 * What the store asks of the daemon. Every hook may be NULL. Hooks may call
 * xs_conn_new() and the xs_conn_* output and query functions, but not
 * xs_conn_input(), xs_store_domain_gone() or xs_store_free().
 */
struct xs_hooks {
	/*
	 * INTRODUCE from a privileged connection: map the ring at frame `mfn`
	 * of `domid`, bind `port`, and create the domain's connection. Returns
	 * 0, or a positive XEN_E* code sent back as the error (names outside
	 * xsd_errors[] become EIO). On 0 the store marks the domain introduced.
	 */
	int (*introduce)(void *ctx, uint32_t domid, uint64_t mfn,
			 uint32_t port);
	/*
	 * The domain is being released (RELEASE, or xs_store_domain_gone()):
	 * its connections are freed right after this returns. Unmap its ring
	 * and forget every struct xs_conn of that domain.
	 */
	void (*release)(void *ctx, uint32_t domid);
	/* Output was queued on a connection whose queue was empty. */
	void (*output)(void *ctx, struct xs_conn *conn);
};

/* xs_conn_new() flags. */
#define XS_CONN_PRIV 0x1u /* privileged: no permission or quota checks */

/* Domain ID that owns the standard tree; no connection ever has it. */
#define XS_DOMID_STORE 0x7FF2u

/* Returns NULL when out of memory. `hooks` is copied. */
struct xs_store *xs_store_new(const struct xs_hooks *hooks, void *ctx);
/* Frees the store and every connection, node, watch and transaction. */
void xs_store_free(struct xs_store *store);

/*
 * A new connection for `domid` (a domain's ring, or a local socket acting
 * for that domain ID). Returns NULL when out of memory.
 */
struct xs_conn *xs_conn_new(struct xs_store *store, uint32_t domid,
			    unsigned int flags);
/*
 * Closes one connection (its peer went away): its watches, transactions
 * and queued output are freed. The domain's nodes stay.
 */
void xs_conn_free(struct xs_conn *conn);

/*
 * Consumes bytes of the client's stream and processes every message they
 * complete; a message may arrive in any number of pieces. Returns how many
 * bytes were consumed: fewer than `len` when the connection has its quota
 * of unread replies queued (unprivileged: "outstanding"), or has failed.
 * Call again with the rest once output has been consumed.
 */
size_t xs_conn_input(struct xs_conn *conn, const void *bytes, size_t len);

/* True if replies or watch events wait to be sent. */
bool xs_conn_has_output(const struct xs_conn *conn);
/*
 * The next bytes to send: sets *len and returns a pointer valid until the
 * next call into the store. Returns NULL, *len = 0, when nothing waits.
 */
const void *xs_conn_output_peek(const struct xs_conn *conn, size_t *len);
/* Marks `len` bytes (at most what peek returned) as sent. */
void xs_conn_output_consume(struct xs_conn *conn, size_t len);
/* Copies up to `max` queued bytes into `buf`, consumes them; returns count. */
size_t xs_conn_output(struct xs_conn *conn, void *buf, size_t max);

/*
 * True if the connection failed (out of memory while queueing a reply) and
 * should be closed with xs_conn_free(); it takes no more input.
 */
bool xs_conn_failed(const struct xs_conn *conn);
uint32_t xs_conn_domid(const struct xs_conn *conn);
/* The daemon's own pointer for a connection (ring mapping, port...). */
void xs_conn_set_data(struct xs_conn *conn, void *data);
void *xs_conn_data(const struct xs_conn *conn);
/* Watch events dropped because the connection's queue was full. */
uint64_t xs_conn_events_dropped(const struct xs_conn *conn);

/*
 * Introduces a domain without a request (the daemon's boot domains, after
 * it has mapped their rings): marks it introduced, creates
 * /local/domain/<domid> owned by it if missing, fires @introduceDomain.
 * Returns 0, XEN_ENOMEM or XEN_EINVAL (domid reserved).
 */
int xs_store_introduce(struct xs_store *store, uint32_t domid);

/*
 * The hypervisor reported `domid` dead. Calls hooks->release, frees the
 * domain's connections, watches and transactions, removes
 * /local/domain/<domid> and every node the domain owns (firing watches),
 * removes permission entries naming it, forgets its quotas and fires
 * @releaseDomain. A domain ID reused later starts from nothing.
 */
void xs_store_domain_gone(struct xs_store *store, uint32_t domid);

struct xs_stats {
	uint64_t nodes;			/* nodes in the tree */
	uint64_t node_bytes;		/* bytes held by nodes, all included */
	uint64_t node_name_value_bytes; /* names (with NUL) and values */
	uint64_t bytes;			/* every byte the store has allocated */
	uint64_t allocations;		/* blocks currently allocated */
	uint32_t domains;		/* domain records */
	uint32_t connections;
	uint32_t watches;
	uint32_t transactions;
};

void xs_store_stats(const struct xs_store *store, struct xs_stats *out);

#endif
