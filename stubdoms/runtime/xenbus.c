// SPDX-License-Identifier: GPL-2.0-only
/*
 * The XenStore client. Requests are written whole into the ring's request
 * half under the writer lock and matched to their replies by req_id; the
 * "xenbus" thread reads the response half, completes the waiting request
 * or queues a watch event for the "xenwatch" thread, which runs the
 * callbacks (they may make requests themselves, so they cannot run on the
 * reader). The store is another domain: its indices are checked, and a
 * ring it breaks stops the client rather than the domain.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rt/events.h>
#include <rt/hypercall.h>
#include <rt/rt.h>
#include <rt/thread.h>
#include <rt/xenbus.h>
#include <xen/io/xs_wire.h>
#include <xen/sched.h>

#define MAX_PENDING 32
#define MAX_WATCHES 64

struct request {
	bool used, done;
	uint32_t req_id;
	struct xsd_sockmsg reply;
	char *body; /* malloc'd, NUL-terminated */
};

struct watch {
	bool used;
	char *path, *token;
	xenbus_watch_fn cb;
	void *arg;
};

struct watch_event {
	struct watch_event *next;
	char *path, *token; /* token points into the same block */
};

static struct xenstore_domain_interface *ring;
static evtchn_port_t port;
static bool broken;
static struct rt_waitq ring_wq = RT_WAITQ_INIT;	 /* ring has data/space */
static struct rt_waitq reply_wq = RT_WAITQ_INIT; /* a request completed */
static struct rt_waitq slot_wq = RT_WAITQ_INIT;	 /* a pending slot freed */
static struct rt_waitq write_wq = RT_WAITQ_INIT; /* the writer lock */
static struct rt_waitq event_wq = RT_WAITQ_INIT; /* watch events queued */
static bool writing;
static struct request pending[MAX_PENDING];
static uint32_t next_req_id = 1;
static struct watch watches[MAX_WATCHES];
static struct watch_event *events_head, **events_tail = &events_head;
static int my_domid = -1;
static xenbus_watch_fn event_sink;
static void *event_sink_arg;
static char home[32];

bool xenbus_available(void)
{
	return ring && !broken;
}

static void on_ring_event(evtchn_port_t p, void *arg)
{
	rt_wake_all(&ring_wq);
}

/* ---- Ring access ------------------------------------------------------ */

static void mark_broken(const char *why)
{
	if (!broken)
		fprintf(stderr,
			"xenbus: store ring broken (%s), disconnected\n", why);
	broken = true;
	rt_wake_all(&reply_wq);
	rt_wake_all(&ring_wq);
}

static uint32_t req_space(void)
{
	uint32_t used = __atomic_load_n(&ring->req_prod, __ATOMIC_RELAXED) -
			__atomic_load_n(&ring->req_cons, __ATOMIC_ACQUIRE);

	if (used > XENSTORE_RING_SIZE) {
		mark_broken("request indices");
		return 0;
	}
	return XENSTORE_RING_SIZE - used;
}

static uint32_t rsp_avail(void)
{
	uint32_t avail = __atomic_load_n(&ring->rsp_prod, __ATOMIC_ACQUIRE) -
			 __atomic_load_n(&ring->rsp_cons, __ATOMIC_RELAXED);

	if (avail > XENSTORE_RING_SIZE) {
		mark_broken("response indices");
		return 0;
	}
	return avail;
}

/* Writes len bytes, waiting for space; false if the ring broke. */
static bool ring_write(const void *data, uint32_t len)
{
	const char *p = data;

	while (len) {
		uint32_t space, prod, chunk;

		rt_wait_event(&ring_wq, broken || req_space() > 0);
		if (broken)
			return false;
		space = req_space();
		prod = ring->req_prod;
		chunk = XENSTORE_RING_SIZE - MASK_XENSTORE_IDX(prod);
		chunk = chunk < space ? chunk : space;
		chunk = chunk < len ? chunk : len;
		memcpy(&ring->req[MASK_XENSTORE_IDX(prod)], p, chunk);
		__atomic_store_n(&ring->req_prod, prod + chunk,
				 __ATOMIC_RELEASE);
		rt_evtchn_send(port);
		p += chunk;
		len -= chunk;
	}
	return true;
}

