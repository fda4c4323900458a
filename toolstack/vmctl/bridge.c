// SPDX-License-Identifier: GPL-2.0-only
/*
 * vmctl xenstore-bridge [SOCKET] (docs/vmctl.md): a unix socket (0600)
 * where Xen's clients (xenstore-utils with XENSTORED_PATH=SOCKET, or
 * anything speaking the wire protocol) reach the store through the
 * management channel, any number at a time.
 *
 * The channel is one stream to one XenStore connection (ctld's), so the
 * bridge multiplexes:
 *  - every request goes up with a req_id of the bridge's, remembered in
 *    a FIFO (ctld answers in order) with the client's own req_id, which
 *    the reply gets back;
 *  - watch tokens go up as "vb<client>-<token>", so an event names the
 *    client it belongs to and two clients may use the same token;
 *  - a client that leaves has its watches removed and its transactions
 *    ended (aborted), since the store cannot see it go.
 * Control requests (types from ATOLL_MGMT_BASE) are relayed too, so vmctl
 * itself can use the bridge (ATOLL_MGMT_SOCKET=SOCKET) while it runs.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "mgmt.h"
#include "rundir.h"
#include "vmctl.h"

#define CMD	    "vmctl xenstore-bridge"
#define MAX_CLIENTS 64
#define MAX_TX	    32 /* open transactions per client */
#define TOKEN_MAX   256

struct bridge_watch {
	char *path, *token; /* as the client gave them */
};

struct client {
	int fd; /* -1: free slot */
	unsigned id;
	struct wire_rx rx;
	uint8_t *buf;
	struct bridge_watch *watches;
	unsigned watch_count;
	uint32_t tx[MAX_TX];
	unsigned tx_count;
};

/* A request sent up, waiting for its reply. */
struct pending {
	uint32_t up_id, client_req_id, type;
	int slot;	    /* -1: the bridge's own (cleanup) */
	unsigned client_id; /* the slot's owner when sent */
};

struct bridge {
	int listen_fd;
	struct mgmt up;
	struct client clients[MAX_CLIENTS];
	unsigned next_client_id;
	struct pending *pending; /* FIFO */
	size_t head, count, cap;
	uint32_t next_up_id;
};

static volatile sig_atomic_t bridge_stop;

static void on_signal(int sig)
{
	(void)sig;
	bridge_stop = 1;
}

/* ---- sending ---- */

static uint32_t up_id(struct bridge *b)
{
	for (;;) {
		uint32_t id = b->next_up_id++;

		if ((id & 0xff) && (id & 0xff00) && (id & 0xff0000) &&
		    (id & 0xff000000))
			return id;
	}
}

static void pending_push(struct bridge *b, const struct pending *p)
{
	if (b->count == b->cap) {
		struct pending *n =
		    vmctl_xrealloc(NULL, (b->cap * 2 + 16) * sizeof(*n));

		for (size_t i = 0; i < b->count; i++)
			n[i] = b->pending[(b->head + i) % b->cap];
		free(b->pending);
		b->pending = n;
		b->head = 0;
		b->cap = b->cap * 2 + 16;
	}
	b->pending[(b->head + b->count++) % b->cap] = *p;
}

/* Sends up; the reply goes to slot (or nowhere if slot is -1). */
static bool send_up(struct bridge *b, int slot, uint32_t type, uint32_t req_id,
		    uint32_t tx_id, const void *p, uint32_t len)
{
	struct pending pend = {up_id(b), req_id, type, slot,
			       slot >= 0 ? b->clients[slot].id : 0};
	struct xsd_sockmsg hdr = {type, pend.up_id, tx_id, len};

	if (mgmt_send_raw(b->up.fd, &hdr, p) != MGMT_OK) {
		fprintf(stderr, CMD ": cannot write to %s: %s\n", b->up.path,
			strerror(errno));
		bridge_stop = 1;
		return false;
	}
	pending_push(b, &pend);
	return true;
}

