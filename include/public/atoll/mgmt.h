/* SPDX-License-Identifier: MIT */
/*
 * The management channel between vmctl (on the host) and ctld (the control
 * domain): a byte stream over COM2, framed like the XenStore wire protocol
 * (xen/io/xs_wire.h): a struct xsd_sockmsg header, then len bytes of
 * payload (at most ATOLL_MGMT_PAYLOAD_MAX).
 *
 * Messages with a XenStore type (XS_READ ... XS_SET_QUOTA) are XenStore
 * requests: ctld forwards them to the store on its own privileged
 * connection and returns the store's reply, so vmctl (and the XenStore
 * bridge, which lets Xen's xenstore-utils in) speak plain XenStore. Watch
 * events come back as XS_WATCH_EVENT messages with req_id 0.
 *
 * Atoll's control operations have types from ATOLL_MGMT_BASE up. A reply
 * carries the request's type and req_id, or XS_ERROR with the payload
 * "ENAME\0human-readable message\0" (ENAME one of xs_wire.h's names).
 * Payloads are text unless said otherwise; "DOM" is a domain name or id.
 * Full description: docs/mgmt.md.
 */
#ifndef ATOLL_PUBLIC_MGMT_H
#define ATOLL_PUBLIC_MGMT_H

#define ATOLL_MGMT_PROTOCOL_VERSION 1
/* Larger than the XenStore's 4096, so that images stream in big pieces. */
#define ATOLL_MGMT_PAYLOAD_MAX	    65536

#define ATOLL_MGMT_BASE 0x100

enum atoll_mgmt_type {
	/* "" -> "atoll-mgmt 1\0" + status lines (see docs/mgmt.md) */
	ATOLL_MGMT_HELLO = ATOLL_MGMT_BASE,
	/* "" -> one line per domain: "ID NAME MEM_KIB VCPUS STATE CPU_NS\n" */
	ATOLL_MGMT_LIST,
	/* "" -> "key value\n" lines about the hypervisor and ctld */
	ATOLL_MGMT_INFO,
	/* "" -> the hypervisor's console log (as much as it kept) */
	ATOLL_MGMT_DMESG,
	/* a domain config in xl.cfg syntax -> "ID\n" once its main() runs */
	ATOLL_MGMT_CREATE,
	/* "DOM" -> "" */
	ATOLL_MGMT_DESTROY,
	ATOLL_MGMT_PAUSE,
	ATOLL_MGMT_UNPAUSE,
	ATOLL_MGMT_SHUTDOWN, /* asks it (XenStore control/shutdown) */
	ATOLL_MGMT_REBOOT,
	/* "DOM" -> "WEIGHT CAP"; "DOM WEIGHT CAP" -> "" */
	ATOLL_MGMT_SCHED_CREDIT,
	/* "NAME SIZE" -> "": an image upload begins (CREATE kernel "NAME") */
	ATOLL_MGMT_IMAGE_BEGIN,
	/* raw bytes -> "" */
	ATOLL_MGMT_IMAGE_DATA,
	/* "" -> "": the upload is complete and checked */
	ATOLL_MGMT_IMAGE_END,
	/* "N" -> N bytes of filler: measures the channel */
	ATOLL_MGMT_ECHO,
	ATOLL_MGMT_TYPE_END
};

#endif
