// SPDX-License-Identifier: GPL-2.0-only
#include <string.h>

#include <atoll/mgmt.h>

#include "wire.h"

#define HDR ((uint32_t)sizeof(struct xsd_sockmsg))

void wire_rx_init(struct wire_rx *rx, uint8_t *buffer, uint32_t cap)
{
	memset(rx, 0,
	       sizeof(*rx)); /* no plausible() until the caller sets one */
	rx->payload = buffer;
	rx->cap = cap;
}

bool wire_mgmt_plausible(const struct xsd_sockmsg *hdr)
{
	uint32_t t = hdr->type;
	bool xs =
	    t > XS_CONTROL && t < XS_TYPE_COUNT && t != 20; /* withdrawn */
	bool atoll = t >= ATOLL_MGMT_BASE && t < ATOLL_MGMT_TYPE_END;

	return (xs || atoll) && hdr->len <= ATOLL_MGMT_PAYLOAD_MAX;
}

static size_t take(void *dst, const uint8_t *src, size_t want, size_t len)
{
	size_t n = want < len ? want : len;

	memcpy(dst, src, n);
	return n;
}

enum wire_status wire_rx_feed(struct wire_rx *rx, const uint8_t *data,
			      size_t len, size_t *used)
{
	size_t n = 0;

	if (rx->skip) {
		n = rx->skip < len ? rx->skip : len;
		rx->skip -= (uint32_t)n;
		*used = n;
		return WIRE_MORE;
	}
	if (rx->have < HDR) {
		n = take((uint8_t *)&rx->hdr + rx->have, data, HDR - rx->have,
			 len);
		rx->have += (uint32_t)n;
		if (rx->have < HDR) {
			*used = n;
			return WIRE_MORE;
		}
		if (rx->plausible && !rx->plausible(&rx->hdr)) {
			memmove(&rx->hdr, (uint8_t *)&rx->hdr + 1, HDR - 1);
			rx->have = HDR - 1;
			rx->resyncs++;
			*used = n;
			return WIRE_MORE;
		}
		if (rx->hdr.len > rx->cap) {
			rx->skip = rx->hdr.len;
			rx->have = 0;
			*used = n;
			return WIRE_TOO_BIG;
		}
	}
	{
		size_t got = take(rx->payload + (rx->have - HDR), data + n,
				  HDR + rx->hdr.len - rx->have, len - n);

		rx->have += (uint32_t)got;
		*used = n + got;
	}
	if (rx->have < HDR + rx->hdr.len)
		return WIRE_MORE;
	rx->have = 0;
	return WIRE_MESSAGE;
}
