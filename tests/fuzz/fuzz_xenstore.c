// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target for the XenStore core (xenstore-stubdom/core). The input
 * is a script of chunks: a control byte, a 2-byte length, then that many
 * bytes for one of four connections (two privileged, two domains), so
 * messages arrive split and interleaved. Control bytes also drain output
 * in odd-sized pieces, close and reopen connections, report a domain dead,
 * and arm an allocation failure.
 *
 * After every chunk: every message the store sends is well formed (length
 * within the payload limit, an error is a known name, an event carries two
 * strings and zero ids), counts agree with the connections, watches and
 * transactions that exist, a domain's usage is what its nodes and watches
 * add up to. At the end everything is freed and must add up to nothing
 * (ASan reports any leak).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fake_core.h"
#include "xs_internal.h"

#define CHECK(cond)                                                            \
	do {                                                                   \
		if (!(cond)) {                                                 \
			fprintf(stderr, "fuzz_xenstore: check '%s' failed\n",  \
				#cond);                                        \
			abort();                                               \
		}                                                              \
	} while (0)

#define CONNS 4

static const uint32_t conn_domid[CONNS] = {1, 2, 5, 6};
static const unsigned conn_flags[CONNS] = {XS_CONN_PRIV, XS_CONN_PRIV, 0, 0};

struct fuzz {
	struct xs_store *s;
	struct xs_conn *c[CONNS];
	/* Partial outgoing message being reassembled, per connection. */
	uint8_t out[CONNS][sizeof(struct xsd_sockmsg) + XENSTORE_PAYLOAD_MAX];
	size_t out_have[CONNS];
	uint64_t fail_next; /* armed allocation failure for the next input */
};

static struct fuzz F;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fake_log_quiet = true;
	return 0;
}

static int find_conn(struct xs_conn *c)
{
	for (int i = 0; i < CONNS; i++)
		if (F.c[i] == c)
			return i;
	return -1;
}

/* The daemon's side of INTRODUCE: domains 5 and 6 get their connection. */
static int hook_introduce(void *ctx, uint32_t domid, uint64_t mfn,
			  uint32_t port)
{
	if (mfn == 0)
		return (int)(port % 40);
	for (int i = 0; i < CONNS; i++)
		if (conn_domid[i] == domid && !F.c[i]) {
			F.c[i] = xs_conn_new(F.s, domid, conn_flags[i]);
			F.out_have[i] = 0;
		}
	return 0;
}

static void hook_release(void *ctx, uint32_t domid)
{
	for (int i = 0; i < CONNS; i++)
		if (F.c[i] && conn_domid[i] == domid) {
			F.c[i] = NULL; /* the store frees it */
			F.out_have[i] = 0;
		}
}

static const struct xs_hooks hooks = {
    .introduce = hook_introduce,
    .release = hook_release,
};

static bool known_error(const char *p, uint32_t len)
{
	if (len == 0 || p[len - 1] != '\0')
		return false;
	for (size_t i = 0; i < XSD_ERROR_COUNT; i++)
		if (strcmp(p, xsd_errors[i].errstring) == 0)
			return true;
	return false;
}

static void check_message(const uint8_t *m)
{
	struct xsd_sockmsg h;
	const char *p = (const char *)m + sizeof(h);

	memcpy(&h, m, sizeof(h));
	CHECK(h.len <= XENSTORE_PAYLOAD_MAX);
	if (h.type == XS_ERROR)
		CHECK(known_error(p, h.len));
	if (h.type == XS_WATCH_EVENT) {
		size_t first = strnlen(p, h.len);

		CHECK(h.req_id == 0 && h.tx_id == 0);
		CHECK(first + 1 < h.len && p[h.len - 1] == '\0');
	}
}

/* Drains up to `max` bytes, checking each complete message. */
static void drain(int i, size_t max)
{
	const size_t hs = sizeof(struct xsd_sockmsg);

	while (F.c[i] && max) {
		size_t want, got;
		uint32_t len;

		if (F.out_have[i] < hs) {
			want = hs - F.out_have[i];
		} else {
			memcpy(&len, F.out[i] + 12, sizeof(len));
			CHECK(len <= XENSTORE_PAYLOAD_MAX);
			want = hs + len - F.out_have[i];
		}
		if (want > max)
			want = max;
		got = xs_conn_output(F.c[i], F.out[i] + F.out_have[i], want);
		if (!got)
			return;
		F.out_have[i] += got;
		max -= got;
		if (F.out_have[i] >= hs) {
			memcpy(&len, F.out[i] + 12, sizeof(len));
			if (F.out_have[i] == hs + len) {
				check_message(F.out[i]);
				F.out_have[i] = 0;
			}
		}
	}
}

