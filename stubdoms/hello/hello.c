// SPDX-License-Identifier: GPL-2.0-only
/*
 * hello: the sample guest. Prints, allocates, does some float maths,
 * sleeps, runs a second thread, uses its XenStore keys when there is a
 * store, and says goodbye; a reference for docs/writing-a-domain.md and
 * the runtime's system tests. With --stay it then waits to be shut down
 * (`vmctl shutdown`), so that its XenStore keys can be looked at.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <rt/rt.h>
#include <rt/thread.h>
#include <rt/xenbus.h>

static struct rt_waitq done_wq = RT_WAITQ_INIT;
static volatile int worker_steps;

static void worker(void *arg)
{
	for (int i = 0; i < 3; i++) {
		printf("hello: worker step %d\n", i);
		worker_steps++;
		rt_sleep_ns(1000000);
	}
	rt_wake_all(&done_wq);
}

static struct rt_waitq watch_wq = RT_WAITQ_INIT;
static int watch_fired;

static void on_greeting(const char *path, const char *token, void *arg)
{
	printf("hello: watch %s fired on %s\n", token, path);
	watch_fired++;
	rt_wake_all(&watch_wq);
}

static int bump_counter(xenbus_txn_t t, void *arg)
{
	long n = 0;

	xenbus_read_int(t, "data/counter", &n);
	*(long *)arg = n + 1;
	return xenbus_printf(t, "data/counter", "%ld", n + 1);
}

/* Reads and writes its own keys under /local/domain/<id>/data. */
static int use_xenstore(void)
{
	char *value, **names;
	unsigned count;
	long counter;
	int rc;

	printf("hello: XenStore home %s (domid %d)\n", xenbus_home(),
	       xenbus_domid());
	rc = xenbus_write(XENBUS_NO_TXN, "data/greeting", "hello, world");
	if (!rc)
		rc = xenbus_read(XENBUS_NO_TXN, "data/greeting", &value);
	if (rc) {
		printf("hello: XenStore write/read failed: %d\n", rc);
		return rc;
	}
	printf("hello: read back '%s'\n", value);
	free(value);
	rc = xenbus_watch("data/greeting", "greet", on_greeting, NULL);
	if (rc)
		return rc;
	/* The store fires a new watch once; wait for that, then change it. */
	rt_wait_event(&watch_wq, watch_fired >= 1);
	xenbus_write(XENBUS_NO_TXN, "data/greeting", "changed");
	rt_wait_event(&watch_wq, watch_fired >= 2);
	xenbus_unwatch("data/greeting", "greet");
	rc = xenbus_transact(bump_counter, &counter);
	if (rc)
		return rc;
	rc = xenbus_directory(XENBUS_NO_TXN, "data", &names, &count);
	if (rc)
		return rc;
	printf("hello: data/ has %u entries:", count);
	for (unsigned i = 0; i < count; i++)
		printf(" %s", names[i]);
	printf("; counter %ld\n", counter);
	free(names);
	/* The toolstack's part of the tree is not a guest's to read. */
	rc = xenbus_read(XENBUS_NO_TXN, "/tool", &value);
	printf("hello: reading /tool: %s\n", rc ? strerror(-rc) : value);
	if (!rc)
		free(value);
	return 0;
}

int main(int argc, char **argv)
{
	struct timespec t0, t1;
	char *buf;

	printf("hello: main reached, argc=%d", argc);
	for (int i = 0; i < argc; i++)
		printf(" argv[%d]=%s", i, argv[i]);
	printf("\n");

	buf = malloc(100000);
	if (!buf)
		return 1;
	memset(buf, 'x', 100000);
	printf("hello: malloc ok, sqrt(2)=%.6f\n", sqrt(2.0));
	free(buf);

	clock_gettime(CLOCK_MONOTONIC, &t0);
	struct timespec nap = {0, 20 * 1000000};
	nanosleep(&nap, NULL);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("hello: slept %ld ms\n",
	       (long)((t1.tv_sec - t0.tv_sec) * 1000 +
		      (t1.tv_nsec - t0.tv_nsec) / 1000000));

	if (!rt_thread_create("worker", worker, NULL))
		return 1;
	rt_wait_event(&done_wq, worker_steps == 3);
	printf("hello: worker done\n");
	if (xenbus_available() && use_xenstore())
		return 1;
	printf("hello: goodbye\n");
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--stay")) {
			struct rt_waitq never = RT_WAITQ_INIT;

			printf("hello: staying until shut down\n");
			rt_wait_event(&never, false);
		}
	}
	return 0;
}
