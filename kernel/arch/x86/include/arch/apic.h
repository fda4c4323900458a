/* SPDX-License-Identifier: GPL-2.0-only */
/* Local APIC, IO APIC and the legacy 8259 PICs (kept masked). */
#ifndef ARCH_APIC_H
#define ARCH_APIC_H

#include <atoll/types.h>
#include <atoll/compiler.h>

struct acpi_info;

/* Local APIC register offsets (xAPIC, memory-mapped). */
#define LAPIC_ID	    0x020
#define LAPIC_VERSION	    0x030
#define LAPIC_TPR	    0x080
#define LAPIC_EOI	    0x0b0
#define LAPIC_SVR	    0x0f0
#define LAPIC_ESR	    0x280
#define LAPIC_LVT_TIMER	    0x320
#define LAPIC_LVT_LINT0	    0x350
#define LAPIC_LVT_LINT1	    0x360
#define LAPIC_LVT_ERROR	    0x370
#define LAPIC_TIMER_INITIAL 0x380
#define LAPIC_TIMER_CURRENT 0x390
#define LAPIC_TIMER_DIVIDE  0x3e0

#define LAPIC_SVR_ENABLE      0x100
#define LAPIC_LVT_MASKED      0x10000
#define LAPIC_LVT_NMI	      (4 << 8)
#define LAPIC_TIMER_ONESHOT   0x00000
#define LAPIC_TIMER_DIVIDE_16 0x3
#define LAPIC_DEFAULT_BASE    0xfee00000

/* IO APIC: index/data window and registers. */
#define IOAPIC_REGSEL		0x00
#define IOAPIC_WINDOW		0x10
#define IOAPIC_REG_ID		0x00
#define IOAPIC_REG_VERSION	0x01
#define IOAPIC_REG_REDIR(n)	(0x10 + 2 * (n))
#define IOAPIC_REDIR_MASKED	(1ULL << 16)
#define IOAPIC_REDIR_LEVEL	(1ULL << 15)
#define IOAPIC_REDIR_ACTIVE_LOW (1ULL << 13)
#define IOAPIC_REDIR_DEST_SHIFT 56

/* 8259 initialisation words. */
#define PIC_ICW1_INIT	0x11
#define PIC_ICW3_MASTER 0x04
#define PIC_ICW3_SLAVE	0x02
#define PIC_ICW4_8086	0x01
#define PIC_MASK_ALL	0xff

/* Masks the 8259s, enables this CPU's local APIC, masks every IO APIC
 * input. Returns false (and logs why) if there is no usable local APIC. */
bool apic_init(const struct acpi_info *acpi) __must_check;
void apic_eoi(void);
uint32_t apic_id(void);

/* Timer: divide-by-16 count-down; apic_timer_hz() is set by calibration. */
void apic_timer_start(uint32_t count);
void apic_timer_stop(void);
uint32_t apic_timer_remaining(void);

/* Delegated GSIs (pirq.c). ioapic_route_gsi programs gsi, which must
 * exist, unmasked to vector on this CPU; returns true if level-triggered. */
bool ioapic_gsi_exists(uint32_t gsi);
bool ioapic_route_gsi(uint32_t gsi, unsigned vector);
void ioapic_mask_gsi(uint32_t gsi, bool masked);

/* Routes an ISA IRQ (after ACPI overrides) to vector on this CPU. */
bool ioapic_route_isa_irq(const struct acpi_info *acpi, unsigned irq,
			  unsigned vector) __must_check;

#endif
