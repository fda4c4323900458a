// SPDX-License-Identifier: GPL-2.0-only
/*
 * A small XenStore client for the store's unit tests: builds requests,
 * feeds them to a connection, and reads back replies and watch events as
 * the wire carries them. #included by each test_xenstore*.c program (it is
 * not a test of its own).
 *
 * rq() returns a reply in a form easy to assert on: the payload with each
 * NUL shown as '|' ("local|vm|tool|"), or "!" and the error name for an
 * XS_ERROR reply ("!ENOENT"). Watch events that arrive before a reply are
 * kept, per connection, for expect_event().
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "xs_internal.h"

struct msg {
	struct xsd_sockmsg h;
	char p[XENSTORE_PAYLOAD_MAX + 1];
};

struct stashed {
	struct xs_conn *c;
	char path[XENSTORE_ABS_PATH_MAX + 1];
	char token[64];
};

static struct xs_store *S;
static struct stashed stash[512];
static unsigned stash_count;
static uint32_t next_req_id = 100;
static char shown[2 * XENSTORE_PAYLOAD_MAX + 8];

/* What the hooks saw. */
static struct {
	unsigned introduced, released, outputs;
	uint32_t domid;
	uint64_t mfn;
	uint32_t port;
	int introduce_result;
	bool make_conn; /* introduce hook creates the domain's connection */
	struct xs_conn *conn;
} hk;

static int hook_introduce(void *ctx, uint32_t domid, uint64_t mfn,
			  uint32_t port)
{
	hk.introduced++;
	hk.domid = domid;
	hk.mfn = mfn;
	hk.port = port;
	if (!hk.introduce_result && hk.make_conn)
		hk.conn = xs_conn_new(S, domid, 0);
	return hk.introduce_result;
}

static void hook_release(void *ctx, uint32_t domid)
{
	hk.released++;
	hk.domid = domid;
}

static void hook_output(void *ctx, struct xs_conn *c)
{
	hk.outputs++;
}

static const struct xs_hooks hooks = {
    .introduce = hook_introduce,
    .release = hook_release,
    .output = hook_output,
};

static int store_setup(void **state)
{
	memset(&hk, 0, sizeof(hk));
	stash_count = 0;
	S = xs_store_new(&hooks, NULL);
	assert_non_null(S);
	return 0;
}

static int store_teardown(void **state)
{
	xs_store_free(S);
	S = NULL;
	return 0;
}

static struct xs_conn *priv_conn(void)
{
	struct xs_conn *c = xs_conn_new(S, 1, XS_CONN_PRIV);

	assert_non_null(c);
	return c;
}

/* An introduced domain's (unprivileged) connection. */
static struct xs_conn *dom_conn(uint32_t domid)
{
	struct xs_conn *c = xs_conn_new(S, domid, 0);

	assert_non_null(c);
	assert_int_equal(xs_store_introduce(S, domid), 0);
	return c;
}

/* Reads one whole message from the connection's output. */
static bool pull(struct xs_conn *c, struct msg *m)
{
	if (!xs_conn_has_output(c))
		return false;
	assert_int_equal(xs_conn_output(c, &m->h, sizeof(m->h)), sizeof(m->h));
	assert_true(m->h.len <= XENSTORE_PAYLOAD_MAX);
	assert_int_equal(xs_conn_output(c, m->p, m->h.len), m->h.len);
	m->p[m->h.len] = '\0';
	return true;
}

static void stash_event(struct xs_conn *c, const struct msg *m)
{
	struct stashed *e = &stash[stash_count++];
	size_t plen = strlen(m->p);

	assert_true(stash_count <= sizeof(stash) / sizeof(stash[0]));
	assert_int_equal(m->h.req_id, 0);
	assert_int_equal(m->h.tx_id, 0);
	assert_true(plen + 1 < m->h.len);
	e->c = c;
	memcpy(e->path, m->p, plen + 1);
	snprintf(e->token, sizeof(e->token), "%s", m->p + plen + 1);
}

static size_t build(uint8_t *buf, uint32_t type, uint32_t req_id, uint32_t tx,
		    const void *payload, size_t len)
{
	struct xsd_sockmsg h = {type, req_id, tx, (uint32_t)len};

	memcpy(buf, &h, sizeof(h));
	memcpy(buf + sizeof(h), payload, len);
	return sizeof(h) + len;
}

