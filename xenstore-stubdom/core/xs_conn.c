// SPDX-License-Identifier: GPL-2.0-only
/*
 * Connections: the byte stream in, cut into messages; the queue of
 * replies and watch events out.
 *
 * Input is whatever the daemon copied from the ring, split anywhere. A
 * header announcing more than XENSTORE_PAYLOAD_MAX bytes gets an E2BIG
 * reply and its payload is skipped, so the stream stays in step. An
 * unprivileged connection with its quota of replies unread ("outstanding")
 * takes no new message until the daemon has sent some: a client that does
 * not read its replies stalls only itself.
 *
 * Output is a list of whole messages. Replies are bounded by the
 * outstanding quota; watch events by XS_EVENT_QUEUE_MAX bytes, beyond
 * which they are dropped and counted.
 */
#include <string.h>
#include "xs_internal.h"

struct xs_conn *xs_conn_create(struct xs_store *s, uint32_t domid,
			       unsigned int flags, bool listed)
{
	struct xs_domain *d = xs_domain_get(s, domid);
	struct xs_conn *c;

	if (!d)
		return NULL;
	c = xs_zalloc(s, sizeof(*c));
	if (!c)
		return NULL;
	c->store = s;
	c->dom = d;
	c->domid = domid;
	c->priv = flags & XS_CONN_PRIV;
	if (listed) {
		c->next = s->conns;
		s->conns = c;
		s->conn_count++;
	}
	return c;
}

struct xs_conn *xs_conn_new(struct xs_store *s, uint32_t domid,
			    unsigned int flags)
{
	if (domid >= XS_DOMID_FIRST_RESERVED)
		return NULL;
	return xs_conn_create(s, domid, flags, true);
}

static void output_free(struct xs_conn *c)
{
	while (c->out_head) {
		struct xs_msg *m = c->out_head;

		c->out_head = m->next;
		xs_free(c->store, m);
	}
	c->out_tail = NULL;
	c->replies_queued = 0;
	c->event_bytes = 0;
}

void xs_conn_free(struct xs_conn *c)
{
	struct xs_store *s = c->store;
	struct xs_conn **pp = &s->conns;

	while (*pp && *pp != c)
		pp = &(*pp)->next;
	if (*pp) {
		*pp = c->next;
		s->conn_count--;
	}
	xs_watch_free_all(c);
	while (c->txns)
		xs_txn_end(c->txns);
	output_free(c);
	xs_free(s, c);
}

/* Queues a message: header, then a and b as its payload. */
void xs_conn_queue(struct xs_conn *c, const struct xsd_sockmsg *hdr,
		   const void *a, size_t alen, const void *b, size_t blen,
		   bool reply)
{
	struct xs_store *s = c->store;
	size_t size = sizeof(*hdr) + alen + blen;
	struct xs_msg *m = xs_alloc(s, sizeof(*m) + size);
	struct xsd_sockmsg h = *hdr;

	if (!m) {
		c->failed = true;
		return;
	}
	h.len = (uint32_t)(alen + blen);
	m->next = NULL;
	m->size = (uint32_t)size;
	m->sent = 0;
	m->reply = reply;
	memcpy(m->data, &h, sizeof(h));
	if (alen)
		memcpy(m->data + sizeof(h), a, alen);
	if (blen)
		memcpy(m->data + sizeof(h) + alen, b, blen);
	if (reply)
		c->replies_queued++;
	else
		c->event_bytes += m->size;
	if (c->out_tail) {
		c->out_tail->next = m;
		c->out_tail = m;
		return;
	}
	c->out_head = c->out_tail = m;
	if (s->hooks.output)
		s->hooks.output(s->ctx, c);
}

static bool input_blocked(const struct xs_conn *c)
{
	return !c->priv && c->dom->quota[XS_Q_OUTSTANDING] &&
	       c->replies_queued >= c->dom->quota[XS_Q_OUTSTANDING];
}

