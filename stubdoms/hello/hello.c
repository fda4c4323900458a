// SPDX-License-Identifier: GPL-2.0-only
/*
 * hello: the sample guest. Prints, allocates, does some float maths,
 * sleeps, runs a second thread, and says goodbye; a reference for
 * docs/writing-a-domain.md and the runtime's system test.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <rt/rt.h>
#include <rt/thread.h>

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
	printf("hello: worker done, goodbye\n");
	return 0;
}
