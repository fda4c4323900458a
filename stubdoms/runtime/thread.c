// SPDX-License-Identifier: GPL-2.0-only
/*
 * Cooperative threads on one vCPU. All threads are on one list; the
 * scheduler walks it round-robin from the current thread, waking sleepers
 * whose deadline passed. With nothing to run it arms the one-shot timer
 * for the earliest deadline and blocks the vCPU (SCHEDOP_block, which
 * unmasks events: a handler that wakes a thread ends the block).
 *
 * Thread state changes happen with events masked, so a handler's
 * rt_wake_all never sees a half-updated thread.
 */
#include <stdlib.h>
#include <string.h>

#include <rt/hypercall.h>
#include <rt/rt.h>
#include <rt/thread.h>
#include <xen/sched.h>
#include <xen/vcpu.h>
#include <xen/xen.h>

enum thread_state { RUNNABLE, WAITING, DEAD };

struct rt_thread {
	uint64_t sp; /* saved by rt_switch while not running */
	struct rt_thread *next;
	enum thread_state state;
	struct rt_waitq *waitq; /* what it waits on, or NULL */
	uint64_t deadline_ns;	/* wake then, if waiting; 0 = never */
	bool timed_out;
	void (*fn)(void *);
	void *arg;
	void *stack; /* NULL for the main thread (boot stack) */
	char name[24];
};

void rt_switch(uint64_t *save_sp, uint64_t next_sp);

static struct rt_thread main_thread = {.state = RUNNABLE, .name = "main"};
static struct rt_thread *current = &main_thread;
static unsigned thread_count = 1;
static evtchn_port_t timer_port;

struct rt_thread *rt_thread_self(void)
{
	return current;
}

const char *rt_thread_name(const struct rt_thread *t)
{
	return t->name;
}

unsigned rt_thread_count(void)
{
	return thread_count;
}

static void make_runnable(struct rt_thread *t)
{
	if (t->state != WAITING)
		return;
	if (t->waitq)
		t->waitq->waiters--;
	t->waitq = NULL;
	t->deadline_ns = 0;
	t->state = RUNNABLE;
}

void rt_wake_all(struct rt_waitq *wq)
{
	unsigned long f = rt_irq_save();
	struct rt_thread *t = current;

	do {
		if (t->state == WAITING && t->waitq == wq)
			make_runnable(t);
		t = t->next;
	} while (wq->waiters && t != current);
	rt_irq_restore(f);
}

/* Wakes expired sleepers; returns the earliest deadline still ahead. */
static uint64_t wake_sleepers(uint64_t now)
{
	uint64_t earliest = 0;
	struct rt_thread *t = current;

	do {
		if (t->state == WAITING && t->deadline_ns) {
			if (t->deadline_ns <= now) {
				make_runnable(t);
				t->timed_out = true;
			} else if (!earliest || t->deadline_ns < earliest) {
				earliest = t->deadline_ns;
			}
		}
		t = t->next;
	} while (t != current);
	return earliest;
}

/* Frees dead threads other than the caller (it is still on its stack). */
static void reap(void)
{
	struct rt_thread *prev = current, *t = current->next;

	while (t != current) {
		if (t->state == DEAD) {
			prev->next = t->next;
			free(t->stack);
			free(t);
			thread_count--;
			t = prev->next;
		} else {
			prev = t;
			t = t->next;
		}
	}
}

static void idle_until(uint64_t deadline)
{
	struct vcpu_set_singleshot_timer timer = {.timeout_abs_ns = deadline};

	if (deadline)
		hc_vcpu_op(VCPUOP_set_singleshot_timer, 0, &timer);
	/* Unmasks events and sleeps unless one is pending. */
	hc_sched_op(SCHEDOP_block, NULL);
	rt_irq_save();
	rt_events_poll();
}

/* Picks the next runnable thread after current and switches to it.
 * Events are masked. */
static void schedule(void)
{
	for (;;) {
		uint64_t next_deadline = wake_sleepers(rt_now_ns());
		struct rt_thread *t = current->next;

		reap();
		t = current->next;
		for (unsigned i = 0; i < thread_count; i++, t = t->next) {
			if (t->state == RUNNABLE) {
				struct rt_thread *prev = current;

				if (t != prev) {
					current = t;
					rt_switch(&prev->sp, t->sp);
				}
				return;
			}
		}
		idle_until(next_deadline);
	}
}

void rt_yield(void)
{
	unsigned long f = rt_irq_save();

	schedule();
	rt_irq_restore(f);
}

bool rt_wait_masked(struct rt_waitq *wq, uint64_t deadline_ns)
{
	current->state = WAITING;
	current->waitq = wq;
	current->deadline_ns = deadline_ns;
	current->timed_out = false;
	if (wq)
		wq->waiters++;
	schedule();
	return !current->timed_out;
}

void rt_sleep_until(uint64_t deadline_ns)
{
	unsigned long f = rt_irq_save();

	while (rt_now_ns() < deadline_ns)
		rt_wait_masked(NULL, deadline_ns);
	rt_irq_restore(f);
}

void rt_sleep_ns(uint64_t ns)
{
	rt_sleep_until(rt_now_ns() + ns);
}

void rt_thread_exit(void)
{
	rt_irq_save();
	current->state = DEAD;
	schedule();
	__builtin_unreachable();
}

static void thread_start(void)
{
	rt_irq_restore(0); /* schedule() switched here with events masked */
	current->fn(current->arg);
	rt_thread_exit();
}

struct rt_thread *rt_thread_create(const char *name, void (*fn)(void *),
				   void *arg)
{
	struct rt_thread *t = calloc(1, sizeof(*t));
	uint64_t *top;
	unsigned long f;

	if (!t || !(t->stack = malloc(RT_THREAD_STACK_SIZE))) {
		free(t);
		return NULL;
	}
	strncpy(t->name, name, sizeof(t->name) - 1);
	t->fn = fn;
	t->arg = arg;
	t->state = RUNNABLE;
	/* As rt_switch left it: a dummy return address for thread_start
	 * (keeping the ABI's alignment), thread_start, six registers. */
	top =
	    (uint64_t *)(((uintptr_t)t->stack + RT_THREAD_STACK_SIZE) & ~15UL);
	*--top = 0;
	*--top = (uint64_t)thread_start;
	top -= 6;
	memset(top, 0, 6 * sizeof(*top));
	t->sp = (uint64_t)top;

	f = rt_irq_save();
	t->next = current->next;
	current->next = t;
	thread_count++;
	rt_irq_restore(f);
	return t;
}

/* VIRQ_TIMER: nothing to do but end the block; schedule() rescans. */
static void on_timer(evtchn_port_t port, void *arg)
{
}

void rt_threads_init(void)
{
	main_thread.next = &main_thread;
	if (rt_evtchn_bind_virq(VIRQ_TIMER, &timer_port) == 0)
		rt_evtchn_handle(timer_port, on_timer, NULL);
}
