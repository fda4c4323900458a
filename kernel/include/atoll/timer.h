/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * One-shot timers on the core's monotonic clock. Callbacks run in interrupt
 * context with interrupts off; they may re-arm their own timer.
 */
#ifndef ATOLL_TIMER_H
#define ATOLL_TIMER_H

#include <atoll/types.h>

struct timer;
typedef void (*timer_fn)(struct timer *t);

struct timer {
	uint64_t deadline_ns; /* guarded by the timer lock */
	timer_fn fn;
	void *data;
	struct timer *next; /* guarded by the timer lock */
	bool armed;	    /* guarded by the timer lock */
};

void timer_init(struct timer *t, timer_fn fn, void *data);
/* Arms (or re-arms) t for deadline_ns on the arch_now_ns() clock. */
void timer_set(struct timer *t, uint64_t deadline_ns);
void timer_cancel(struct timer *t);
/* Runs expired timers and programs the next deadline; from the timer IRQ. */
void timer_interrupt(void);

#define NS_PER_MS 1000000ULL
#define NS_PER_US 1000ULL

#endif
