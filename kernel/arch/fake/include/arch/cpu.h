/* SPDX-License-Identifier: GPL-2.0-only */
/* Host-test stand-ins for interrupt masking: there are no interrupts. */
#ifndef ARCH_CPU_H
#define ARCH_CPU_H

#include <atoll/types.h>

typedef uint64_t irqflags_t;

static inline irqflags_t arch_irq_save(void)
{
	return 0;
}

static inline void arch_irq_restore(irqflags_t f)
{
	(void)f;
}

static inline void arch_irq_enable(void)
{
}

static inline void arch_irq_disable(void)
{
}

static inline bool arch_irq_enabled(void)
{
	return false;
}

static inline void arch_wait_for_interrupt(void)
{
}

static inline void arch_cpu_relax(void)
{
}

#endif
