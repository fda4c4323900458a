// SPDX-License-Identifier: GPL-2.0-only
/*
 * xs_check: XenStore system test domain, on the runtime's xenbus client.
 *   client PEER          every operation on its own keys; PEER's keys and
 *                        the store's own tree refused
 *   racer owner PEER N   creates a counter PEER may write, then both
 *   racer guest OWNER N  increment it N times each in transactions that
 *                        yield mid-way; the total must be exact
 *   hostile PEER         malformed, oversized, forbidden and flooding
 *                        requests: each gets an error, then the store still
 *                        answers
 *   bystander SECS       reads and writes its own keys for SECS seconds,
 *                        checking every value
 *   bench                round trips, printed as BENCH-RAW lines
 *   service              a long-running service that crashes (abort)
 *                        when someone writes its crash-me key
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rt/hypercall.h>
#include <rt/rt.h>
#include <rt/thread.h>
#include <rt/xenbus.h>
#include <xen/io/xs_wire.h>

#define CHECK(cond)                                                            \
	do {                                                                   \
		if (!(cond)) {                                                 \
			printf("VERDICT FAIL xs_check: %s:%d: %s\n", __FILE__, \
			       __LINE__, #cond);                               \
			exit(1);                                               \
		}                                                              \
	} while (0)
#define CHECK_RC(expr, want)                                                   \
	do {                                                                   \
		int _rc = (expr);                                              \
		if (_rc != (want)) {                                           \
			printf("VERDICT FAIL xs_check: %s:%d: %s = %d (%s), "  \
			       "expected %d\n",                                \
			       __FILE__, __LINE__, #expr, _rc, strerror(-_rc), \
			       want);                                          \
			exit(1);                                               \
		}                                                              \
	} while (0)
#define CHECK_ERR(expr) CHECK((expr) < 0)

static void check_value(const char *path, const char *want)
{
	char *v;

	CHECK_RC(xenbus_read(XENBUS_NO_TXN, path, &v), 0);
	if (strcmp(v, want)) {
		printf("VERDICT FAIL xs_check: %s is '%s', expected '%s'\n",
		       path, v, want);
		exit(1);
	}
	free(v);
}

/* ---- client ----------------------------------------------------------- */

static struct rt_waitq watch_wq = RT_WAITQ_INIT;
static unsigned watch_hits;
static char last_watch_path[128];

static void on_watch(const char *path, const char *token, void *arg)
{
	snprintf(last_watch_path, sizeof(last_watch_path), "%s", path);
	watch_hits++;
	rt_wake_all(&watch_wq);
}

static bool wait_hits(unsigned n)
{
	return rt_wait_event_until(&watch_wq, watch_hits >= n,
				   rt_now_ns() + 2000000000ULL);
}

static void client_basic_ops(void)
{
	char **names, path[128], *v;
	unsigned count;

	CHECK_RC(xenbus_write(XENBUS_NO_TXN, "data/a", "1"), 0);
	CHECK_RC(xenbus_mkdir(XENBUS_NO_TXN, "data/dir"), 0);
	snprintf(path, sizeof(path), "%s/data/b", xenbus_home());
	CHECK_RC(xenbus_write(XENBUS_NO_TXN, path, "absolute"), 0);
	check_value("data/b", "absolute");
	check_value("data/a", "1");
	CHECK_RC(xenbus_directory(XENBUS_NO_TXN, "data", &names, &count), 0);
	CHECK(count == 4); /* secret, a, dir, b */
	free(names);
	CHECK_RC(xenbus_rm(XENBUS_NO_TXN, "data/dir"), 0);
	CHECK_RC(xenbus_read(XENBUS_NO_TXN, "data/dir", &v), -ENOENT);
	CHECK_RC(xenbus_read(XENBUS_NO_TXN, "no/such/node", &v), -ENOENT);
}

static void client_watches(void)
{
	CHECK_RC(xenbus_watch("data", "w1", on_watch, NULL), 0);
	CHECK(wait_hits(1)); /* fired once on registration */
	CHECK_RC(xenbus_write(XENBUS_NO_TXN, "data/x/y", "deep"), 0);
	CHECK(wait_hits(2));
	CHECK(!strcmp(last_watch_path, "data/x/y"));
	CHECK_RC(xenbus_unwatch("data", "w1"), 0);
	CHECK_RC(xenbus_write(XENBUS_NO_TXN, "data/x/y", "again"), 0);
	rt_sleep_ns(20000000);
	CHECK(watch_hits == 2);
}

