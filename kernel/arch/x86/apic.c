// SPDX-License-Identifier: GPL-2.0-only
/*
 * Interrupt controllers. The 8259s are remapped away from the exception
 * vectors and masked for good; the local APIC delivers the timer and the IO
 * APIC the few device interrupts the core keeps (COM1).
 */
#include <arch/acpi.h>
#include <arch/apic.h>
#include <arch/irq.h>
#include <arch/mm.h>
#include <arch/x86.h>
#include <atoll/printk.h>

#define IOAPIC_MMIO_SIZE 0x20
/* The PCI default for GSIs no ISA override describes. */
#define PCI_INTI_FLAGS	 (ACPI_INTI_POLARITY_LOW | ACPI_INTI_TRIGGER_LEVEL)

static volatile uint32_t *lapic;

struct ioapic {
	volatile uint32_t *mmio;
	uint32_t gsi_base;
	uint32_t inputs;
};

static struct ioapic ioapics[ACPI_MAX_IOAPICS];
static unsigned ioapic_count;
static const struct acpi_info *apic_acpi; /* for delegated GSIs' modes */

static uint32_t lapic_read(unsigned reg)
{
	return lapic[reg / 4];
}

static void lapic_write(unsigned reg, uint32_t v)
{
	lapic[reg / 4] = v;
}

static void pic_disable(void)
{
	outb(PORT_PIC1_CMD, PIC_ICW1_INIT);
	outb(PORT_PIC2_CMD, PIC_ICW1_INIT);
	outb(PORT_PIC1_DATA, VECTOR_PIC_BASE);
	outb(PORT_PIC2_DATA, VECTOR_PIC_BASE + 8);
	outb(PORT_PIC1_DATA, PIC_ICW3_MASTER);
	outb(PORT_PIC2_DATA, PIC_ICW3_SLAVE);
	outb(PORT_PIC1_DATA, PIC_ICW4_8086);
	outb(PORT_PIC2_DATA, PIC_ICW4_8086);
	outb(PORT_PIC1_DATA, PIC_MASK_ALL);
	outb(PORT_PIC2_DATA, PIC_MASK_ALL);
}

static uint32_t ioapic_read(struct ioapic *io, unsigned reg)
{
	io->mmio[IOAPIC_REGSEL / 4] = reg;
	return io->mmio[IOAPIC_WINDOW / 4];
}

static void ioapic_write(struct ioapic *io, unsigned reg, uint32_t v)
{
	io->mmio[IOAPIC_REGSEL / 4] = reg;
	io->mmio[IOAPIC_WINDOW / 4] = v;
}

static void ioapic_set_redir(struct ioapic *io, unsigned pin, uint64_t e)
{
	ioapic_write(io, IOAPIC_REG_REDIR(pin) + 1, e >> 32);
	ioapic_write(io, IOAPIC_REG_REDIR(pin), (uint32_t)e);
}

static void ioapics_init(const struct acpi_info *acpi)
{
	for (unsigned i = 0; i < acpi->madt.ioapic_count; i++) {
		struct ioapic *io = &ioapics[ioapic_count];

		io->mmio =
		    ioremap(acpi->madt.ioapics[i].addr, IOAPIC_MMIO_SIZE);
		if (!io->mmio)
			continue;
		io->gsi_base = acpi->madt.ioapics[i].gsi_base;
		io->inputs =
		    ((ioapic_read(io, IOAPIC_REG_VERSION) >> 16) & 0xff) + 1;
		for (unsigned pin = 0; pin < io->inputs; pin++)
			ioapic_set_redir(io, pin, IOAPIC_REDIR_MASKED);
		pr_info("IO APIC %u at %llx: GSIs %u-%u\n",
			acpi->madt.ioapics[i].id,
			(unsigned long long)pa_addr(acpi->madt.ioapics[i].addr),
			io->gsi_base, io->gsi_base + io->inputs - 1);
		ioapic_count++;
	}
}