static void send_client(struct client *c, uint32_t type, uint32_t req_id,
			uint32_t tx_id, const void *p, uint32_t len)
{
	struct xsd_sockmsg hdr = {type, req_id, tx_id, len};

	if (c->fd >= 0 && mgmt_send_raw(c->fd, &hdr, p) != MGMT_OK) {
		close(c->fd); /* gone: client_close() at the end of the round */
		c->fd = -2;
	}
}

static void client_error(struct client *c, uint32_t req_id, const char *name)
{
	send_client(c, XS_ERROR, req_id, 0, name, (uint32_t)strlen(name) + 1);
}

/* ---- watches ---- */

/* "vb<id>-<token>" in out; its length with the NUL. */
static uint32_t up_token(const struct client *c, const char *token, char *out,
			 size_t size)
{
	return (uint32_t)snprintf(out, size, "vb%u-%s", c->id, token) + 1;
}

/*
 * Sends a WATCH or UNWATCH of path/token for client slot; the reply goes
 * to the client if `reply`, else nowhere (the bridge's own clean-up).
 */
static bool send_watch_op(struct bridge *b, int slot, bool reply, uint32_t type,
			  uint32_t req_id, const char *path, const char *token)
{
	struct client *c = &b->clients[slot];
	size_t plen = strlen(path) + 1;
	char msg[XENSTORE_PAYLOAD_MAX + TOKEN_MAX + 32];
	uint32_t tlen;

	if (plen + TOKEN_MAX + 32 > sizeof(msg))
		return false;
	memcpy(msg, path, plen);
	tlen = up_token(c, token, msg + plen, sizeof(msg) - plen);
	return send_up(b, reply ? slot : -1, type, req_id, 0, msg,
		       (uint32_t)plen + tlen);
}

static void watch_add(struct client *c, const char *path, const char *token)
{
	c->watches = vmctl_xrealloc(c->watches,
				    (c->watch_count + 1) * sizeof(*c->watches));
	c->watches[c->watch_count].path = strdup(path);
	c->watches[c->watch_count].token = strdup(token);
	c->watch_count++;
}

static void watch_remove(struct client *c, const char *path, const char *token)
{
	for (unsigned i = 0; i < c->watch_count; i++) {
		struct bridge_watch *w = &c->watches[i];

		if (strcmp(w->path, path) || strcmp(w->token, token))
			continue;
		free(w->path);
		free(w->token);
		*w = c->watches[--c->watch_count];
		return;
	}
}

/* Splits "path\0token\0"; false if it is not that. */
static bool split_watch(const uint8_t *p, uint32_t len, const char **path,
			const char **token)
{
	const uint8_t *nul = memchr(p, '\0', len);

	if (!nul || !memchr(nul + 1, '\0', len - (uint32_t)(nul + 1 - p)) ||
	    strlen((const char *)nul + 1) >= TOKEN_MAX)
		return false;
	*path = (const char *)p;
	*token = (const char *)nul + 1;
	return true;
}

/* WATCH/UNWATCH from a client: the token is rewritten on the way up. */
static void client_watch_op(struct bridge *b, int slot,
			    const struct xsd_sockmsg *h, const uint8_t *p)
{
	struct client *c = &b->clients[slot];
	const char *path, *token;

	if (!split_watch(p, h->len, &path, &token)) {
		client_error(c, h->req_id, "EINVAL");
		return;
	}
	/* Recorded now; a WATCH the store refuses is forgotten again. */
	if (h->type == XS_WATCH)
		watch_add(c, path, token);
	else
		watch_remove(c, path, token);
	send_watch_op(b, slot, true, h->type, h->req_id, path, token);
}

