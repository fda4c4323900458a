// SPDX-License-Identifier: GPL-2.0-only
/*
 * Event channels between two domains. Run as two domains from the same
 * image: "evtchn_ping ping <peer-id>" and "evtchn_ping pong <peer-id>".
 * ping offers an unbound port to pong; pong binds it (retrying until ping
 * has offered it); then they bounce ROUNDS events, each side blocking until
 * the other's arrives. ping measures the round trip. Hostile calls on the
 * side: bad ports, foreign ports, double binds.
 */
#include "tdom.h"

#define ROUNDS 200

static volatile unsigned received;
static volatile bool got_one;

static void wait_count(unsigned target);

static void on_event(evtchn_port_t port, void *arg)
{
	received++;
	got_one = true;
}

static long evtchn_op(unsigned cmd, void *arg)
{
	return HC(__HYPERVISOR_event_channel_op, cmd, arg, 0);
}

static void hostile_checks(domid_t peer)
{
	struct evtchn_send bad_send = {.port = 4000};
	struct evtchn_close bad_close = {.port = 0};
	struct evtchn_bind_interdomain foreign = {.remote_dom = 77,
						  .remote_port = 1};
	struct evtchn_alloc_unbound not_mine = {.dom = peer,
						.remote_dom = DOMID_SELF};
	struct evtchn_unmask bad_unmask = {.port = 100000};
	struct evtchn_bind_virq bad_virq = {.virq = 9999, .vcpu = 0};

	CHECK(evtchn_op(EVTCHNOP_send, &bad_send) < 0);
	CHECK(evtchn_op(EVTCHNOP_close, &bad_close) < 0);
	CHECK(evtchn_op(EVTCHNOP_bind_interdomain, &foreign) < 0);
	CHECK(evtchn_op(EVTCHNOP_alloc_unbound, &not_mine) < 0);
	CHECK(evtchn_op(EVTCHNOP_unmask, &bad_unmask) < 0);
	CHECK(evtchn_op(EVTCHNOP_bind_virq, &bad_virq) < 0);
	CHECK_EQ(evtchn_op(EVTCHNOP_send, (void *)TDOM_CORE_ADDR), -XEN_EFAULT);
	CHECK_EQ(evtchn_op(77, &bad_send), -XEN_ENOSYS);
}

static evtchn_port_t ping_setup(domid_t peer)
{
	struct evtchn_alloc_unbound a = {.dom = DOMID_SELF, .remote_dom = peer};

	CHECK_EQ(evtchn_op(EVTCHNOP_alloc_unbound, &a), 0);
	tprintf("offered port %u to d%u\n", a.port, peer);
	return a.port;
}

/* pong does not know ping's port number: it tries the low ones in turn;
 * binding a port not offered to it fails cleanly, which is a test too. */
static evtchn_port_t pong_setup(domid_t peer)
{
	for (unsigned tries = 0; tries < 100000; tries++) {
		for (evtchn_port_t p = 1; p < 8; p++) {
			struct evtchn_bind_interdomain b = {.remote_dom = peer,
							    .remote_port = p};

			if (evtchn_op(EVTCHNOP_bind_interdomain, &b) == 0)
				return b.local_port;
		}
		tdom_yield();
	}
	tdom_fail("never managed to bind to d%u", peer);
}

/*
 * Waits until at least target events have arrived. SCHEDOP_block returns
 * at once if an event is pending, and the upcall runs before it returns,
 * so there is no lost wake-up; the harness's timeout catches a peer that
 * never answers.
 */
static void wait_count(unsigned target)
{
	while (received < target)
		HC(__HYPERVISOR_sched_op, SCHEDOP_block, 0, 0);
}

/*
 * Counting events, not flags: a flag reset after an event arrived would
 * lose it. pong says hello once bound (a send on a port nobody has bound
 * yet is dropped); then each ping is answered by one pong.
 */
static void ping(evtchn_port_t port)
{
	uint64_t t0, t1, tsc0, tsc1;

	wait_count(1); /* pong's hello */
	t0 = tdom_now_ns();
	tsc0 = rdtsc();
	for (unsigned i = 0; i < ROUNDS; i++) {
		unsigned target = received + 1;

		CHECK_EQ(tdom_send(port), 0);
		wait_count(target);
	}
	tsc1 = rdtsc();
	t1 = tdom_now_ns();
	tprintf("%u round trips, %llu ns each\n", ROUNDS,
		(unsigned long long)((t1 - t0) / ROUNDS));
	tprintf("BENCH-RAW evtchn.rtt %llu\n",
		(unsigned long long)((tsc1 - tsc0) / ROUNDS));
}

static void pong(evtchn_port_t port)
{
	/* Binding marks our new port pending once: not a ping. */
	unsigned base = received;

	CHECK_EQ(tdom_send(port), 0); /* hello */
	for (unsigned i = 0; i < ROUNDS; i++) {
		wait_count(base + i + 1);
		CHECK_EQ(tdom_send(port), 0);
	}
}

int tmain(const char *args)
{
	bool is_ping = args[0] == 'p' && args[1] == 'i';
	const char *p = args;
	domid_t peer = 0;
	evtchn_port_t port;
	struct evtchn_close c;

	while (*p && *p != ' ')
		p++;
	while (*p == ' ')
		p++;
	while (*p >= '0' && *p <= '9')
		peer = peer * 10 + (*p++ - '0');
	CHECK(peer != 0);
	hostile_checks(peer);
	port = is_ping ? ping_setup(peer) : pong_setup(peer);
	tdom_on_event(port, on_event, NULL);
	if (is_ping)
		ping(port);
	else
		pong(port);
	c.port = port;
	CHECK_EQ(evtchn_op(EVTCHNOP_close, &c), 0);
	CHECK(evtchn_op(EVTCHNOP_close, &c) < 0); /* already closed */
	return 0;
}