bool apic_init(const struct acpi_info *acpi)
{
	paddr_t base = acpi->madt.lapic_addr;

	apic_acpi = acpi;
	pic_disable();
	if (!(cpuid(1, 0).edx & CPUID_1_EDX_APIC)) {
		pr_err("apic: this CPU has no local APIC\n");
		return false;
	}
	if (!pa_addr(base))
		base = pa_init(rdmsr(MSR_APIC_BASE) & APIC_BASE_ADDR_MASK);
	wrmsr(MSR_APIC_BASE, pa_addr(base) | APIC_BASE_ENABLE);
	lapic = ioremap(base, PAGE_SIZE);
	if (!lapic)
		return false;
	lapic_write(LAPIC_TPR, 0);
	lapic_write(LAPIC_LVT_TIMER, LAPIC_LVT_MASKED);
	lapic_write(LAPIC_LVT_LINT0, LAPIC_LVT_MASKED);
	lapic_write(LAPIC_LVT_LINT1, LAPIC_LVT_NMI);
	lapic_write(LAPIC_LVT_ERROR, LAPIC_LVT_MASKED);
	lapic_write(LAPIC_SVR, LAPIC_SVR_ENABLE | VECTOR_APIC_SPURIOUS);
	lapic_write(LAPIC_TIMER_DIVIDE, LAPIC_TIMER_DIVIDE_16);
	ioapics_init(acpi);
	pr_info("local APIC %u at %llx, version %x\n", apic_id(),
		(unsigned long long)pa_addr(base),
		lapic_read(LAPIC_VERSION) & 0xff);
	return true;
}

void apic_eoi(void)
{
	lapic_write(LAPIC_EOI, 0);
}

uint32_t apic_id(void)
{
	return lapic_read(LAPIC_ID) >> 24;
}

void apic_timer_start(uint32_t count)
{
	lapic_write(LAPIC_LVT_TIMER, LAPIC_TIMER_ONESHOT | VECTOR_APIC_TIMER);
	lapic_write(LAPIC_TIMER_INITIAL, count ? count : 1);
}

void apic_timer_stop(void)
{
	lapic_write(LAPIC_TIMER_INITIAL, 0);
}

uint32_t apic_timer_remaining(void)
{
	return lapic_read(LAPIC_TIMER_CURRENT);
}

static struct ioapic *ioapic_for_gsi(uint32_t gsi)
{
	for (unsigned i = 0; i < ioapic_count; i++) {
		if (gsi >= ioapics[i].gsi_base &&
		    gsi < ioapics[i].gsi_base + ioapics[i].inputs)
			return &ioapics[i];
	}
	return NULL;
}

bool ioapic_route_isa_irq(const struct acpi_info *acpi, unsigned irq,
			  unsigned vector)
{
	uint32_t gsi;
	uint16_t flags;
	struct ioapic *io;
	uint64_t entry =
	    vector | ((uint64_t)apic_id() << IOAPIC_REDIR_DEST_SHIFT);

	if (acpi_irq_to_gsi(acpi, irq, &gsi, &flags) != ACPI_OK)
		return false;
	io = ioapic_for_gsi(gsi);
	if (!io)
		return false;
	/* ISA interrupts are edge-triggered, active high unless overridden. */
	if (acpi_inti_active_low(flags))
		entry |= IOAPIC_REDIR_ACTIVE_LOW;
	if (acpi_inti_level(flags))
		entry |= IOAPIC_REDIR_LEVEL;
	ioapic_set_redir(io, gsi - io->gsi_base, entry);
	return true;
}

bool ioapic_gsi_exists(uint32_t gsi)
{
	return ioapic_for_gsi(gsi) != NULL;
}

/*
 * How gsi is wired: as an interrupt source override routing an ISA IRQ to
 * it says; else ISA's default (edge, active high) below 16 and PCI's
 * (level, active low) above.
 */
static uint64_t gsi_mode(uint32_t gsi)
{
	const struct acpi_madt_info *m = &apic_acpi->madt;
	uint16_t flags = gsi < ACPI_ISA_IRQ_COUNT ? 0 : PCI_INTI_FLAGS;

	for (uint32_t i = 0; i < m->override_count; i++) {
		if (m->overrides[i].gsi == gsi)
			flags = m->overrides[i].flags;
	}
	return (acpi_inti_active_low(flags) ? IOAPIC_REDIR_ACTIVE_LOW : 0) |
	       (acpi_inti_level(flags) ? IOAPIC_REDIR_LEVEL : 0);
}

bool ioapic_route_gsi(uint32_t gsi, unsigned vector)
{
	struct ioapic *io = ioapic_for_gsi(gsi);
	uint64_t entry = vector | gsi_mode(gsi) |
			 ((uint64_t)apic_id() << IOAPIC_REDIR_DEST_SHIFT);

	ioapic_set_redir(io, gsi - io->gsi_base, entry);
	return entry & IOAPIC_REDIR_LEVEL;
}

void ioapic_mask_gsi(uint32_t gsi, bool masked)
{
	struct ioapic *io = ioapic_for_gsi(gsi);
	unsigned reg = IOAPIC_REG_REDIR(gsi - io->gsi_base);
	uint32_t low = ioapic_read(io, reg);

	ioapic_write(io, reg,
		     masked ? low | (uint32_t)IOAPIC_REDIR_MASKED
			    : low & ~(uint32_t)IOAPIC_REDIR_MASKED);
}