static void check_domain(const struct xs_store *s, const struct xs_domain *d)
{
	uint64_t nodes = 0, mem = 0, watches = 0;
	struct xs_node *n;

	for (n = s->root; n; n = xs_tree_next(n, true))
		if (n->perms[0].domid == d->domid) {
			nodes++;
			mem += xs_node_charge(n);
		}
	for (const struct xs_conn *c = s->conns; c; c = c->next) {
		if (c->domid != d->domid)
			continue;
		for (const struct xs_watch *w = c->watches; w; w = w->next) {
			watches++;
			mem += xs_block_size(w);
		}
		for (const struct xs_txn *t = c->txns; t; t = t->next)
			mem += t->charged;
	}
	CHECK(d->nodes == nodes);
	CHECK(d->watches == watches);
	CHECK(d->mem == mem);
}

static void check_store(void)
{
	const struct xs_store *s = F.s;
	uint32_t conns = 0, watches = 0, txns = 0;
	uint64_t nodes = 0;

	for (const struct xs_conn *c = s->conns; c; c = c->next) {
		conns++;
		CHECK(find_conn((struct xs_conn *)c) >= 0);
		for (const struct xs_watch *w = c->watches; w; w = w->next)
			watches++;
		for (const struct xs_txn *t = c->txns; t; t = t->next)
			txns++;
	}
	CHECK(conns == s->conn_count && watches == s->watch_count &&
	      txns == s->txn_count);
	for (struct xs_node *n = s->root; n; n = xs_tree_next(n, true)) {
		nodes++;
		CHECK(n->perm_count >= 1);
		CHECK(n->value_len <= XENSTORE_PAYLOAD_MAX);
		CHECK(xs_domain_find(s, n->perms[0].domid) != NULL);
	}
	CHECK(nodes == s->nodes);
	for (const struct xs_domain *d = s->domains; d; d = d->next)
		check_domain(s, d);
}

static void open_conn(int i)
{
	if (F.c[i])
		return;
	F.c[i] = xs_conn_new(F.s, conn_domid[i], conn_flags[i]);
	F.out_have[i] = 0;
	if (F.c[i] && !conn_flags[i])
		(void)xs_store_introduce(F.s, conn_domid[i]);
}

static void close_conn(int i)
{
	if (F.c[i]) {
		xs_conn_free(F.c[i]);
		F.c[i] = NULL;
	}
}

/*
 * One step. Control byte: bits 0-1 the connection, bits 2-4 the action:
 * 0-3 input (the length's bytes follow), 4 drain, 5 close/reopen,
 * 6 domain gone, 7 fail an allocation during the next input.
 */
static size_t step(const uint8_t *in, size_t size)
{
	int i = in[0] & 3, action = (in[0] >> 2) & 7;
	size_t len;

	if (size < 3)
		return size;
	len = (size_t)in[1] | (size_t)in[2] << 8;

	if (action <= 3) {
		if (len > size - 3)
			len = size - 3;
		F.s->fail_alloc_in = F.fail_next;
		F.fail_next = 0;
		if (F.c[i] && !xs_conn_failed(F.c[i]))
			(void)xs_conn_input(F.c[i], in + 3, len);
		F.s->fail_alloc_in = 0;
		drain(i, (size_t)(in[0] >> 5) * 97 + 1);
		return 3 + len;
	}
	if (action == 4)
		drain(i, len ? len : SIZE_MAX);
	else if (action == 5 && F.c[i])
		close_conn(i);
	else if (action == 5)
		open_conn(i);
	else if (action == 6)
		xs_store_domain_gone(F.s, conn_domid[i]);
	else
		F.fail_next = (len & 63) + 1;
	return 3;
}

int LLVMFuzzerTestOneInput(const uint8_t *in, size_t size)
{
	memset(&F, 0, sizeof(F));
	F.s = xs_store_new(&hooks, NULL);
	if (!F.s)
		return 0;
	for (int i = 0; i < CONNS; i++)
		open_conn(i);
	while (size) {
		size_t used = step(in, size);

		in += used;
		size -= used;
		for (int i = 0; i < CONNS; i++)
			if (F.c[i] && xs_conn_failed(F.c[i]))
				close_conn(i);
		check_store();
	}
	for (int i = 0; i < CONNS; i++)
		drain(i, SIZE_MAX);
	xs_store_free(F.s);
	return 0;
}