static bool ring_read(void *data, uint32_t len)
{
	char *p = data;

	while (len) {
		uint32_t avail, cons, chunk;

		rt_wait_event(&ring_wq, broken || rsp_avail() > 0);
		if (broken)
			return false;
		avail = rsp_avail();
		cons = ring->rsp_cons;
		chunk = XENSTORE_RING_SIZE - MASK_XENSTORE_IDX(cons);
		chunk = chunk < avail ? chunk : avail;
		chunk = chunk < len ? chunk : len;
		memcpy(p, &ring->rsp[MASK_XENSTORE_IDX(cons)], chunk);
		__atomic_store_n(&ring->rsp_cons, cons + chunk,
				 __ATOMIC_RELEASE);
		/* The store waits for space only when the ring was full. */
		if (avail == XENSTORE_RING_SIZE)
			rt_evtchn_send(port);
		p += chunk;
		len -= chunk;
	}
	return true;
}

/* ---- Reader and watch threads ----------------------------------------- */

static void queue_watch_event(char *body, uint32_t len)
{
	size_t path_len = strnlen(body, len);
	struct watch_event *ev;

	if (path_len + 1 >= len) /* no token: malformed, dropped */
		return free(body);
	ev = malloc(sizeof(*ev));
	if (!ev)
		return free(body);
	ev->next = NULL;
	ev->path = body;
	ev->token = body + path_len + 1;
	*events_tail = ev;
	events_tail = &ev->next;
	rt_wake_all(&event_wq);
}

static void complete_request(const struct xsd_sockmsg *h, char *body)
{
	for (unsigned i = 0; i < MAX_PENDING; i++) {
		if (pending[i].used && !pending[i].done &&
		    pending[i].req_id == h->req_id) {
			pending[i].reply = *h;
			pending[i].body = body;
			pending[i].done = true;
			rt_wake_all(&reply_wq);
			return;
		}
	}
	free(body); /* a reply nobody waits for */
}

static void reader_thread(void *arg)
{
	for (;;) {
		struct xsd_sockmsg h;
		char *body;

		if (!ring_read(&h, sizeof(h)))
			return;
		if (h.len > XENSTORE_PAYLOAD_MAX) {
			mark_broken("oversized reply");
			return;
		}
		body = malloc(h.len + 1);
		if (!body || !ring_read(body, h.len)) {
			mark_broken(body ? "short reply" : "out of memory");
			free(body);
			return;
		}
		body[h.len] = '\0';
		if (h.type == XS_WATCH_EVENT)
			queue_watch_event(body, h.len);
		else
			complete_request(&h, body);
	}
}

static struct watch *find_watch(const char *path, const char *token)
{
	for (unsigned i = 0; i < MAX_WATCHES; i++) {
		if (watches[i].used && !strcmp(watches[i].token, token) &&
		    (!path || !strcmp(watches[i].path, path)))
			return &watches[i];
	}
	return NULL;
}

static void watch_thread(void *arg)
{
	for (;;) {
		struct watch_event *ev;
		struct watch *w;

		rt_wait_event(&event_wq, events_head != NULL);
		ev = events_head;
		events_head = ev->next;
		if (!events_head)
			events_tail = &events_head;
		w = find_watch(NULL, ev->token);
		if (w)
			w->cb(ev->path, ev->token, w->arg);
		else if (event_sink)
			event_sink(ev->path, ev->token, event_sink_arg);
		free(ev->path);
		free(ev);
	}
}

/* ---- Requests --------------------------------------------------------- */

static const struct {
	const char *name;
	int err;
} error_names[] = {
    {"EINVAL", EINVAL}, {"EACCES", EACCES},   {"EEXIST", EEXIST},
    {"EISDIR", EISDIR}, {"ENOENT", ENOENT},   {"ENOMEM", ENOMEM},
    {"ENOSPC", ENOSPC}, {"EIO", EIO},	      {"ENOTEMPTY", ENOTEMPTY},
    {"ENOSYS", ENOSYS}, {"EROFS", EROFS},     {"EBUSY", EBUSY},
    {"EAGAIN", EAGAIN}, {"EISCONN", EISCONN}, {"E2BIG", E2BIG},
    {"EPERM", EPERM},	{"EQUOTA", EDQUOT},
};

static int error_from_name(const char *name)
{
	for (size_t i = 0; i < sizeof(error_names) / sizeof(error_names[0]);
	     i++) {
		if (!strcmp(error_names[i].name, name))
			return -error_names[i].err;
	}
	return -EIO;
}

static struct request *free_slot(void)
{
	for (unsigned i = 0; i < MAX_PENDING; i++) {
		if (!pending[i].used)
			return &pending[i];
	}
	return NULL;
}