static void client_transactions(void)
{
	xenbus_txn_t t, t2;
	char *v;

	CHECK_RC(xenbus_transaction_start(&t), 0);
	CHECK_RC(xenbus_write(t, "data/t", "inside"), 0);
	CHECK_RC(xenbus_read(XENBUS_NO_TXN, "data/t", &v), -ENOENT);
	CHECK_RC(xenbus_transaction_end(t, false), 0);
	check_value("data/t", "inside");
	/* A conflict: t reads, someone else writes, t writes: EAGAIN. */
	CHECK_RC(xenbus_transaction_start(&t), 0);
	CHECK_RC(xenbus_read(t, "data/t", &v), 0);
	free(v);
	CHECK_RC(xenbus_write(XENBUS_NO_TXN, "data/t", "outside"), 0);
	CHECK_RC(xenbus_write(t, "data/t", "lost"), 0);
	CHECK_RC(xenbus_transaction_end(t, false), -EAGAIN);
	check_value("data/t", "outside");
	/* Aborted: nothing happens. */
	CHECK_RC(xenbus_transaction_start(&t2), 0);
	CHECK_RC(xenbus_write(t2, "data/u", "never"), 0);
	CHECK_RC(xenbus_transaction_end(t2, true), 0);
	CHECK_RC(xenbus_read(XENBUS_NO_TXN, "data/u", &v), -ENOENT);
}

static void client_refusals(int peer)
{
	char path[128], *v, *perms;
	unsigned len;

	snprintf(path, sizeof(path), "/local/domain/%d/data/secret", peer);
	CHECK_RC(xenbus_read(XENBUS_NO_TXN, path, &v), -EACCES);
	CHECK_RC(xenbus_write(XENBUS_NO_TXN, path, "stolen"), -EACCES);
	CHECK_RC(xenbus_rm(XENBUS_NO_TXN, path), -EACCES);
	CHECK_ERR(xenbus_write(XENBUS_NO_TXN, "/tool/mine", "x"));
	CHECK_ERR(xenbus_write(XENBUS_NO_TXN, "/local/domain/0/x", "x"));
	CHECK_ERR(xenbus_write(XENBUS_NO_TXN, "/top", "x"));
	CHECK_ERR(xenbus_write(XENBUS_NO_TXN, "bad//path", "x"));
	/* Its own node's permissions: owner first. */
	CHECK_RC(xenbus_get_perms(XENBUS_NO_TXN, "data/a", &perms, &len), 0);
	snprintf(path, sizeof(path), "n%d", xenbus_domid());
	CHECK(!strcmp(perms, path));
	free(perms);
}

/* A key of ours the peer may read (and nothing else of ours). */
static void signal_peer(const char *key, int peer)
{
	char perms[32];
	int len = snprintf(perms, sizeof(perms), "n%d", xenbus_domid()) + 1;

	len += snprintf(perms + len, sizeof(perms) - len, "r%d", peer) + 1;
	CHECK_RC(xenbus_write(XENBUS_NO_TXN, key, "1"), 0);
	CHECK_RC(xenbus_set_perms(XENBUS_NO_TXN, key, perms, len), 0);
}

static void wait_peer(const char *key, int peer)
{
	char path[64], *v;

	snprintf(path, sizeof(path), "/local/domain/%d/%s", peer, key);
	for (int i = 0; i < 3000; i++) {
		if (xenbus_read(XENBUS_NO_TXN, path, &v) == 0) {
			free(v);
			return;
		}
		rt_sleep_ns(10000000);
	}
	CHECK(!"the peer never got there");
}

/*
 * Waits until the peer has said it is done, or has gone (its sync/ready,
 * which it wrote first, vanished with its other nodes).
 */
static void wait_finished(int peer)
{
	char done[64], ready[64], *v;
	int rc;

	snprintf(done, sizeof(done), "/local/domain/%d/sync/done", peer);
	snprintf(ready, sizeof(ready), "/local/domain/%d/sync/ready", peer);
	for (int i = 0; i < 3000; i++) {
		if (xenbus_read(XENBUS_NO_TXN, done, &v) == 0) {
			free(v);
			return;
		}
		rc = xenbus_read(XENBUS_NO_TXN, ready, &v);
		if (rc == -ENOENT)
			return;
		if (rc == 0)
			free(v);
		rt_sleep_ns(10000000);
	}
	CHECK(!"the peer never finished");
}

