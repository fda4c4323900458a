/* SPDX-License-Identifier: GPL-2.0-only */
/* Interrupt masking and idling, as generic code sees them. */
#ifndef ARCH_CPU_H
#define ARCH_CPU_H

#include <arch/x86.h>

typedef uint64_t irqflags_t;

static inline irqflags_t arch_irq_save(void)
{
	irqflags_t f = read_rflags();

	__asm__ volatile("cli" ::: "memory");
	return f;
}

static inline void arch_irq_restore(irqflags_t f)
{
	if (f & RFLAGS_IF)
		__asm__ volatile("sti" ::: "memory");
}

static inline void arch_irq_enable(void)
{
	__asm__ volatile("sti" ::: "memory");
}

static inline void arch_irq_disable(void)
{
	__asm__ volatile("cli" ::: "memory");
}

static inline bool arch_irq_enabled(void)
{
	return read_rflags() & RFLAGS_IF;
}

/* Enable interrupts and halt until one arrives, atomically (sti; hlt). */
static inline void arch_wait_for_interrupt(void)
{
	__asm__ volatile("sti; hlt" ::: "memory");
}

static inline void arch_cpu_relax(void)
{
	cpu_relax();
}

#endif
