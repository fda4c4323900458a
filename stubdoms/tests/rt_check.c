// SPDX-License-Identifier: GPL-2.0-only
/*
 * rt_check: the runtime's system test domain. argv[1] picks the test:
 *   basics      argv, libc, heap limits, clocks, threads, waits with
 *               timeouts, event channels and grants on itself, errno
 *   exit N      exit(N): 0 powers off, anything else is a crash
 *   abort       abort(): a crash
 *   oom         allocates until malloc fails, then keeps working
 * Verdicts: "VERDICT PASS rt_check" or "VERDICT FAIL rt_check: ...".
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <rt/events.h>
#include <rt/gnttab.h>
#include <rt/rt.h>
#include <rt/thread.h>
#include <xen/errno.h>

#define CHECK(cond)                                                            \
	do {                                                                   \
		if (!(cond)) {                                                 \
			printf("VERDICT FAIL rt_check: %s:%d: %s\n", __FILE__, \
			       __LINE__, #cond);                               \
			exit(1);                                               \
		}                                                              \
	} while (0)

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void check_libc(void)
{
	char buf[64];

	snprintf(buf, sizeof(buf), "%.3f %lld %s", M_PI, -1234567890123LL, "x");
	CHECK(!strcmp(buf, "3.142 -1234567890123 x"));
	CHECK(fabs(sqrt(2.0) * sqrt(2.0) - 2.0) < 1e-12);
	errno = 0;
	CHECK(close(5) == -1 && errno == EBADF);
	CHECK(write(7, "x", 1) == -1 && errno == EBADF);
}

/* The heap ends below main()'s stack: allocation fails, nothing breaks. */
static void check_heap(void)
{
	struct rt_heap_info h;
	void *blocks[4096];
	unsigned n = 0;

	rt_heap_info(&h);
	CHECK(h.start < h.limit);
	while (n < 4096 && (blocks[n] = malloc(16 * 1024)))
		memset(blocks[n++], 0xa5, 16 * 1024);
	CHECK(n > 0 && n < 4096);
	printf("rt_check: heap took %u blocks of 16 KiB (%lu KiB heap)\n", n,
	       (unsigned long)((h.limit - h.start) / 1024));
	while (n)
		free(blocks[--n]);
	CHECK(malloc(16 * 1024) != NULL);
}

static void check_clocks(void)
{
	struct timespec nap = {0, 10 * 1000000};
	uint64_t t0 = now_ms();

	CHECK(nanosleep(&nap, NULL) == 0);
	CHECK(now_ms() - t0 >= 10);
	nap.tv_nsec = 2000000000;
	CHECK(nanosleep(&nap, NULL) == -1 && errno == EINVAL);
}

static struct rt_waitq counter_wq = RT_WAITQ_INIT;
static unsigned counter;

static void bump(void *arg)
{
	for (int i = 0; i < 5; i++) {
		counter++;
		rt_yield();
	}
	rt_wake_all(&counter_wq);
}

static void check_threads(void)
{
	unsigned before = rt_thread_count();
	struct rt_waitq never = RT_WAITQ_INIT;
	uint64_t t0;

	for (int i = 0; i < 10; i++)
		CHECK(rt_thread_create("bump", bump, NULL) != NULL);
	CHECK(rt_wait_event(&counter_wq, counter == 50));
	rt_yield(); /* let the finished threads be reaped */
	rt_yield();
	CHECK(rt_thread_count() == before);
	t0 = now_ms();
	CHECK(!rt_wait_event_until(&never, false, rt_now_ns() + 20000000));
	CHECK(now_ms() - t0 >= 20);
}

static struct rt_waitq event_wq = RT_WAITQ_INIT;
static unsigned events_seen;

static void on_event(evtchn_port_t port, void *arg)
{
	events_seen++;
	rt_wake_all(&event_wq);
}