static void client(int peer)
{
	CHECK(xenbus_domid() > 0);
	CHECK_RC(xenbus_write(XENBUS_NO_TXN, "data/secret", "mine"), 0);
	client_basic_ops();
	client_watches();
	client_transactions();
	/* The peer's keys exist from its start until it exits (its nodes go
	 * with it): meet it before checking them, and stay until it has
	 * checked ours. */
	signal_peer("sync/ready", peer);
	wait_peer("sync/ready", peer);
	client_refusals(peer);
	signal_peer("sync/done", peer);
	wait_finished(peer);
}

/* ---- racer ------------------------------------------------------------ */

static char race_path[64];
static unsigned retries;

static int bump(xenbus_txn_t t, void *arg)
{
	long n;
	int rc = xenbus_read_int(t, race_path, &n);

	if (rc)
		return rc;
	rt_sleep_ns(100000 + (rdtsc() % 7) * 100000); /* let the peer in */
	retries++;
	return xenbus_printf(t, race_path, "%ld", n + 1);
}

static void racer(bool owner, int other, int rounds)
{
	int owner_id = owner ? xenbus_domid() : other;
	long total;

	snprintf(race_path, sizeof(race_path), "/local/domain/%d/race",
		 owner_id);
	if (owner) {
		char perms[32];
		int len = snprintf(perms, sizeof(perms), "n%d", owner_id);

		len += 1 + snprintf(perms + len + 1, sizeof(perms) - len - 1,
				    "b%d", other);
		CHECK_RC(xenbus_write(XENBUS_NO_TXN, race_path, "0"), 0);
		CHECK_RC(
		    xenbus_set_perms(XENBUS_NO_TXN, race_path, perms, len + 1),
		    0);
		CHECK_RC(xenbus_write(XENBUS_NO_TXN, "race-ready", "1"), 0);
	} else {
		long dummy;

		while (xenbus_read_int(XENBUS_NO_TXN, race_path, &dummy))
			rt_sleep_ns(1000000);
		signal_peer("sync/ready", other);
	}
	/* Pause between increments, or the faster racer starves the other
	 * past xenbus_transact's retries. */
	for (int i = 0; i < rounds; i++) {
		CHECK_RC(xenbus_transact(bump, NULL), 0);
		rt_sleep_ns(500000 + (rdtsc() % 5) * 200000);
	}
	printf("xs_check: %d increments took %u attempts\n", rounds, retries);
	for (int i = 0; i < 2000; i++) {
		CHECK_RC(xenbus_read_int(XENBUS_NO_TXN, race_path, &total), 0);
		if (total == 2 * rounds)
			break;
		rt_sleep_ns(1000000);
	}
	printf("xs_check: counter %ld, expected %d\n", total, 2 * rounds);
	CHECK(total == 2 * rounds);
	/* The counter goes with its owner: it stays until the guest has
	 * seen the total. */
	if (owner)
		wait_finished(other);
	else
		signal_peer("sync/done", other);
}

/* ---- hostile ---------------------------------------------------------- */

/* Sends a raw message; returns the reply's error name, "" if not one. */
static const char *raw(uint32_t type, uint32_t tx, const void *payload,
		       uint32_t claimed_len, uint32_t sent_len)
{
	static char err[32];
	struct xsd_sockmsg h = {.type = type, .tx_id = tx, .len = claimed_len},
			   reply;
	char *body;
	int rc = xenbus_raw_request(&h, payload, sent_len, &reply, &body,
				    2000000000ULL);

	CHECK_RC(rc, 0);
	snprintf(err, sizeof(err), "%s", reply.type == XS_ERROR ? body : "");
	free(body);
	return err;
}

static void store_still_answers(void)
{
	static unsigned n;
	char value[16];

	snprintf(value, sizeof(value), "%u", n++);
	CHECK_RC(xenbus_write(XENBUS_NO_TXN, "alive", value), 0);
	check_value("alive", value);
}

