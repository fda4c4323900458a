/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Cooperative threads: a thread runs until it yields, sleeps or waits. One
 * vCPU, so there is no preemption between threads; only event handlers
 * interrupt them, and those only wake threads. When no thread can run the
 * vCPU blocks in the hypervisor until an event or the next sleeper's
 * deadline.
 */
#ifndef RT_THREAD_H
#define RT_THREAD_H

#include <stdbool.h>
#include <stdint.h>

#include <rt/events.h>

struct rt_thread;

/* A wait queue: threads waiting for something another thread or a
 * handler will signal with rt_wake_all. */
struct rt_waitq {
	unsigned waiters;
};
#define RT_WAITQ_INIT                                                          \
	{                                                                      \
		0                                                              \
	}

#define RT_THREAD_STACK_SIZE (32 * 1024)

/* Starts fn(arg) in a new thread; NULL when out of memory. */
struct rt_thread *rt_thread_create(const char *name, void (*fn)(void *),
				   void *arg);
struct rt_thread *rt_thread_self(void);
const char *rt_thread_name(const struct rt_thread *t);
/* Ends the calling thread (returning from its function does the same). */
__attribute__((noreturn)) void rt_thread_exit(void);

void rt_yield(void);
void rt_sleep_ns(uint64_t ns);
void rt_sleep_until(uint64_t deadline_ns);

/*
 * Blocks the caller on wq until woken or, if deadline_ns is not 0, until
 * then. Call with events masked (rt_irq_save) after checking the
 * condition, so that a wake-up between the check and the wait is not
 * lost; returns with events masked. Returns false on timeout.
 */
bool rt_wait_masked(struct rt_waitq *wq, uint64_t deadline_ns);
void rt_wake_all(struct rt_waitq *wq);

/* Waits until cond holds, or deadline_ns (0: never) passes; the value is
 * cond's last value. */
#define rt_wait_event_until(wq, cond, deadline_ns)                             \
	({                                                                     \
		unsigned long _f = rt_irq_save();                              \
		bool _ok;                                                      \
		while (!(_ok = (cond)) && rt_wait_masked((wq), (deadline_ns))) \
			;                                                      \
		if (!_ok)                                                      \
			_ok = (cond);                                          \
		rt_irq_restore(_f);                                            \
		_ok;                                                           \
	})
#define rt_wait_event(wq, cond) rt_wait_event_until((wq), (cond), 0)

/* Number of threads that exist (running, runnable or waiting). */
unsigned rt_thread_count(void);

#endif
