/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Ticket spinlocks. Every piece of shared core state is guarded by one, even
 * while only one CPU runs, so that SMP needs no retrofitting. The _irqsave
 * forms are for state also touched from interrupt handlers.
 */
#ifndef ATOLL_SPINLOCK_H
#define ATOLL_SPINLOCK_H

#include <atoll/types.h>
#include <arch/cpu.h>

struct spinlock {
	uint16_t next;
	uint16_t owner;
};

#define SPINLOCK_INIT                                                          \
	{                                                                      \
		0, 0                                                           \
	}

static inline void spin_lock(struct spinlock *l)
{
	uint16_t ticket = __atomic_fetch_add(&l->next, 1, __ATOMIC_RELAXED);

	while (__atomic_load_n(&l->owner, __ATOMIC_ACQUIRE) != ticket)
		arch_cpu_relax();
}

static inline void spin_unlock(struct spinlock *l)
{
	__atomic_store_n(&l->owner, l->owner + 1, __ATOMIC_RELEASE);
}

static inline bool spin_is_locked(struct spinlock *l)
{
	return __atomic_load_n(&l->owner, __ATOMIC_RELAXED) !=
	       __atomic_load_n(&l->next, __ATOMIC_RELAXED);
}

static inline irqflags_t spin_lock_irqsave(struct spinlock *l)
{
	irqflags_t f = arch_irq_save();

	spin_lock(l);
	return f;
}

static inline void spin_unlock_irqrestore(struct spinlock *l, irqflags_t f)
{
	spin_unlock(l);
	arch_irq_restore(f);
}

#endif