static void hostile_malformed(void)
{
	static char big[5000];
	char path[3200];

	CHECK(*raw(9999, 0, "x", 2, 2));	/* unknown type */
	CHECK(*raw(20, 0, "x", 2, 2));		/* withdrawn type */
	CHECK(*raw(XS_READ, 0, "abc", 3, 3));	/* no NUL */
	CHECK(*raw(XS_READ, 0, "", 0, 0));	/* no path */
	CHECK(*raw(XS_READ, 77777, "a", 2, 2)); /* no such transaction */
	CHECK(*raw(XS_WRITE, 0, "data", 4, 4));
	CHECK(*raw(XS_TRANSACTION_END, 0, "X", 2, 2));
	store_still_answers();
	memset(big, 'a', sizeof(big));
	CHECK(
	    !strcmp(raw(XS_WRITE, 0, big, sizeof(big), sizeof(big)), "E2BIG"));
	store_still_answers();
	memset(path, 'p', sizeof(path));
	path[sizeof(path) - 1] = '\0';
	CHECK(*raw(XS_READ, 0, path, sizeof(path), sizeof(path)));
	CHECK(!*raw(XS_WRITE, 0, "v\0", 2, 2)); /* an empty value is fine */
	store_still_answers();
}

static void hostile_forbidden(int peer)
{
	char path[128], msg[64];
	int len;

	snprintf(path, sizeof(path), "/local/domain/%d", peer);
	CHECK(*raw(XS_READ, 0, path, strlen(path) + 1, strlen(path) + 1));
	CHECK(*raw(XS_RM, 0, path, strlen(path) + 1, strlen(path) + 1));
	len = snprintf(msg, sizeof(msg), "%s%c", path, 0);
	len += snprintf(msg + len, sizeof(msg) - len, "n%d", 0) + 1;
	CHECK(*raw(XS_SET_PERMS, 0, msg, len, len));
	len = snprintf(msg, sizeof(msg), "%d%c5%c7", peer, 0, 0) + 1;
	CHECK(*raw(XS_INTRODUCE, 0, msg, len, len));
	len = snprintf(msg, sizeof(msg), "%d", peer) + 1;
	CHECK(*raw(XS_RELEASE, 0, msg, len, len));
	CHECK(*raw(XS_SET_QUOTA, 0,
		   "nodes\0"
		   "999999",
		   13, 13));
	store_still_answers();
}

static void hostile_floods(void)
{
	xenbus_txn_t t[40];
	unsigned ok_watches = 0, ok_txns = 0, ok_nodes = 0;
	char path[32];

	/* Raw, past the client's own table: the store's quota must hold. */
	for (unsigned i = 0; i < 200; i++) {
		char msg[32];
		int len =
		    snprintf(msg, sizeof(msg), "alive%cflood%u", 0, i) + 1;

		ok_watches += !*raw(XS_WATCH, 0, msg, len, len);
	}
	printf("xs_check: %u of 200 watches accepted\n", ok_watches);
	CHECK(ok_watches > 0 && ok_watches < 200);
	CHECK(!*raw(XS_RESET_WATCHES, 0, "", 1, 1));
	for (unsigned i = 0; i < 40; i++)
		ok_txns += xenbus_transaction_start(&t[ok_txns]) == 0;
	printf("xs_check: %u of 40 transactions accepted\n", ok_txns);
	CHECK(ok_txns < 40);
	while (ok_txns)
		xenbus_transaction_end(t[--ok_txns], true);
	for (unsigned i = 0; i < 1500; i++) {
		snprintf(path, sizeof(path), "flood/n%u", i);
		if (xenbus_write(XENBUS_NO_TXN, path, "x") != 0)
			break;
		ok_nodes++;
	}
	printf("xs_check: %u of 1500 nodes accepted\n", ok_nodes);
	CHECK(ok_nodes < 1500);
	CHECK_RC(xenbus_rm(XENBUS_NO_TXN, "flood"), 0);
	store_still_answers();
}

static void hostile(int peer)
{
	hostile_malformed();
	hostile_forbidden(peer);
	hostile_floods();
	printf("xs_check: hostile requests refused, store still answers\n");
	/* Last: a header that promises more than it sends. The store waits
	 * for the rest, so this domain's own next request is swallowed. */
	{
		struct xsd_sockmsg h = {.type = XS_READ, .len = 100}, reply;
		char *body;

		CHECK(xenbus_raw_request(&h, "alive", 6, &reply, &body,
					 500000000ULL) < 0);
	}
}

