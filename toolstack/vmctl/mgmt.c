// SPDX-License-Identifier: GPL-2.0-only
/*
 * The management channel's client (mgmt.h).
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "mgmt.h"
#include "vmctl.h"

#define HDR_SIZE sizeof(struct xsd_sockmsg)

int64_t mgmt_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int mgmt_default_timeout(int fallback_s)
{
	const char *e = getenv("VMCTL_TIMEOUT");
	char *end;
	double s = e && *e ? strtod(e, &end) : 0;

	if (e && *e && !*end && s > 0 && s < 86400)
		return (int)(s * 1000);
	return fallback_s * 1000;
}

bool mgmt_socket_path(const char *run_dir, char *out, size_t size)
{
	const char *e = getenv("ATOLL_MGMT_SOCKET");
	int n = e && *e ? snprintf(out, size, "%s", e)
			: snprintf(out, size, "%s/com2.sock", run_dir);

	return n > 0 && (size_t)n < size &&
	       (size_t)n < sizeof(((struct sockaddr_un *)0)->sun_path);
}

bool mgmt_unix_addr(struct sockaddr_un *sa, const char *path)
{
	size_t len = strlen(path);

	memset(sa, 0, sizeof(*sa));
	sa->sun_family = AF_UNIX;
	if (len >= sizeof(sa->sun_path))
		return false;
	memcpy(sa->sun_path, path, len + 1);
	return true;
}

static void open_failed(const char *path, int err)
{
	if (err == ENOENT)
		fprintf(stderr,
			"vmctl: %s does not exist: is Atoll running? "
			"('vmctl up' starts it; --run-dir names another run "
			"directory)\n",
			path);
	else if (err == ECONNREFUSED)
		fprintf(stderr,
			"vmctl: nothing listens on %s: QEMU has stopped "
			"('vmctl down' cleans up, 'vmctl up' starts again)\n",
			path);
	else
		fprintf(stderr, "vmctl: cannot connect to %s: %s\n", path,
			strerror(err));
}

bool mgmt_open(struct mgmt *m, const char *path, int timeout_ms)
{
	struct sockaddr_un sa;
	struct timeval tv;

	memset(m, 0, sizeof(*m));
	m->timeout_ms = timeout_ms > 0 ? timeout_ms : mgmt_default_timeout(10);
	m->fd = -1;
	if (!mgmt_unix_addr(&sa, path)) {
		fprintf(stderr, "vmctl: socket path too long: %s\n", path);
		return false;
	}
	memcpy(m->path, sa.sun_path, sizeof(m->path));
	m->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (m->fd < 0 || connect(m->fd, (struct sockaddr *)&sa, sizeof(sa))) {
		open_failed(path, errno);
		if (m->fd >= 0)
			close(m->fd);
		m->fd = -1;
		return false;
	}
	/* A write that cannot finish in time is a timeout, not a hang. */
	tv.tv_sec = m->timeout_ms / 1000;
	tv.tv_usec = (m->timeout_ms % 1000) * 1000;
	setsockopt(m->fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	m->payload = vmctl_xrealloc(NULL, ATOLL_MGMT_PAYLOAD_MAX);
	wire_rx_init(&m->rx, m->payload, ATOLL_MGMT_PAYLOAD_MAX);
	m->rx.plausible = mgmt_plausible; /* out of step: slide a byte */
	/* Unlikely to match what an earlier client left in the line. */
	m->next_req_id = ((uint32_t)getpid() << 12) ^ (uint32_t)mgmt_now_ms();
	return true;
}

void mgmt_close(struct mgmt *m)
{
	/* Also after a failed mgmt_open, or on a struct set to {.fd = -1}. */
	if (m->fd >= 0)
		close(m->fd);
	m->fd = -1;
	free(m->payload);
	m->payload = NULL;
}

static enum mgmt_status write_all(int fd, const void *p, size_t len)
{
	const uint8_t *b = p;

	while (len) {
		ssize_t n = send(fd, b, len, MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return MGMT_TIMEOUT;
		if (n < 0)
			return errno == EPIPE || errno == ECONNRESET
				   ? MGMT_CLOSED
				   : MGMT_IO;
		b += n;
		len -= (size_t)n;
	}
	return MGMT_OK;
}

enum mgmt_status mgmt_send_raw(int fd, const struct xsd_sockmsg *hdr,
			       const void *p)
{
	enum mgmt_status st = write_all(fd, hdr, HDR_SIZE);

	if (st == MGMT_OK && hdr->len)
		st = write_all(fd, p, hdr->len);
	return st;
}

/*
 * The next req_id with no zero byte: should ctld's reader have lost a
 * byte (a UART reset while a request was arriving), a header read out of
 * step then has an impossible type, and the reader can find its feet.
 */
static uint32_t next_req_id(struct mgmt *m)
{
	for (;;) {
		uint32_t id = m->next_req_id++;

		if ((id & 0xff) && (id & 0xff00) && (id & 0xff0000) &&
		    (id & 0xff000000))
			return id;
	}
}

enum mgmt_status mgmt_send(struct mgmt *m, uint32_t type, uint32_t tx_id,
			   const void *p, size_t len, uint32_t *req_id)
{
	struct xsd_sockmsg hdr = {type, next_req_id(m), tx_id, (uint32_t)len};
	enum mgmt_status st;

	if (len > ATOLL_MGMT_PAYLOAD_MAX) {
		m->saved_errno = E2BIG;
		return MGMT_IO;
	}
	if (req_id)
		*req_id = hdr.req_id;
	st = mgmt_send_raw(m->fd, &hdr, p);
	if (st == MGMT_IO)
		m->saved_errno = errno;
	return st;
}

enum mgmt_status mgmt_fill(struct mgmt *m)
{
	ssize_t n;

