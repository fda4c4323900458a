// SPDX-License-Identifier: GPL-2.0-only
/*
 * Interrupt lines delegated to domains (hc_physdev.c has the generic side).
 * A bound GSI gets a vector of its own on this CPU and is programmed in its
 * IO APIC as ACPI describes it. When it fires, a level-triggered line is
 * masked first, so that it cannot fire again before its holder has
 * quietened the device and said PHYSDEVOP_eoi; arch_trap() then EOIs the
 * local APIC.
 *
 * The tables are changed with hc_physdev.c's pirq lock held; the interrupt
 * handler reads them with interrupts off on the one CPU that routes them.
 */
#include <arch/apic.h>
#include <arch/irq.h>
#include <atoll/resource.h>
#include <xen/errno.h>

#define PIRQ_VECTORS (VECTOR_PIRQ_LAST - VECTOR_PIRQ_FIRST + 1)

/* GSI + 1 of each vector's line, 0 = free. */
static uint32_t vector_gsi[PIRQ_VECTORS];
/* Each GSI's vector (0 = none) and trigger mode. */
static uint8_t gsi_vector[RESOURCE_IRQ_LIMIT];
static bool gsi_level[RESOURCE_IRQ_LIMIT];

static void pirq_interrupt(struct cpu_regs *regs)
{
	unsigned v = (regs->vector & 0xff) - VECTOR_PIRQ_FIRST;
	uint32_t gsi;

	if (v >= PIRQ_VECTORS || !vector_gsi[v])
		return; /* unbound meanwhile: spurious */
	gsi = vector_gsi[v] - 1;
	if (gsi_level[gsi])
		ioapic_mask_gsi(gsi, true);
	physdev_irq_fired(gsi);
}

bool arch_irq_exists(uint32_t gsi)
{
	return gsi < RESOURCE_IRQ_LIMIT && ioapic_gsi_exists(gsi);
}

int arch_irq_bind(uint32_t gsi, bool *level)
{
	unsigned v = 0;

	while (v < PIRQ_VECTORS && vector_gsi[v])
		v++;
	if (v == PIRQ_VECTORS)
		return -XEN_ENOSPC;
	vector_gsi[v] = gsi + 1;
	gsi_vector[gsi] = (uint8_t)(VECTOR_PIRQ_FIRST + v);
	irq_register(VECTOR_PIRQ_FIRST + v, pirq_interrupt);
	gsi_level[gsi] = ioapic_route_gsi(gsi, VECTOR_PIRQ_FIRST + v);
	*level = gsi_level[gsi];
	return 0;
}

void arch_irq_unbind(uint32_t gsi)
{
	ioapic_mask_gsi(gsi, true);
	if (gsi_vector[gsi])
		vector_gsi[gsi_vector[gsi] - VECTOR_PIRQ_FIRST] = 0;
	gsi_vector[gsi] = 0;
}

void arch_irq_unmask(uint32_t gsi)
{
	if (gsi_vector[gsi])
		ioapic_mask_gsi(gsi, false);
}