/* ---- bystander -------------------------------------------------------- */

static void bystander(int secs)
{
	uint64_t end = rt_now_ns() + (uint64_t)secs * 1000000000ULL;
	unsigned rounds = 0;
	char value[32];

	while (rt_now_ns() < end) {
		snprintf(value, sizeof(value), "v%u", rounds);
		CHECK_RC(xenbus_write(XENBUS_NO_TXN, "mine/key", value), 0);
		check_value("mine/key", value);
		rounds++;
	}
	printf("xs_check: %u write/read rounds, every value intact\n", rounds);
	CHECK(rounds > 10);
}

/* ---- bench ------------------------------------------------------------ */

static int txn_write(xenbus_txn_t t, void *arg)
{
	return xenbus_write(t, "bench/txn", "v");
}

static void bench(void)
{
	enum { N = 200 };
	uint64_t t0, ns0;
	char *v;
	unsigned reads = 0;

	CHECK_RC(xenbus_write(XENBUS_NO_TXN, "bench/key", "value"), 0);
	t0 = rdtsc();
	for (int i = 0; i < N; i++) {
		CHECK_RC(xenbus_read(XENBUS_NO_TXN, "bench/key", &v), 0);
		free(v);
	}
	printf("BENCH-RAW xenstore.read %llu\n",
	       (unsigned long long)((rdtsc() - t0) / N));
	t0 = rdtsc();
	for (int i = 0; i < N; i++)
		CHECK_RC(xenbus_write(XENBUS_NO_TXN, "bench/key", "value"), 0);
	printf("BENCH-RAW xenstore.write %llu\n",
	       (unsigned long long)((rdtsc() - t0) / N));
	t0 = rdtsc();
	for (int i = 0; i < N; i++)
		CHECK_RC(xenbus_transact(txn_write, NULL), 0);
	printf("BENCH-RAW xenstore.txn_commit %llu\n",
	       (unsigned long long)((rdtsc() - t0) / N));
	CHECK_RC(xenbus_watch("bench/w", "bw", on_watch, NULL), 0);
	CHECK(wait_hits(watch_hits + 1));
	t0 = rdtsc();
	for (int i = 0; i < N; i++) {
		unsigned before = watch_hits;

		CHECK_RC(xenbus_write(XENBUS_NO_TXN, "bench/w", "x"), 0);
		CHECK(wait_hits(before + 1));
	}
	printf("BENCH-RAW xenstore.watch_fire %llu\n",
	       (unsigned long long)((rdtsc() - t0) / N));
	ns0 = rt_now_ns();
	while (rt_now_ns() - ns0 < 1000000000ULL) {
		CHECK_RC(xenbus_read(XENBUS_NO_TXN, "bench/key", &v), 0);
		free(v);
		reads++;
	}
	printf("BENCH-RAW xenstore.read_ops %u\n", reads);
}

/* ---- service --------------------------------------------------------- */

static void on_crash_me(const char *path, const char *token, void *arg)
{
	char *v;

	if (xenbus_read(XENBUS_NO_TXN, "crash-me", &v) == 0) {
		printf("xs_check: asked to crash: aborting\n");
		abort();
	}
}

static void service(void)
{
	struct rt_waitq never = RT_WAITQ_INIT;

	CHECK_RC(xenbus_watch("crash-me", "crash", on_crash_me, NULL), 0);
	printf("xs_check: service up as d%d\n", xenbus_domid());
	rt_wait_event(&never, false);
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";

	if (!xenbus_available()) {
		printf("VERDICT FAIL xs_check: no XenStore ring\n");
		return 1;
	}
	if (!strcmp(mode, "client") && argc > 2)
		client(atoi(argv[2]));
	else if (!strcmp(mode, "racer") && argc > 4)
		racer(!strcmp(argv[2], "owner"), atoi(argv[3]), atoi(argv[4]));
	else if (!strcmp(mode, "hostile") && argc > 2)
		hostile(atoi(argv[2]));
	else if (!strcmp(mode, "bystander") && argc > 2)
		bystander(atoi(argv[2]));
	else if (!strcmp(mode, "bench"))
		bench();
	else if (!strcmp(mode, "service"))
		service();
	else {
		printf("VERDICT FAIL xs_check: bad arguments\n");
		return 1;
	}
	printf("VERDICT PASS xs_check %s\n", mode);
	return 0;
}