/* A complete header: an oversized message is answered and skipped. */
static void header_done(struct xs_conn *c)
{
	struct xsd_sockmsg hdr;

	memcpy(&hdr, c->in, sizeof(hdr));
	if (hdr.len <= XENSTORE_PAYLOAD_MAX)
		return;
	hdr.type = XS_ERROR;
	xs_conn_queue(c, &hdr, "E2BIG", 6, NULL, 0, true);
	c->skip = hdr.len;
	c->in_have = 0;
}

/* Takes bytes into the current message; processes it when complete. */
static size_t take(struct xs_conn *c, const uint8_t *p, size_t avail)
{
	const size_t hsize = sizeof(struct xsd_sockmsg);
	size_t need, n;
	uint32_t len;

	if (c->in_have < hsize) {
		n = hsize - c->in_have < avail ? hsize - c->in_have : avail;
		memcpy(c->in + c->in_have, p, n);
		c->in_have += (uint32_t)n;
		if (c->in_have == hsize)
			header_done(c);
		return n;
	}
	memcpy(&len, c->in + 12, sizeof(len));
	need = hsize + len - c->in_have;
	n = need < avail ? need : avail;
	memcpy(c->in + c->in_have, p, n);
	c->in_have += (uint32_t)n;
	return n;
}

static bool message_complete(const struct xs_conn *c)
{
	uint32_t len;

	if (c->in_have < sizeof(struct xsd_sockmsg))
		return false;
	memcpy(&len, c->in + 12, sizeof(len));
	return c->in_have == sizeof(struct xsd_sockmsg) + len;
}

size_t xs_conn_input(struct xs_conn *c, const void *bytes, size_t len)
{
	const uint8_t *p = bytes;
	size_t used = 0;

	while (!c->failed) {
		if (c->skip && used < len) {
			size_t n = c->skip < len - used ? c->skip : len - used;

			c->skip -= (uint32_t)n;
			used += n;
			continue;
		}
		if (message_complete(c)) {
			c->in[c->in_have] = 0;
			xs_proto_process(c);
			c->in_have = 0;
			continue;
		}
		if (used == len || (c->in_have == 0 && input_blocked(c)))
			break;
		used += take(c, p + used, len - used);
	}
	return used;
}

bool xs_conn_has_output(const struct xs_conn *c)
{
	return c->out_head != NULL;
}

const void *xs_conn_output_peek(const struct xs_conn *c, size_t *len)
{
	const struct xs_msg *m = c->out_head;

	*len = m ? m->size - m->sent : 0;
	return m ? m->data + m->sent : NULL;
}

void xs_conn_output_consume(struct xs_conn *c, size_t len)
{
	while (len && c->out_head) {
		struct xs_msg *m = c->out_head;
		size_t n = m->size - m->sent < len ? m->size - m->sent : len;

		m->sent += (uint32_t)n;
		len -= n;
		if (m->sent < m->size)
			break;
		c->out_head = m->next;
		if (!c->out_head)
			c->out_tail = NULL;
		if (m->reply)
			c->replies_queued--;
		else
			c->event_bytes -= m->size;
		xs_free(c->store, m);
	}
}

size_t xs_conn_output(struct xs_conn *c, void *buf, size_t max)
{
	size_t done = 0, n;
	const void *p;

	while (done < max && (p = xs_conn_output_peek(c, &n))) {
		if (n > max - done)
			n = max - done;
		memcpy((uint8_t *)buf + done, p, n);
		xs_conn_output_consume(c, n);
		done += n;
	}
	return done;
}

bool xs_conn_failed(const struct xs_conn *c)
{
	return c->failed;
}

uint32_t xs_conn_domid(const struct xs_conn *c)
{
	return c->domid;
}

void xs_conn_set_data(struct xs_conn *c, void *data)
{
	c->data = data;
}

void *xs_conn_data(const struct xs_conn *c)
{
	return c->data;
}

uint64_t xs_conn_events_dropped(const struct xs_conn *c)
{
	return c->events_dropped;
}
