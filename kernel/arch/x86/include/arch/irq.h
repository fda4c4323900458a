/* SPDX-License-Identifier: GPL-2.0-only */
/* Interrupt vectors the core uses and the handler registry. */
#ifndef ARCH_IRQ_H
#define ARCH_IRQ_H

#define VECTOR_PIC_BASE	     0x20 /* legacy 8259s, remapped here and masked */
#define VECTOR_PIC_SPURIOUS1 0x27
#define VECTOR_PIC_SPURIOUS2 0x2f
#define VECTOR_COM1	     0x30
/* Delegated GSIs (pirq.c), one vector each while bound. */
#define VECTOR_PIRQ_FIRST    0x40
#define VECTOR_PIRQ_LAST     0xdf
#define VECTOR_APIC_TIMER    0xef
#define VECTOR_APIC_SPURIOUS 0xff
/* Not a hardware vector: marks a frame built by the SYSCALL entry. */
#define VECTOR_HYPERCALL     0x100

#ifndef __ASSEMBLER__
#include <atoll/types.h>
#include <arch/regs.h>

typedef void (*irq_handler_fn)(struct cpu_regs *regs);

void irq_register(unsigned vector, irq_handler_fn fn);
uint64_t irq_spurious_count(void);

/* Called from entry.S for every vector. */
void arch_trap(struct cpu_regs *regs);

void arch_dump_regs(const struct cpu_regs *regs);

#endif

#endif
