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

/*
 * The TSS's I/O permission bitmap: one bit per port, 0 = ring 3 may use
 * it. The CPU reads two bytes per check, so a byte of ones follows it.
 */
#define IO_BITMAP_BYTES (0x10000 / 8)
#define IO_OPEN_MAX	16 /* ranges open at once: RESOURCE_MAX_RANGES */

struct io_open_range {
	uint32_t base, count;
};

/* Per-CPU descriptor state; the rest of per-CPU data comes with SMP. */
struct cpu_desc {
	uint64_t gdt[GDT_ENTRIES];
	struct tss tss;
	uint8_t io_bitmap[IO_BITMAP_BYTES + 1]; /* right after the TSS */
	/* The ports open in io_bitmap and whose they are (ioport.c). */
	const void *io_domain;
	struct io_open_range io_open[IO_OPEN_MAX];
	unsigned io_open_count;
	uint8_t ist_stacks[IST_COUNT][IST_STACK_SIZE] __aligned(16);
};

void desc_init_idt(void);
void desc_load_cpu(struct cpu_desc *cpu);
/* The ring-0 stack the CPU switches to on entry from ring 3. */
void desc_set_kernel_stack(struct cpu_desc *cpu, uint64_t rsp0);

struct domain;
/* Opens d's I/O ports in this CPU's bitmap (ioport.c); before d runs. */
void arch_ioports_switch(struct domain *d);

#endif
