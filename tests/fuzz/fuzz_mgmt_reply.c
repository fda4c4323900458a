// SPDX-License-Identifier: GPL-2.0-only
/*
 * vmctl's readers of what ctld sends (toolstack/vmctl/mgmt_reply.c and
 * the frame reader of mgmt.c, over lib/wire) on any input: no crash, no
 * read out of bounds, and what they accept keeps its promises (names
 * NUL-terminated and printable, a message only as long as its frame).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mgmt.h"
#include "mgmt_reply.h"

static void check_text(const char *s, size_t size)
{
	size_t n = strnlen(s, size);

	if (n == size)
		abort();
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < ' ')
			abort();
}

static void payload_parsers(const uint8_t *data, size_t size)
{
	struct mgmt_error e;
	struct mgmt_hello h;
	struct mgmt_domain d;
	struct mgmt_lines l;
	const char *line, *value;
	size_t len, vlen;
	char key[32];

	mgmt_reply_error(data, size, &e);
	check_text(e.name, sizeof(e.name));
	check_text(e.message, sizeof(e.message));
	if (!e.name[0] || !mgmt_reply_error_meaning(e.name))
		abort();
	mgmt_reply_hello(data, size, &h);
	mgmt_lines_init(&l, data, size);
	while (mgmt_lines_next(&l, &line, &len)) {
		if (line < (const char *)data ||
		    line + len > (const char *)data + size)
			abort();
		if (!mgmt_reply_domain(line, len, &d)) {
			check_text(d.name, sizeof(d.name));
			if (strlen(mgmt_state_letters(d.state)) != 6)
				abort();
		}
		if (!mgmt_reply_kv(line, len, key, sizeof(key), &value,
				   &vlen) &&
		    value + vlen > line + len)
			abort();
	}
}

/* The byte stream, in pieces of the sizes the input's first byte says. */
static void frame_reader(const uint8_t *data, size_t size)
{
	static struct mgmt m;
	static uint8_t payload[ATOLL_MGMT_PAYLOAD_MAX];
	struct mgmt_msg msg;
	size_t piece = size ? (size_t)data[0] % 64 + 1 : 1;

	memset(&m, 0, sizeof(m));
	m.fd = -1;
	m.payload = payload;
	wire_rx_init(&m.rx, payload, sizeof(payload));
	m.rx.plausible = mgmt_plausible; /* as mgmt_open() does */
	for (size_t off = 0; off < size; off += piece) {
		size_t n = size - off < piece ? size - off : piece;

		if (n > sizeof(m.in) - m.in_end) {
			memmove(m.in, m.in + m.in_start, m.in_end - m.in_start);
			m.in_end -= m.in_start;
			m.in_start = 0;
		}
		memcpy(m.in + m.in_end, data + off, n);
		m.in_end += n;
		while (mgmt_next(&m, &msg))
			if (!mgmt_plausible(&msg.hdr) ||
			    msg.hdr.len > ATOLL_MGMT_PAYLOAD_MAX)
				abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	payload_parsers(data, size);
	frame_reader(data, size);
	return 0;
}
