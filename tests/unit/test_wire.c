// SPDX-License-Identifier: GPL-2.0-only
/* lib/wire: messages reassembled from any split of the stream, oversized
 * ones reported and skipped without losing step. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "wire.h"

static uint8_t stream[4096];
static size_t stream_len;

static void put(uint32_t type, uint32_t id, const char *payload, uint32_t len)
{
	struct xsd_sockmsg h = {.type = type, .req_id = id, .len = len};

	memcpy(stream + stream_len, &h, sizeof(h));
	stream_len += sizeof(h);
	memcpy(stream + stream_len, payload, len);
	stream_len += len;
}

/* Feeds the stream in pieces of `step`; records what came out. */
static unsigned run(size_t step, uint32_t *ids, enum wire_status *kinds)
{
	uint8_t buf[64];
	struct wire_rx rx;
	unsigned count = 0;
	size_t off = 0;

	wire_rx_init(&rx, buf, sizeof(buf));
	while (off < stream_len) {
		size_t len = stream_len - off < step ? stream_len - off : step;
		size_t used;
		enum wire_status st =
		    wire_rx_feed(&rx, stream + off, len, &used);

		assert_true(used <= len);
		assert_true(used > 0 || st != WIRE_MORE);
		off += used;
		if (st != WIRE_MORE) {
			ids[count] = rx.hdr.req_id;
			kinds[count++] = st;
			if (st == WIRE_MESSAGE && rx.hdr.req_id == 1)
				assert_memory_equal(buf, "hello", 5);
		}
	}
	return count;
}

static void any_split(void **state)
{
	char big[100];

	memset(big, 'x', sizeof(big));
	stream_len = 0;
	put(XS_READ, 1, "hello", 5);
	put(XS_WRITE, 2, "", 0);
	put(XS_WRITE, 3, big, sizeof(big)); /* over the 64-byte buffer */
	put(XS_READ, 4, "after", 5);
	for (size_t step = 1; step <= stream_len; step++) {
		uint32_t ids[8];
		enum wire_status kinds[8];

		assert_int_equal(run(step, ids, kinds), 4);
		assert_int_equal(ids[0], 1);
		assert_int_equal(kinds[0], WIRE_MESSAGE);
		assert_int_equal(ids[1], 2);
		assert_int_equal(ids[2], 3);
		assert_int_equal(kinds[2], WIRE_TOO_BIG);
		assert_int_equal(ids[3], 4);
		assert_int_equal(kinds[3], WIRE_MESSAGE);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(any_split),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