/* A loopback channel: an unbound port for ourselves, bound from here. */
static void check_events(void)
{
	evtchn_port_t a, b;

	CHECK(rt_evtchn_alloc_unbound(DOMID_SELF, &a) == 0);
	CHECK(rt_evtchn_bind_interdomain(DOMID_SELF, a, &b) == 0);
	CHECK(rt_evtchn_handle(a, on_event, NULL) == 0);
	CHECK(rt_evtchn_send(b) == 0);
	CHECK(rt_wait_event_until(&event_wq, events_seen == 1,
				  rt_now_ns() + 1000000000));
	/* Masked: the event waits; unmasked: it arrives. */
	rt_evtchn_mask(a);
	CHECK(rt_evtchn_send(b) == 0);
	rt_sleep_ns(2000000);
	CHECK(events_seen == 1);
	rt_evtchn_unmask(a);
	CHECK(rt_wait_event_until(&event_wq, events_seen == 2,
				  rt_now_ns() + 1000000000));
	CHECK(rt_evtchn_handle(RT_EVTCHN_MAX_PORTS, on_event, NULL) ==
	      -XEN_EINVAL);
	CHECK(rt_evtchn_close(b) == 0 && rt_evtchn_close(a) == 0);
}

static char page[4096] __attribute__((aligned(4096)));
static char copy_dest[64];

static void check_grants(void)
{
	int ref = rt_grant_access(rt_domid, page, false), err = 0;
	grant_handle_t handle;
	char *map;
	struct gnttab_copy op = {0};

	CHECK(ref >= GNTTAB_NR_RESERVED_ENTRIES);
	map = rt_grant_map(rt_domid, ref, false, &handle, &err);
	if (!map)
		printf("rt_check: map error %d\n", err);
	CHECK(map != NULL && err == 0);
	strcpy(map, "through the grant");
	CHECK(!strcmp(page, "through the grant"));
	CHECK(rt_grant_end(ref) == -XEN_EBUSY);
	CHECK(rt_grant_unmap(map, handle) == 0);

	op.source.u.ref = ref;
	op.source.domid = DOMID_SELF;
	op.dest.u.gmfn = (uintptr_t)copy_dest >> 12;
	op.dest.offset = (uintptr_t)copy_dest & 4095;
	op.dest.domid = DOMID_SELF;
	op.len = 18;
	op.flags = GNTCOPY_source_gref;
	CHECK(rt_grant_copy(&op, 1) == 0 && op.status == GNTST_okay);
	CHECK(!strcmp(copy_dest, "through the grant"));
	CHECK(rt_grant_end(ref) == 0);
	CHECK(rt_grant_map(DOMID_SELF, ref, false, &handle, &err) == NULL);
	CHECK(err == GNTST_permission_denied);
}

static void basics(int argc, char **argv)
{
	CHECK(argc == 4 && !strcmp(argv[0], "rt_check"));
	CHECK(!strcmp(argv[2], "two words") && !strcmp(argv[3], "x"));
	check_libc();
	check_heap();
	check_clocks();
	check_threads();
	check_events();
	check_grants();
}

int main(int argc, char **argv)
{
	const char *test = argc > 1 ? argv[1] : "";

	if (!strcmp(test, "basics")) {
		basics(argc, argv);
	} else if (!strcmp(test, "exit") && argc > 2) {
		printf("rt_check: exit(%s)\n", argv[2]);
		exit(atoi(argv[2]));
	} else if (!strcmp(test, "abort")) {
		abort();
	} else if (!strcmp(test, "oom")) {
		unsigned n = 0;

		while (malloc(4096))
			n++;
		printf("rt_check: %u pages allocated, then NULL\n", n);
		CHECK(n > 0);
		printf("rt_check: still printing after the heap ran out\n");
	} else {
		printf("VERDICT FAIL rt_check: unknown test '%s'\n", test);
		return 1;
	}
	printf("VERDICT PASS rt_check\n");
	return 0;
}
