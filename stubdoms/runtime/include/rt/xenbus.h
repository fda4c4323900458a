/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The XenStore client (xenbus): requests over this domain's store ring,
 * any number outstanding at once from different threads, watches
 * delivered to callbacks on their own thread, transactions.
 *
 * Every function returns 0 or a negative errno (-ENOENT, -EACCES,
 * -EAGAIN, ...: the store's error name mapped to newlib's errno value).
 * Values returned through char ** are malloc'd, NUL-terminated, and the
 * caller's to free. Paths are absolute or relative to
 * /local/domain/<own id>/.
 */
#ifndef RT_XENBUS_H
#define RT_XENBUS_H

#include <stdbool.h>
#include <stdint.h>

#include <xen/io/xenbus.h>

typedef uint32_t xenbus_txn_t; /* 0: no transaction */
#define XENBUS_NO_TXN 0

/* Connects to the store through start_info's ring; -ENODEV without one.
 * rt_start does it before main(). */
int xenbus_init(void);
bool xenbus_available(void);

int xenbus_read(xenbus_txn_t t, const char *path, char **value);
int xenbus_write(xenbus_txn_t t, const char *path, const char *value);
int xenbus_printf(xenbus_txn_t t, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int xenbus_mkdir(xenbus_txn_t t, const char *path);
int xenbus_rm(xenbus_txn_t t, const char *path);
/* *names: a malloc'd array of *count strings (one block: free(*names)). */
int xenbus_directory(xenbus_txn_t t, const char *path, char ***names,
		     unsigned *count);
/* Permissions as the store writes them: "w0", "r5"... separated by NULs,
 * *len bytes in all. */
int xenbus_get_perms(xenbus_txn_t t, const char *path, char **perms,
		     unsigned *len);
int xenbus_set_perms(xenbus_txn_t t, const char *path, const char *perms,
		     unsigned len);
/* Reads path as a decimal integer. */
int xenbus_read_int(xenbus_txn_t t, const char *path, long *value);

int xenbus_transaction_start(xenbus_txn_t *t);
/* Commits (abort false) or aborts; -EAGAIN: something changed, redo. */
int xenbus_transaction_end(xenbus_txn_t t, bool abort);
/* Runs fn in a transaction, again while the commit says EAGAIN (at most
 * 32 times); fn's non-zero result aborts and is returned. */
int xenbus_transact(int (*fn)(xenbus_txn_t t, void *arg), void *arg);

/* Watches: cb(path that changed, token, arg) runs on the xenwatch thread
 * (it may make requests). The store fires each new watch once at once. */
typedef void (*xenbus_watch_fn)(const char *path, const char *token, void *arg);
int xenbus_watch(const char *path, const char *token, xenbus_watch_fn cb,
		 void *arg);
int xenbus_unwatch(const char *path, const char *token);

/*
 * For tests and tools that speak the wire protocol directly: sends the
 * header h (its req_id replaced by the client's) followed by len bytes of
 * payload, however h->len disagrees with len, and waits for the reply to
 * that req_id. *reply gets the reply header, *body its payload (free it).
 * Returns 0 or -errno (-EIO if the store never answers: a lie about the
 * length desynchronises this domain's own stream, nobody else's).
 */
struct xsd_sockmsg;
int xenbus_raw_request(const struct xsd_sockmsg *h, const void *payload,
		       uint32_t len, struct xsd_sockmsg *reply, char **body,
		       uint64_t timeout_ns);

/*
 * Watch events whose token no xenbus_watch() registered (watches set with
 * xenbus_raw_request) go to fn, on the xenwatch thread; without a sink
 * they are dropped.
 */
void xenbus_set_event_sink(xenbus_watch_fn fn, void *arg);

/* This domain's id and home path (/local/domain/<id>), from the store. */
int xenbus_domid(void);
const char *xenbus_home(void);

/* The xenbus state machine shared by frontends and backends. */
int xenbus_switch_state(const char *dir, enum xenbus_state state);
enum xenbus_state xenbus_read_state(const char *dir);
/* Waits until dir/state is one of the states in mask (1 << state) or
 * timeout_ns passes; returns the state seen, or < 0. */
int xenbus_wait_state(const char *dir, unsigned mask, uint64_t timeout_ns);
const char *xenbus_state_name(enum xenbus_state state);

#endif