/* An event from the store: to the client whose token it carries. */
static void route_event(struct bridge *b, const uint8_t *p, uint32_t len)
{
	const char *path, *token;
	unsigned id;
	int skip = 0;
	char out[XENSTORE_PAYLOAD_MAX + TOKEN_MAX];
	size_t plen, tlen;

	if (!split_watch(p, len, &path, &token) ||
	    sscanf(token, "vb%u-%n", &id, &skip) != 1 || !skip)
		return; /* not the bridge's: an earlier vmctl's */
	for (int i = 0; i < MAX_CLIENTS; i++) {
		struct client *c = &b->clients[i];

		if (c->fd < 0 || c->id != id)
			continue;
		plen = strlen(path) + 1;
		tlen = strlen(token + skip) + 1;
		if (plen + tlen > sizeof(out))
			return;
		memcpy(out, path, plen);
		memcpy(out + plen, token + skip, tlen);
		send_client(c, XS_WATCH_EVENT, 0, 0, out,
			    (uint32_t)(plen + tlen));
		return;
	}
}

/* ---- transactions ---- */

static void tx_forget(struct client *c, uint32_t tx)
{
	for (unsigned i = 0; i < c->tx_count; i++)
		if (c->tx[i] == tx) {
			c->tx[i] = c->tx[--c->tx_count];
			return;
		}
}

/* The id in a TRANSACTION_START reply ("ID\0"). */
static uint32_t tx_id_of(const struct mgmt_msg *r)
{
	char id[16];

	snprintf(id, sizeof(id), "%.*s",
		 (int)(r->hdr.len < 15 ? r->hdr.len : 15),
		 (const char *)r->payload);
	return (uint32_t)strtoul(id, NULL, 10);
}

/* A transaction the store opened for c: ended if c leaves. */
static void tx_started(struct client *c, const struct mgmt_msg *r)
{
	if (c->tx_count < MAX_TX)
		c->tx[c->tx_count++] = tx_id_of(r);
}

/* ---- clients ---- */

/* One complete message from client slot. */
static void client_message(struct bridge *b, int slot,
			   const struct xsd_sockmsg *h, const uint8_t *p)
{
	struct client *c = &b->clients[slot];

	switch (h->type) {
	case XS_WATCH:
	case XS_UNWATCH:
		client_watch_op(b, slot, h, p);
		return;
	case XS_RESET_WATCHES:
		/* Only this client's: the store's connection is shared. */
		while (c->watch_count) {
			struct bridge_watch *w = &c->watches[0];

			send_watch_op(b, slot, false, XS_UNWATCH, 0, w->path,
				      w->token);
			watch_remove(c, w->path, w->token);
		}
		send_client(c, XS_RESET_WATCHES, h->req_id, 0, "OK", 3);
		return;
	case XS_TRANSACTION_END:
		tx_forget(c, h->tx_id);
		break;
	}
	send_up(b, slot, h->type, h->req_id, h->tx_id, p, h->len);
}

static void client_close(struct bridge *b, int slot)
{
	struct client *c = &b->clients[slot];

	/* The store cannot see the client go: undo what it left open. */
	while (c->watch_count) {
		struct bridge_watch *w = &c->watches[0];

		send_watch_op(b, slot, false, XS_UNWATCH, 0, w->path, w->token);
		watch_remove(c, w->path, w->token);
	}
	for (unsigned i = 0; i < c->tx_count; i++)
		send_up(b, -1, XS_TRANSACTION_END, 0, c->tx[i], "F", 2);
	if (c->fd >= 0)
		close(c->fd);
	for (unsigned i = 0; i < c->watch_count; i++) {
		free(c->watches[i].path);
		free(c->watches[i].token);
	}
	free(c->watches);
	free(c->buf);
	memset(c, 0, sizeof(*c));
	c->fd = -1;
}

static void client_read(struct bridge *b, int slot)
{
	struct client *c = &b->clients[slot];
	uint8_t data[16384];
	ssize_t n = read(c->fd, data, sizeof(data));
	size_t off = 0, used;

	if (n <= 0) {
		if (n < 0 && errno == EINTR)
			return;
		client_close(b, slot);
		return;
	}
	while (off < (size_t)n && c->fd >= 0) {
		enum wire_status st =
		    wire_rx_feed(&c->rx, data + off, (size_t)n - off, &used);

		off += used;
		if (st == WIRE_MESSAGE)
			client_message(b, slot, &c->rx.hdr, c->buf);
		else if (st == WIRE_TOO_BIG)
			client_error(c, c->rx.hdr.req_id, "E2BIG");
	}
}

