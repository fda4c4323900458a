/* SPDX-License-Identifier: MIT */
/*
 * The states a split device's frontend and backend publish in their
 * XenStore "state" nodes while they connect and disconnect (Xen's
 * XenbusState*, same numbers; written as decimal strings).
 */
#ifndef ATOLL_PUBLIC_XEN_IO_XENBUS_H
#define ATOLL_PUBLIC_XEN_IO_XENBUS_H

enum xenbus_state {
	XenbusStateUnknown = 0,
	XenbusStateInitialising = 1,
	XenbusStateInitWait = 2,    /* backend: waiting for frontend details */
	XenbusStateInitialised = 3, /* frontend: details published */
	XenbusStateConnected = 4,
	XenbusStateClosing = 5,
	XenbusStateClosed = 6,
	XenbusStateReconfiguring = 7, /* backend: devices being added/removed */
	XenbusStateReconfigured = 8,
};

#endif
