/* SPDX-License-Identifier: GPL-2.0-only */
/* Descriptor tables: GDT, TSS and IDT, one set per CPU. */
#ifndef ARCH_DESC_H
#define ARCH_DESC_H

#include <atoll/types.h>
#include <atoll/compiler.h>
#include <arch/x86.h>

struct tss {
	uint32_t reserved0;
	uint64_t rsp[3];
	uint64_t reserved1;
	uint64_t ist[7];
	uint64_t reserved2;
	uint16_t reserved3;
	uint16_t iomap_base;
} __packed;
_Static_assert(sizeof(struct tss) == 104, "TSS layout");

struct idt_entry {
	uint16_t offset_low;
	uint16_t selector;
	uint8_t ist;
	uint8_t type_attr;
	uint16_t offset_mid;
	uint32_t offset_high;
	uint32_t reserved;
} __packed;
_Static_assert(sizeof(struct idt_entry) == 16, "IDT entry layout");

#define IDT_VECTORS		256
#define IDT_TYPE_INTERRUPT_GATE 0x8e /* present, DPL 0, 64-bit int gate */

/* Per-CPU descriptor state; the rest of per-CPU data comes with SMP. */
struct cpu_desc {
	uint64_t gdt[GDT_ENTRIES];
	struct tss tss;
	uint8_t ist_stacks[IST_COUNT][IST_STACK_SIZE] __aligned(16);
};

void desc_init_idt(void);
void desc_load_cpu(struct cpu_desc *cpu);
/* The ring-0 stack the CPU switches to on entry from ring 3. */
void desc_set_kernel_stack(struct cpu_desc *cpu, uint64_t rsp0);

#endif