static struct request *claim_slot(void)
{
	struct request *r;

	rt_wait_event(&slot_wq, (r = free_slot()) != NULL);
	*r = (struct request){.used = true, .req_id = next_req_id++};
	return r;
}

static void release_slot(struct request *r)
{
	r->used = false;
	rt_wake_all(&slot_wq);
}

static bool send_message(const struct xsd_sockmsg *h, const char **parts,
			 const uint32_t *lens, unsigned count)
{
	bool ok;

	rt_wait_event(&write_wq, !writing);
	writing = true;
	ok = ring_write(h, sizeof(*h));
	for (unsigned i = 0; ok && i < count; i++)
		ok = ring_write(parts[i], lens[i]);
	writing = false;
	rt_wake_all(&write_wq);
	return ok;
}

/*
 * One request of type with count parts; on success *body (if asked) gets
 * the reply's payload and *len its length. Returns 0 or -errno.
 */
static int request(uint32_t type, xenbus_txn_t t, const char **parts,
		   const uint32_t *lens, unsigned count, char **body,
		   uint32_t *len)
{
	struct xsd_sockmsg h = {.type = type, .tx_id = t};
	struct request *r;
	int rc = 0;

	if (!xenbus_available())
		return -ENODEV;
	for (unsigned i = 0; i < count; i++)
		h.len += lens[i];
	if (h.len > XENSTORE_PAYLOAD_MAX)
		return -E2BIG;
	r = claim_slot();
	h.req_id = r->req_id;
	if (!send_message(&h, parts, lens, count)) {
		release_slot(r);
		return -EIO;
	}
	rt_wait_event(&reply_wq, r->done || broken);
	if (!r->done)
		rc = -EIO;
	else if (r->reply.type == XS_ERROR)
		rc = error_from_name(r->body);
	else if (r->reply.type != type)
		rc = -EIO;
	if (!rc && body) {
		*body = r->body;
		if (len)
			*len = r->reply.len;
	} else {
		free(r->body);
	}
	release_slot(r);
	return rc;
}

int xenbus_raw_request(const struct xsd_sockmsg *h, const void *payload,
		       uint32_t len, struct xsd_sockmsg *reply, char **body,
		       uint64_t timeout_ns)
{
	struct xsd_sockmsg hdr = *h;
	const char *parts[1] = {payload};
	struct request *r;
	uint64_t deadline = rt_now_ns() + timeout_ns;
	int rc = 0;

	if (!xenbus_available())
		return -ENODEV;
	r = claim_slot();
	hdr.req_id = r->req_id;
	if (!send_message(&hdr, parts, &len, len ? 1 : 0)) {
		release_slot(r);
		return -EIO;
	}
	if (!rt_wait_event_until(&reply_wq, r->done || broken, deadline) ||
	    !r->done) {
		/* The slot stays claimed: a late reply must not land in a
		 * request made later with the same slot. */
		return -EIO;
	}
	*reply = r->reply;
	*body = r->body;
	release_slot(r);
	return rc;
}

/* A request whose payload is strings, each sent with its NUL. */
static int request_strings(uint32_t type, xenbus_txn_t t, const char **strs,
			   unsigned count, char **body, uint32_t *len)
{
	uint32_t lens[4];

	for (unsigned i = 0; i < count; i++)
		lens[i] = strlen(strs[i]) + 1;
	return request(type, t, strs, lens, count, body, len);
}

int xenbus_read(xenbus_txn_t t, const char *path, char **value)
{
	return request_strings(XS_READ, t, &path, 1, value, NULL);
}

int xenbus_write(xenbus_txn_t t, const char *path, const char *value)
{
	const char *parts[2] = {path, value};
	uint32_t lens[2] = {strlen(path) + 1, strlen(value)};

	return request(XS_WRITE, t, parts, lens, 2, NULL, NULL);
}

int xenbus_printf(xenbus_txn_t t, const char *path, const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n < 0 || n >= (int)sizeof(buf))
		return -E2BIG;
	return xenbus_write(t, path, buf);
}

int xenbus_mkdir(xenbus_txn_t t, const char *path)
{
	return request_strings(XS_MKDIR, t, &path, 1, NULL, NULL);
}

int xenbus_rm(xenbus_txn_t t, const char *path)
{
	return request_strings(XS_RM, t, &path, 1, NULL, NULL);
}

/* Splits a NUL-separated list into one malloc'd block of pointers and
 * strings. */