static void send_raw(struct xs_conn *c, uint32_t type, uint32_t req_id,
		     uint32_t tx, const void *payload, size_t len)
{
	static uint8_t buf[sizeof(struct xsd_sockmsg) + XENSTORE_PAYLOAD_MAX];
	size_t n = build(buf, type, req_id, tx, payload, len);

	assert_int_equal(xs_conn_input(c, buf, n), n);
}

/* The reply to the last request; events before it are stashed. */
static const struct msg *reply_for(struct xs_conn *c, uint32_t req_id)
{
	static struct msg m;

	for (;;) {
		assert_true(pull(c, &m));
		if (m.h.type != XS_WATCH_EVENT)
			break;
		stash_event(c, &m);
	}
	assert_int_equal(m.h.req_id, req_id);
	return &m;
}

static const char *show(const struct msg *m, uint32_t type)
{
	size_t n = 0;

	if (m->h.type == XS_ERROR) {
		shown[n++] = '!';
		assert_int_equal(m->p[m->h.len - 1], '\0');
	} else {
		assert_int_equal(m->h.type, type);
	}
	for (uint32_t i = 0; i < m->h.len; i++) {
		if (m->h.type == XS_ERROR && m->p[i] == '\0')
			break;
		shown[n++] = m->p[i] ? m->p[i] : '|';
	}
	shown[n] = '\0';
	return shown;
}

/* A request with a raw payload; returns the reply, shown. */
static const char *rq_raw(struct xs_conn *c, uint32_t type, uint32_t tx,
			  const void *payload, size_t len)
{
	uint32_t id = next_req_id++;
	const struct msg *m;

	send_raw(c, type, id, tx, payload, len);
	m = reply_for(c, id);
	assert_int_equal(m->h.tx_id, tx);
	return show(m, type);
}

/* A request whose payload is the NULL-terminated list of strings. */
static const char *rq(struct xs_conn *c, uint32_t type, uint32_t tx, ...)
{
	static char payload[XENSTORE_PAYLOAD_MAX + 64];
	size_t len = 0;
	const char *s;
	va_list ap;

	va_start(ap, tx);
	while ((s = va_arg(ap, const char *))) {
		size_t n = strlen(s) + 1;

		assert_true(len + n <= sizeof(payload));
		memcpy(payload + len, s, n);
		len += n;
	}
	va_end(ap);
	return rq_raw(c, type, tx, payload, len);
}

static const char *xwrite(struct xs_conn *c, uint32_t tx, const char *path,
			  const char *value)
{
	static char payload[XENSTORE_PAYLOAD_MAX + 64];
	size_t plen = strlen(path) + 1, vlen = strlen(value);

	memcpy(payload, path, plen);
	memcpy(payload + plen, value, vlen);
	return rq_raw(c, XS_WRITE, tx, payload, plen + vlen);
}

static const char *xread(struct xs_conn *c, uint32_t tx, const char *path)
{
	return rq(c, XS_READ, tx, path, NULL);
}

static uint32_t txn_start(struct xs_conn *c)
{
	const char *r = rq(c, XS_TRANSACTION_START, 0, "", NULL);
	uint32_t id = (uint32_t)strtoul(r, NULL, 10);

	assert_int_not_equal(r[0], '!');
	assert_int_not_equal(id, 0);
	return id;
}

/* Pulls waiting events of c into the stash. */
static void drain(struct xs_conn *c)
{
	struct msg m;

	while (pull(c, &m)) {
		assert_int_equal(m.h.type, XS_WATCH_EVENT);
		stash_event(c, &m);
	}
}

/* The oldest event for c must be (path, token); it is consumed. */
static void expect_event(struct xs_conn *c, const char *path, const char *token)
{
	drain(c);
	for (unsigned i = 0; i < stash_count; i++) {
		if (stash[i].c != c)
			continue;
		assert_string_equal(stash[i].path, path);
		assert_string_equal(stash[i].token, token);
		memmove(&stash[i], &stash[i + 1],
			(stash_count - i - 1) * sizeof(stash[0]));
		stash_count--;
		return;
	}
	fail_msg("no event %s %s", path, token);
}

static void expect_no_event(struct xs_conn *c)
{
	drain(c);
	for (unsigned i = 0; i < stash_count; i++)
		if (stash[i].c == c)
			fail_msg("unexpected event %s %s", stash[i].path,
				 stash[i].token);
}

/* Forgets the events stashed for a connection about to be freed. */
static void forget_events(struct xs_conn *c)
{
	unsigned out = 0;

	for (unsigned i = 0; i < stash_count; i++)
		if (stash[i].c != c)
			stash[out++] = stash[i];
	stash_count = out;
}