static void client_accept(struct bridge *b)
{
	int fd = accept(b->listen_fd, NULL, NULL);

	if (fd < 0)
		return;
	fcntl(fd, F_SETFD, FD_CLOEXEC);
	for (int i = 0; i < MAX_CLIENTS; i++) {
		struct client *c = &b->clients[i];

		if (c->fd != -1)
			continue;
		c->fd = fd;
		c->id = ++b->next_client_id;
		c->buf = vmctl_xrealloc(NULL, ATOLL_MGMT_PAYLOAD_MAX);
		wire_rx_init(&c->rx, c->buf, ATOLL_MGMT_PAYLOAD_MAX);
		return;
	}
	fprintf(stderr, CMD ": %d clients already: one refused\n", MAX_CLIENTS);
	close(fd);
}

/* ---- the channel ---- */

/* The pending request r answers, taken off the FIFO; false if none. */
static bool pending_take(struct bridge *b, uint32_t id, struct pending *out)
{
	for (size_t i = 0; i < b->count; i++) {
		if (b->pending[(b->head + i) % b->cap].up_id != id)
			continue;
		/* In-order replies: the ones before it will not come. */
		*out = b->pending[(b->head + i) % b->cap];
		b->head = (b->head + i + 1) % b->cap;
		b->count -= i + 1;
		return true;
	}
	return false;
}

static void up_message(struct bridge *b, const struct mgmt_msg *r)
{
	struct pending p;
	struct client *c;

	if (r->hdr.type == XS_WATCH_EVENT && r->hdr.req_id == 0) {
		route_event(b, r->payload, r->hdr.len);
		return;
	}
	if (!pending_take(b, r->hdr.req_id, &p) || p.slot < 0)
		return; /* stale, or the bridge's own cleanup */
	c = &b->clients[p.slot];
	if (c->fd < 0 || c->id != p.client_id) {
		/* Its client has gone: end a transaction opened meanwhile. */
		if (r->hdr.type == XS_TRANSACTION_START)
			send_up(b, -1, XS_TRANSACTION_END, 0, tx_id_of(r), "F",
				2);
		return;
	}
	if (r->hdr.type == XS_TRANSACTION_START)
		tx_started(c, r);
	send_client(c, r->hdr.type, p.client_req_id, r->hdr.tx_id, r->payload,
		    r->hdr.len);
}

static bool up_read(struct bridge *b)
{
	struct mgmt_msg r;
	enum mgmt_status st = mgmt_fill(&b->up);

	if (st != MGMT_OK) {
		fprintf(stderr, CMD ": %s %s\n", b->up.path,
			st == MGMT_CLOSED ? "closed (QEMU stopped?)"
					  : strerror(b->up.saved_errno));
		return false;
	}
	while (mgmt_next(&b->up, &r))
		up_message(b, &r);
	return true;
}

/* ---- the listening socket ---- */

/* A socket file at path nobody listens on any more may be replaced. */
static bool path_free(const char *path)
{
	struct sockaddr_un sa;
	struct stat st;
	int fd;
	bool live;

	if (lstat(path, &st) < 0)
		return errno == ENOENT;
	if (!S_ISSOCK(st.st_mode)) {
		fprintf(stderr, CMD ": %s exists and is not a socket\n", path);
		return false;
	}
	mgmt_unix_addr(&sa, path); /* its length was checked */
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	live = fd >= 0 && !connect(fd, (struct sockaddr *)&sa, sizeof(sa));
	if (fd >= 0)
		close(fd);
	if (live) {
		fprintf(stderr, CMD ": %s is in use (another bridge?)\n", path);
		return false;
	}
	return unlink(path) == 0;
}