static int split_list(const char *body, uint32_t len, char ***names,
		      unsigned *count)
{
	unsigned n = 0;
	char **out, *strings;

	for (uint32_t i = 0; i < len; i++)
		n += body[i] == '\0';
	out = malloc((n + 1) * sizeof(char *) + len + 1);
	if (!out)
		return -ENOMEM;
	strings = (char *)(out + n + 1);
	memcpy(strings, body, len);
	strings[len] = '\0';
	for (unsigned i = 0; i < n; i++) {
		out[i] = strings;
		strings += strlen(strings) + 1;
	}
	out[n] = NULL;
	*names = out;
	*count = n;
	return 0;
}

int xenbus_directory(xenbus_txn_t t, const char *path, char ***names,
		     unsigned *count)
{
	char *body;
	uint32_t len;
	int rc = request_strings(XS_DIRECTORY, t, &path, 1, &body, &len);

	if (rc)
		return rc;
	rc = split_list(body, len, names, count);
	free(body);
	return rc;
}

int xenbus_get_perms(xenbus_txn_t t, const char *path, char **perms,
		     unsigned *len)
{
	uint32_t l;
	int rc = request_strings(XS_GET_PERMS, t, &path, 1, perms, &l);

	if (!rc)
		*len = l;
	return rc;
}

int xenbus_set_perms(xenbus_txn_t t, const char *path, const char *perms,
		     unsigned len)
{
	const char *parts[2] = {path, perms};
	uint32_t lens[2] = {strlen(path) + 1, len};

	return request(XS_SET_PERMS, t, parts, lens, 2, NULL, NULL);
}

int xenbus_read_int(xenbus_txn_t t, const char *path, long *value)
{
	char *s, *end;
	int rc = xenbus_read(t, path, &s);

	if (rc)
		return rc;
	*value = strtol(s, &end, 10);
	rc = (end == s || *end) ? -EINVAL : 0;
	free(s);
	return rc;
}

int xenbus_transaction_start(xenbus_txn_t *t)
{
	const char *empty = "";
	char *body;
	int rc = request_strings(XS_TRANSACTION_START, XENBUS_NO_TXN, &empty, 1,
				 &body, NULL);

	if (rc)
		return rc;
	*t = (xenbus_txn_t)strtoul(body, NULL, 10);
	free(body);
	return *t ? 0 : -EIO;
}

int xenbus_transaction_end(xenbus_txn_t t, bool abort)
{
	const char *arg = abort ? "F" : "T";

	return request_strings(XS_TRANSACTION_END, t, &arg, 1, NULL, NULL);
}

int xenbus_transact(int (*fn)(xenbus_txn_t t, void *arg), void *arg)
{
	for (unsigned attempt = 0; attempt < 32; attempt++) {
		xenbus_txn_t t;
		int rc = xenbus_transaction_start(&t);

		if (rc)
			return rc;
		rc = fn(t, arg);
		if (rc) {
			xenbus_transaction_end(t, true);
			return rc;
		}
		rc = xenbus_transaction_end(t, false);
		if (rc != -EAGAIN)
			return rc;
	}
	return -EAGAIN;
}

int xenbus_watch(const char *path, const char *token, xenbus_watch_fn cb,
		 void *arg)
{
	const char *parts[2] = {path, token};
	struct watch *w = NULL;
	int rc;

	if (find_watch(NULL, token))
		return -EEXIST; /* tokens name watches: one callback each */
	for (unsigned i = 0; i < MAX_WATCHES && !w; i++)
		w = watches[i].used ? NULL : &watches[i];
	if (!w)
		return -ENOSPC;
	*w = (struct watch){.used = true,
			    .path = strdup(path),
			    .token = strdup(token),
			    .cb = cb,
			    .arg = arg};
	if (!w->path || !w->token) {
		rc = -ENOMEM;
	} else {
		rc = request_strings(XS_WATCH, XENBUS_NO_TXN, parts, 2, NULL,
				     NULL);
	}
	if (rc) {
		free(w->path);
		free(w->token);
		w->used = false;
	}
	return rc;
}

int xenbus_unwatch(const char *path, const char *token)
{
	const char *parts[2] = {path, token};
	struct watch *w = find_watch(path, token);
	int rc =
	    request_strings(XS_UNWATCH, XENBUS_NO_TXN, parts, 2, NULL, NULL);

	if (w) {
		free(w->path);
		free(w->token);
		w->used = false;
	}
	return rc;
}

