/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * vmctl's end of the management channel (docs/mgmt.md): a connection to
 * com2.sock (QEMU's COM2, read by ctld), XenStore-framed requests out,
 * replies in through lib/wire, matched to their request by req_id.
 *
 * The channel is a serial line: it has no notion of a connection, so
 * bytes from an earlier client (a reply it left unread, a watch it left
 * set) may still arrive. Replies whose req_id is not one of ours are
 * dropped, watch events go to on_event, and a header no valid message
 * could have makes the reader slide one byte and look again.
 */
#ifndef ATOLL_VMCTL_MGMT_H
#define ATOLL_VMCTL_MGMT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <atoll/mgmt.h>
#include <xen/io/xs_wire.h>

#include "mgmt_reply.h"
#include "wire.h"

enum mgmt_status {
	MGMT_OK,
	MGMT_REMOTE,   /* an XS_ERROR reply: see mgmt.error */
	MGMT_TIMEOUT,  /* no reply within the timeout */
	MGMT_CLOSED,   /* the other side closed the connection */
	MGMT_IO,       /* a system call failed: see mgmt.saved_errno */
	MGMT_PROTOCOL, /* a reply of the wrong type */
};

struct mgmt_msg {
	struct xsd_sockmsg hdr;
	const uint8_t *payload; /* valid until the next receive */
};

struct mgmt {
	int fd;
	char path[108];
	struct wire_rx rx;
	uint8_t *payload; /* ATOLL_MGMT_PAYLOAD_MAX bytes */
	uint8_t in[16384];
	size_t in_start, in_end; /* bytes read, not yet given to rx */
	uint32_t next_req_id;
	int timeout_ms; /* for each call; default mgmt_default_timeout() */
	int saved_errno;
	struct mgmt_error error; /* after MGMT_REMOTE */
	/* XS_WATCH_EVENT payloads that arrive while waiting, or NULL. */
	void (*on_event)(void *ctx, const uint8_t *p, uint32_t len);
	void *event_ctx;
};

/* $VMCTL_TIMEOUT seconds if set, else fallback_s, in milliseconds. */
int mgmt_default_timeout(int fallback_s);

/*
 * The socket to use: $ATOLL_MGMT_SOCKET if set (e.g. a xenstore-bridge),
 * else run_dir/com2.sock. Returns false if the path is too long.
 */
bool mgmt_socket_path(const char *run_dir, char *out, size_t size);

/*
 * Connects to path, with timeout_ms for each call (0: the default, 10 s
 * or $VMCTL_TIMEOUT). On failure says why on stderr and returns false.
 */
bool mgmt_open(struct mgmt *m, const char *path, int timeout_ms);
/* Safe after a failed open and on a struct initialised {.fd = -1}. */
void mgmt_close(struct mgmt *m);

/* Sends one message with a new req_id (stored in *req_id if not NULL). */
enum mgmt_status mgmt_send(struct mgmt *m, uint32_t type, uint32_t tx_id,
			   const void *p, size_t len, uint32_t *req_id)
    __attribute__((warn_unused_result));

/* Sends a message as given (the bridge: another client's header). */
enum mgmt_status mgmt_send_raw(int fd, const struct xsd_sockmsg *hdr,
			       const void *p)
    __attribute__((warn_unused_result));

/* One read() into the buffer: MGMT_OK, MGMT_CLOSED or MGMT_IO. */
enum mgmt_status mgmt_fill(struct mgmt *m) __attribute__((warn_unused_result));

/* The next complete message among the bytes read; false if none yet. */
bool mgmt_next(struct mgmt *m, struct mgmt_msg *msg);

/*
 * Waits until the reply to req_id (or deadline_ms, a CLOCK_MONOTONIC time
 * from mgmt_now_ms()). Watch events go to on_event, stale replies are
 * dropped. A reply of another type than `type` or XS_ERROR is
 * MGMT_PROTOCOL; XS_ERROR is MGMT_REMOTE with m->error filled in.
 */
enum mgmt_status mgmt_wait(struct mgmt *m, uint32_t req_id, uint32_t type,
			   int64_t deadline_ms, struct mgmt_msg *reply)
    __attribute__((warn_unused_result));

/* Waits for a message of any kind until deadline_ms. */
enum mgmt_status mgmt_recv(struct mgmt *m, int64_t deadline_ms,
			   struct mgmt_msg *msg)
    __attribute__((warn_unused_result));

/* mgmt_send then mgmt_wait, within m->timeout_ms. */
enum mgmt_status mgmt_call(struct mgmt *m, uint32_t type, uint32_t tx_id,
			   const void *p, size_t len, struct mgmt_msg *reply)
    __attribute__((warn_unused_result));

/*
 * Says what went wrong on stderr: "vmctl: ENAME: message" for an
 * XS_ERROR (with `what`, e.g. a XenStore path, when ctld sent no
 * message), or the local problem. Returns VMCTL_EXIT_FAIL.
 */
int mgmt_report(const struct mgmt *m, enum mgmt_status st, const char *what);

int64_t mgmt_now_ms(void);

struct sockaddr_un;
/* Fills in a unix socket address; false if path does not fit. */
bool mgmt_unix_addr(struct sockaddr_un *sa, const char *path);

/* Is hdr a header some valid message could have? */
bool mgmt_plausible(const struct xsd_sockmsg *hdr);

#endif
