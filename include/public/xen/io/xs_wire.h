/* SPDX-License-Identifier: MIT */
/*
 * The XenStore wire protocol: the message header and message types spoken
 * between the store and its clients, the names errors travel as, and the
 * shared page through which a domain reaches the store (two byte rings).
 * Numbers and layouts are Xen's, so Xen's clients (libxenstore,
 * xenstore-utils, Linux's xenbus) talk to Atoll's store unchanged. What the
 * store does with each message is described in docs/xenstore.md.
 *
 * A message, in either direction, is a struct xsd_sockmsg followed by
 * `len` bytes of payload, at most XENSTORE_PAYLOAD_MAX. Payloads are mostly
 * NUL-terminated strings; a value (WRITE, READ's reply) is raw bytes.
 */
#ifndef ATOLL_PUBLIC_XEN_IO_XS_WIRE_H
#define ATOLL_PUBLIC_XEN_IO_XS_WIRE_H

#include <stdint.h>
#include "../errno.h"

/* Message types; a reply carries its request's type, or XS_ERROR. */
enum xsd_sockmsg_type {
	XS_CONTROL = 0, /* implementation-defined commands */
	XS_DEBUG = 0,	/* old name of XS_CONTROL */
	XS_DIRECTORY = 1,
	XS_READ = 2,
	XS_GET_PERMS = 3,
	XS_WATCH = 4,
	XS_UNWATCH = 5,
	XS_TRANSACTION_START = 6,
	XS_TRANSACTION_END = 7,
	XS_INTRODUCE = 8,
	XS_RELEASE = 9,
	XS_GET_DOMAIN_PATH = 10,
	XS_WRITE = 11,
	XS_MKDIR = 12,
	XS_RM = 13,
	XS_SET_PERMS = 14,
	XS_WATCH_EVENT = 15, /* store to client only */
	XS_ERROR = 16,	     /* store to client only */
	XS_IS_DOMAIN_INTRODUCED = 17,
	XS_RESUME = 18,
	XS_SET_TARGET = 19,
	/* 20 was XS_RESTRICT, withdrawn: the number is invalid. */
	XS_RESET_WATCHES = 21,
	XS_DIRECTORY_PART = 22,
	XS_GET_FEATURE = 23,
	XS_SET_FEATURE = 24,
	XS_GET_QUOTA = 25,
	XS_SET_QUOTA = 26,
	XS_TYPE_COUNT = 27, /* one past the last defined type */
	XS_INVALID = 0xffff /* never a valid type */
};

/*
 * The header of every message. req_id is the client's and comes back in
 * the reply; tx_id names a transaction (0: none). WATCH_EVENT messages
 * carry 0 in both.
 */
struct xsd_sockmsg {
	uint32_t type;
	uint32_t req_id;
	uint32_t tx_id;
	uint32_t len; /* bytes of payload after the header */
};
_Static_assert(sizeof(struct xsd_sockmsg) == 16, "Xen ABI");

/*
 * Errors travel as the errno's name, a NUL-terminated string in an
 * XS_ERROR reply ("ENOENT"). The table pairs each name with its number
 * (Xen's, equal to Linux's: xen/errno.h). Its order is Xen's; new names
 * would only ever be appended.
 */
struct xsd_errors {
	int errnum;
	const char *errstring;
};

static const struct xsd_errors xsd_errors[] __attribute__((unused)) = {
    {XEN_EINVAL, "EINVAL"},	  {XEN_EACCES, "EACCES"},
    {XEN_EEXIST, "EEXIST"},	  {XEN_EISDIR, "EISDIR"},
    {XEN_ENOENT, "ENOENT"},	  {XEN_ENOMEM, "ENOMEM"},
    {XEN_ENOSPC, "ENOSPC"},	  {XEN_EIO, "EIO"},
    {XEN_ENOTEMPTY, "ENOTEMPTY"}, {XEN_ENOSYS, "ENOSYS"},
    {XEN_EROFS, "EROFS"},	  {XEN_EBUSY, "EBUSY"},
    {XEN_EAGAIN, "EAGAIN"},	  {XEN_EISCONN, "EISCONN"},
    {XEN_E2BIG, "E2BIG"},	  {XEN_EPERM, "EPERM"},
};

#define XSD_ERROR_COUNT (sizeof(xsd_errors) / sizeof(xsd_errors[0]))

/* --- The shared page (docs/misc/xenstore-ring.txt in Xen) --- */

#define XENSTORE_RING_SIZE 1024 /* bytes in each direction; a power of 2 */
typedef uint32_t XENSTORE_RING_IDX;

/* Free-running index to offset in a ring. */
#define MASK_XENSTORE_IDX(idx) ((idx) & (XENSTORE_RING_SIZE - 1))

/*
 * The domain produces into req and consumes from rsp; the store does the
 * reverse. Indices run freely modulo 2^32 and are never reset, so
 * prod - cons is the number of bytes waiting. The store advertises
 * optional behaviour in server_features; connection and error report the
 * connection's state (values below).
 */
struct xenstore_domain_interface {
	char req[XENSTORE_RING_SIZE];
	char rsp[XENSTORE_RING_SIZE];
	XENSTORE_RING_IDX req_cons, req_prod;
	XENSTORE_RING_IDX rsp_cons, rsp_prod;
	uint32_t server_features; /* XENSTORE_SERVER_FEATURE_* */
	uint32_t connection;	  /* XENSTORE_CONNECTED / _RECONNECT */
	uint32_t error;		  /* XENSTORE_ERROR_* */
	uint32_t evtchn_port;	  /* filled in by the builder, or 0 */
};
_Static_assert(sizeof(struct xenstore_domain_interface) == 2080, "Xen ABI");

/* Largest payload in either direction. */
#define XENSTORE_PAYLOAD_MAX 4096

/* Longest path, absolute and relative; a longer one is an error. */
#define XENSTORE_ABS_PATH_MAX 3072
#define XENSTORE_REL_PATH_MAX 2048

/* server_features bits. */
#define XENSTORE_SERVER_FEATURE_RECONNECTION 1 /* connection field works */
#define XENSTORE_SERVER_FEATURE_ERROR	     2 /* error field works */
#define XENSTORE_SERVER_FEATURE_WATCHDEPTH   4 /* WATCH takes a depth */
#define XENSTORE_SERVER_FEATURE_DOMID_ANY    8 /* DOMID_ANY in permissions */

/* connection values. */
#define XENSTORE_CONNECTED 0 /* normal operation */
#define XENSTORE_RECONNECT 1 /* the domain asked for a reset */

/* error values. */
#define XENSTORE_ERROR_NONE    0
#define XENSTORE_ERROR_COMM    1 /* event channel or mapping failed */
#define XENSTORE_ERROR_RINGIDX 2 /* an index moved impossibly */
#define XENSTORE_ERROR_PROTO   3 /* a message broke the protocol */

#endif