static void learn_domid(void)
{
	long id;

	if (my_domid < 0 && xenbus_read_int(XENBUS_NO_TXN, "domid", &id) == 0) {
		my_domid = (int)id;
		snprintf(home, sizeof(home), "/local/domain/%d", my_domid);
	}
}

void xenbus_set_event_sink(xenbus_watch_fn fn, void *arg)
{
	event_sink_arg = arg;
	event_sink = fn;
}

int xenbus_domid(void)
{
	learn_domid();
	return my_domid;
}

const char *xenbus_home(void)
{
	learn_domid();
	return home;
}

/* ---- Device state machine --------------------------------------------- */

static const char *const state_names[] = {
    "Unknown", "Initialising", "InitWait",	"Initialised",	"Connected",
    "Closing", "Closed",       "Reconfiguring", "Reconfigured",
};

const char *xenbus_state_name(enum xenbus_state state)
{
	return (unsigned)state < sizeof(state_names) / sizeof(state_names[0])
		   ? state_names[state]
		   : "invalid";
}

int xenbus_switch_state(const char *dir, enum xenbus_state state)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/state", dir);
	return xenbus_printf(XENBUS_NO_TXN, path, "%d", state);
}

enum xenbus_state xenbus_read_state(const char *dir)
{
	char path[256];
	long v;

	snprintf(path, sizeof(path), "%s/state", dir);
	if (xenbus_read_int(XENBUS_NO_TXN, path, &v) || v < 0 ||
	    v > XenbusStateReconfigured)
		return XenbusStateUnknown;
	return (enum xenbus_state)v;
}

struct state_wait {
	struct rt_waitq wq;
	unsigned changes;
};

static void on_state_change(const char *path, const char *token, void *arg)
{
	struct state_wait *w = arg;

	w->changes++;
	rt_wake_all(&w->wq);
}

int xenbus_wait_state(const char *dir, unsigned mask, uint64_t timeout_ns)
{
	static unsigned serial;
	struct state_wait w = {RT_WAITQ_INIT, 0};
	uint64_t deadline = rt_now_ns() + timeout_ns;
	char path[256], token[32];
	enum xenbus_state s;
	int rc;

	snprintf(path, sizeof(path), "%s/state", dir);
	snprintf(token, sizeof(token), "rt-state-%u", serial++);
	rc = xenbus_watch(path, token, on_state_change, &w);
	if (rc)
		return rc;
	for (;;) {
		unsigned seen = w.changes;

		s = xenbus_read_state(dir);
		if (mask & (1U << s))
			break;
		if (!rt_wait_event_until(&w.wq, w.changes != seen, deadline)) {
			rc = -ETIMEDOUT;
			break;
		}
	}
	xenbus_unwatch(path, token);
	return rc ? rc : (int)s;
}

/* ---- Start ------------------------------------------------------------ */

/*
 * The toolstack asks a domain to stop by writing control/shutdown, as on
 * Xen: "poweroff" (or "halt") ends it with exit(0), "reboot" shuts it down
 * with SHUTDOWN_reboot so that the toolstack builds it again.
 */
static void on_shutdown_request(const char *path, const char *token, void *arg)
{
	char *req;

	if (xenbus_read(XENBUS_NO_TXN, "control/shutdown", &req))
		return; /* the first, immediate event: nothing asked yet */
	if (!strcmp(req, "poweroff") || !strcmp(req, "halt")) {
		printf("shutdown requested: powering off\n");
		exit(0);
	}
	if (!strcmp(req, "reboot")) {
		struct sched_shutdown s = {.reason = SHUTDOWN_reboot};

		printf("shutdown requested: rebooting\n");
		fflush(stdout);
		for (;;)
			hc_sched_op(SCHEDOP_shutdown, &s);
	}
	free(req);
}

/* Does not wait for the store: requests queue in the ring until it
 * connects. */
int xenbus_init(void)
{
	struct start_info *si = rt_start_info;

	if (!si->store_evtchn || !si->store_mfn)
		return -ENODEV;
	ring = (struct xenstore_domain_interface *)(uintptr_t)(si->store_mfn
							       << 12);
	port = si->store_evtchn;
	if (!rt_thread_create("xenbus", reader_thread, NULL) ||
	    !rt_thread_create("xenwatch", watch_thread, NULL))
		return -ENOMEM;
	rt_evtchn_handle(port, on_ring_event, NULL);
	return xenbus_watch("control/shutdown", "rt-shutdown",
			    on_shutdown_request, NULL);
}
