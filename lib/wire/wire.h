/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Reassembles XenStore-framed messages (struct xsd_sockmsg + payload)
 * from a byte stream that arrives in arbitrary pieces: the management
 * channel's framing, on both ends (ctld over COM2, vmctl over the socket).
 * A header announcing more than the buffer holds is reported once and its
 * payload skipped, so the stream stays in step.
 */
#ifndef ATOLL_WIRE_H
#define ATOLL_WIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <xen/io/xs_wire.h>

struct wire_rx {
	/*
	 * Optional: a complete header this says is implausible is taken as
	 * being out of step with the stream (bytes lost, say, before the
	 * UART was set up): its first byte is dropped and the header looked
	 * for again one byte on.
	 */
	bool (*plausible)(const struct xsd_sockmsg *hdr);
	uint64_t resyncs; /* bytes dropped that way */
	struct xsd_sockmsg hdr;
	uint8_t *payload; /* the caller's buffer, cap bytes */
	uint32_t cap;
	uint32_t have; /* bytes of the current message received */
	uint32_t skip; /* payload bytes of an oversized message to drop */
};

enum wire_status {
	WIRE_MORE,    /* everything consumed, no message complete */
	WIRE_MESSAGE, /* hdr and payload hold a message */
	WIRE_TOO_BIG, /* hdr holds a header whose payload is over cap */
};

void wire_rx_init(struct wire_rx *rx, uint8_t *buffer, uint32_t cap);

/*
 * A header the management channel can carry: a known type (XenStore's but
 * XS_CONTROL, whose 0 is what runs of zero bytes look like; Atoll's) and
 * a payload within ATOLL_MGMT_PAYLOAD_MAX. Both ends use it as their
 * wire_rx's plausible().
 */
bool wire_mgmt_plausible(const struct xsd_sockmsg *hdr);
/*
 * Consumes bytes of data[0..len) up to the end of the next message and
 * says what it found; *used is how many bytes it took. A message stays
 * valid until the next call.
 */
enum wire_status wire_rx_feed(struct wire_rx *rx, const uint8_t *data,
			      size_t len, size_t *used);

#endif