	if (m->in_start == m->in_end)
		m->in_start = m->in_end = 0;
	if (m->in_end == sizeof(m->in)) {
		memmove(m->in, m->in + m->in_start, m->in_end - m->in_start);
		m->in_end -= m->in_start;
		m->in_start = 0;
	}
	do
		n = read(m->fd, m->in + m->in_end, sizeof(m->in) - m->in_end);
	while (n < 0 && errno == EINTR);
	if (n == 0 || (n < 0 && errno == ECONNRESET))
		return MGMT_CLOSED;
	if (n < 0) {
		m->saved_errno = errno;
		return MGMT_IO;
	}
	m->in_end += (size_t)n;
	return MGMT_OK;
}

bool mgmt_plausible(const struct xsd_sockmsg *hdr)
{
	return wire_mgmt_plausible(hdr);
}

bool mgmt_next(struct mgmt *m, struct mgmt_msg *msg)
{
	while (m->in_start < m->in_end) {
		size_t avail = m->in_end - m->in_start, used;
		enum wire_status st;

		st = wire_rx_feed(&m->rx, m->in + m->in_start, avail, &used);
		m->in_start += used;
		if (st == WIRE_MESSAGE) {
			msg->hdr = m->rx.hdr;
			msg->payload = m->payload;
			return true;
		}
	}
	return false;
}

enum mgmt_status mgmt_recv(struct mgmt *m, int64_t deadline_ms,
			   struct mgmt_msg *msg)
{
	while (!mgmt_next(m, msg)) {
		int64_t left = deadline_ms - mgmt_now_ms();
		struct pollfd pfd = {m->fd, POLLIN, 0};
		int n;

		if (left <= 0)
			return MGMT_TIMEOUT;
		n = poll(&pfd, 1, left > 1000000 ? 1000000 : (int)left);
		if (n < 0 && errno == EINTR)
			return MGMT_TIMEOUT; /* a signal: the caller decides */
		if (n < 0) {
			m->saved_errno = errno;
			return MGMT_IO;
		}
		if (n > 0) {
			enum mgmt_status st = mgmt_fill(m);

			if (st != MGMT_OK)
				return st;
		}
	}
	return MGMT_OK;
}

enum mgmt_status mgmt_wait(struct mgmt *m, uint32_t req_id, uint32_t type,
			   int64_t deadline_ms, struct mgmt_msg *reply)
{
	for (;;) {
		enum mgmt_status st = mgmt_recv(m, deadline_ms, reply);

		if (st != MGMT_OK)
			return st;
		if (reply->hdr.type == XS_WATCH_EVENT &&
		    reply->hdr.req_id == 0) {
			if (m->on_event)
				m->on_event(m->event_ctx, reply->payload,
					    reply->hdr.len);
			continue;
		}
		if (reply->hdr.req_id != req_id)
			continue; /* an earlier client's reply */
		if (reply->hdr.type == XS_ERROR) {
			mgmt_reply_error(reply->payload, reply->hdr.len,
					 &m->error);
			return MGMT_REMOTE;
		}
		return reply->hdr.type == type ? MGMT_OK : MGMT_PROTOCOL;
	}
}

enum mgmt_status mgmt_call(struct mgmt *m, uint32_t type, uint32_t tx_id,
			   const void *p, size_t len, struct mgmt_msg *reply)
{
	int64_t deadline = mgmt_now_ms() + m->timeout_ms;
	uint32_t req_id;
	enum mgmt_status st = mgmt_send(m, type, tx_id, p, len, &req_id);

	if (st != MGMT_OK)
		return st;
	return mgmt_wait(m, req_id, type, deadline, reply);
}

int mgmt_report(const struct mgmt *m, enum mgmt_status st, const char *what)
{
	switch (st) {
	case MGMT_OK:
		return VMCTL_EXIT_OK;
	case MGMT_REMOTE:
		if (m->error.message[0])
			fprintf(stderr, "vmctl: %s: %s\n", m->error.name,
				m->error.message);
		else if (what)
			fprintf(stderr, "vmctl: %s: %s: %s\n", m->error.name,
				what, mgmt_reply_error_meaning(m->error.name));
		else
			fprintf(stderr, "vmctl: %s: %s\n", m->error.name,
				mgmt_reply_error_meaning(m->error.name));
		break;
	case MGMT_TIMEOUT:
		fprintf(stderr,
			"vmctl: no reply from ctld on %s within %d.%d s "
			"(is it still booting, or is another client such as "
			"a xenstore-bridge connected? VMCTL_TIMEOUT=S waits "
			"longer)\n",
			m->path, m->timeout_ms / 1000,
			m->timeout_ms % 1000 / 100);
		break;
	case MGMT_CLOSED:
		fprintf(stderr, "vmctl: %s closed the connection\n", m->path);
		break;
	case MGMT_IO:
		fprintf(stderr, "vmctl: %s: %s\n", m->path,
			strerror(m->saved_errno));
		break;
	case MGMT_PROTOCOL:
		fprintf(stderr,
			"vmctl: %s: a reply of the wrong type (protocol "
			"error)\n",
			m->path);
		break;
	}
	return VMCTL_EXIT_FAIL;
}
