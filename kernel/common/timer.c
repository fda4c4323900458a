// SPDX-License-Identifier: GPL-2.0-only
/*
 * A sorted list of armed timers and the one hardware deadline that serves
 * them: always the earliest. Enough for tens of timers; the scheduler's
 * per-CPU needs will decide whether it becomes a heap.
 */
#include <atoll/arch.h>
#include <atoll/panic.h>
#include <atoll/spinlock.h>
#include <atoll/timer.h>

static struct spinlock timer_lock = SPINLOCK_INIT;
static struct timer *timer_head; /* guarded by timer_lock */

void timer_init(struct timer *t, timer_fn fn, void *data)
{
	ASSERT(!t->armed); /* re-initialising an armed timer breaks the list */
	*t = (struct timer){.fn = fn, .data = data};
}

static void unlink(struct timer *t)
{
	for (struct timer **p = &timer_head; *p; p = &(*p)->next) {
		if (*p == t) {
			*p = t->next;
			break;
		}
	}
	t->armed = false;
}

static void program_next(void)
{
	arch_timer_program(timer_head ? timer_head->deadline_ns : 0);
}

void timer_set(struct timer *t, uint64_t deadline_ns)
{
	irqflags_t flags = spin_lock_irqsave(&timer_lock);
	struct timer **p = &timer_head;

	if (t->armed)
		unlink(t);
	t->deadline_ns = deadline_ns ? deadline_ns : 1;
	while (*p && (*p)->deadline_ns <= t->deadline_ns)
		p = &(*p)->next;
	t->next = *p;
	*p = t;
	t->armed = true;
	if (timer_head == t)
		program_next();
	spin_unlock_irqrestore(&timer_lock, flags);
}

void timer_cancel(struct timer *t)
{
	irqflags_t flags = spin_lock_irqsave(&timer_lock);

	if (t->armed)
		unlink(t);
	program_next();
	spin_unlock_irqrestore(&timer_lock, flags);
}

void timer_interrupt(void)
{
	irqflags_t flags = spin_lock_irqsave(&timer_lock);

	while (timer_head && timer_head->deadline_ns <= arch_now_ns()) {
		struct timer *t = timer_head;

		unlink(t);
		/* Drop the lock so the callback may re-arm its timer. */
		spin_unlock_irqrestore(&timer_lock, flags);
		t->fn(t);
		flags = spin_lock_irqsave(&timer_lock);
	}
	program_next();
	spin_unlock_irqrestore(&timer_lock, flags);
}