static int listen_on(const char *path)
{
	struct sockaddr_un sa;
	struct stat st;
	mode_t old;
	int fd, rc;

	if (!mgmt_unix_addr(&sa, path)) {
		fprintf(stderr, CMD ": socket path too long: %s\n", path);
		return -1;
	}
	if (!path_free(path))
		return -1;
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	old = umask(0177); /* 0600 from the start: no window */
	rc = fd < 0 ? -1 : bind(fd, (struct sockaddr *)&sa, sizeof(sa));
	umask(old);
	if (rc < 0 || listen(fd, 16) < 0 || stat(path, &st) < 0 ||
	    (st.st_mode & 077)) {
		fprintf(stderr, CMD ": cannot listen on %s: %s\n", path,
			rc < 0 ? strerror(errno) : "not mode 0600");
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

/* ---- the loop ---- */

static void bridge_loop(struct bridge *b)
{
	struct pollfd fds[MAX_CLIENTS + 2];
	int slots[MAX_CLIENTS + 2];

	while (!bridge_stop) {
		nfds_t n = 2;

		fds[0] = (struct pollfd){b->listen_fd, POLLIN, 0};
		fds[1] = (struct pollfd){b->up.fd, POLLIN, 0};
		for (int i = 0; i < MAX_CLIENTS; i++) {
			if (b->clients[i].fd < 0)
				continue;
			slots[n] = i;
			fds[n++] = (struct pollfd){b->clients[i].fd, POLLIN, 0};
		}
		if (poll(fds, n, -1) < 0)
			continue; /* EINTR: look at bridge_stop */
		if (fds[1].revents && !up_read(b))
			return;
		for (nfds_t i = 2; i < n; i++)
			if (fds[i].revents && b->clients[slots[i]].fd >= 0)
				client_read(b, slots[i]);
		for (int i = 0; i < MAX_CLIENTS; i++)
			if (b->clients[i].fd == -2) /* a write failed */
				client_close(b, i);
		if (fds[0].revents)
			client_accept(b);
	}
}

static int bridge_run(struct bridge *b, const char *path)
{
	struct sigaction sa = {.sa_handler = on_signal};

	b->listen_fd = listen_on(path);
	if (b->listen_fd < 0)
		return VMCTL_EXIT_FAIL;
	for (int i = 0; i < MAX_CLIENTS; i++)
		b->clients[i].fd = -1;
	b->next_up_id = b->up.next_req_id;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	fprintf(stderr,
		CMD ": listening on %s (XENSTORED_PATH=%s xenstore-ls); "
		    "CTRL-C stops\n",
		path, path);
	bridge_loop(b);
	for (int i = 0; i < MAX_CLIENTS; i++)
		if (b->clients[i].fd != -1)
			client_close(b, i);
	close(b->listen_fd);
	unlink(path);
	free(b->pending);
	return bridge_stop ? VMCTL_EXIT_OK : VMCTL_EXIT_FAIL;
}

int cmd_xs_bridge(int argc, char **argv)
{
	static struct bridge b;
	struct run_dir rd;
	char path[PATH_MAX];
	int rc;

	if (!rundir_from_args(&argc, argv, CMD, &rd))
		return VMCTL_EXIT_USAGE;
	if (argc > 1 || (argc == 1 && argv[0][0] == '-')) {
		fprintf(stderr,
			CMD ": %s '%s'\nusage: " CMD
			    " [SOCKET] [--run-dir DIR]\n",
			argc > 1 ? "one SOCKET only, not" : "unknown option",
			argv[argc - 1]);
		return VMCTL_EXIT_USAGE;
	}
	if (argc)
		snprintf(path, sizeof(path), "%s", argv[0]);
	else
		rundir_file(&rd, "xenstore.sock", path);
	rc = rundir_connect(&rd, CMD, &b.up, 10);
	if (rc != VMCTL_EXIT_OK)
		return rc;
	rc = bridge_run(&b, path);
	mgmt_close(&b.up);
	return rc;
}
