// SPDX-License-Identifier: GPL-2.0-only
/*
 * BDF strings and the configuration-space filter (pci_logic.h).
 *
 * The filter lets a frontend drive its device and nothing else: BARs can
 * be sized and rewritten with the address they have, never moved; the
 * expansion ROM is hidden; MSI and MSI-X registers are refused (interrupts
 * are INTx, as an event channel); the command register accepts only I/O
 * and memory decoding, INTx disable and, once the owner is set up, bus
 * mastering; read-only header fields refuse writes. Everything else in the
 * device-specific area passes (virtio and most devices keep their own
 * registers there).
 */
#include <stdio.h>

#include <rt/pci_regs.h>

#include "pci_logic.h"

/* n (1..max) hex digits from *s, stopping at stop; advances *s. */
static bool hex_field(const char **s, unsigned max, char stop, unsigned *out)
{
	unsigned v = 0, n = 0;
	const char *p = *s;

	for (; *p && *p != stop; p++, n++) {
		char c = *p;
		unsigned d;

		if (c >= '0' && c <= '9')
			d = (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			d = (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			d = (unsigned)(c - 'A' + 10);
		else
			return false;
		v = v * 16 + d;
		if (n + 1 > max)
			return false;
	}
	if (n == 0 || *p != stop)
		return false;
	*s = stop ? p + 1 : p;
	*out = v;
	return true;
}

bool pci_parse_bdf(const char *s, struct pci_bdf *out)
{
	unsigned seg, bus, dev, fn;

	if (!s || !hex_field(&s, 4, ':', &seg) ||
	    !hex_field(&s, 2, ':', &bus) || !hex_field(&s, 2, '.', &dev) ||
	    !hex_field(&s, 2, '\0', &fn))
		return false;
	if (dev > 0x1f || fn > 7)
		return false;
	*out = (struct pci_bdf){(uint16_t)seg, (uint8_t)bus, (uint8_t)dev,
				(uint8_t)fn};
	return true;
}

void pci_format_bdf(const struct pci_bdf *b, char *buf, unsigned len)
{
	snprintf(buf, len, "%04x:%02x:%02x.%x", b->seg, b->bus, b->dev, b->fn);
}

bool pci_bdf_eq(const struct pci_bdf *a, const struct pci_bdf *b)
{
	return a->seg == b->seg && a->bus == b->bus && a->dev == b->dev &&
	       a->fn == b->fn;
}

static bool within(int off, int size, unsigned base, unsigned len)
{
	return base && (unsigned)off < base + len &&
	       base < (unsigned)off + (unsigned)size;
}

static bool access_ok(const struct pci_func_info *f, int off, int size)
{
	return (size == 1 || size == 2 || size == 4) && off >= 0 &&
	       off % size == 0 &&
	       (unsigned)off + (unsigned)size <= (unsigned)f->cfg_size;
}

/* The BAR register index at off (4-byte aligned access), or -1. */
static int bar_index(int off)
{
	if (off < PCI_BAR0 || off >= PCI_BAR0 + 4 * PCI_BAR_COUNT)
		return -1;
	return (off - PCI_BAR0) / 4;
}

/* What BAR register i reads as while it is being sized. */
static uint32_t bar_size_mask(const struct pci_func_info *f, int i)
{
	const struct pci_bar *b;

	if (i > 0 && f->bar[i - 1].is64) {
		b = &f->bar[i - 1]; /* the upper half */
		return b->size ? (uint32_t)(~(b->size - 1) >> 32) : 0;
	}
	b = &f->bar[i];
	if (!b->size)
		return 0;
	return ((uint32_t) ~(b->size - 1) &
		(b->io ? PCI_BAR_IO_MASK : PCI_BAR_MEM_MASK)) |
	       b->flags;
}

enum pci_cfg_verdict pci_cfg_read(const struct pci_func_info *f,
				  const struct pci_vstate *vs, int off,
				  int size, uint32_t *value)
{
	int i = bar_index(off);

	if (!access_ok(f, off, size))
		return PCI_CFG_INVALID;
	if (i >= 0 && size == 4 && (vs->bar_sizing & (1u << i))) {
		*value = bar_size_mask(f, i);
		return PCI_CFG_EMULATED;
	}
	if (within(off, size, PCI_ROM_ADDRESS, 4)) {
		*value = 0; /* no expansion ROM is shown */
		return PCI_CFG_EMULATED;
	}
	return PCI_CFG_PASS;
}

uint32_t pci_cfg_read_fixup(const struct pci_func_info *f, int off, int size,
			    uint32_t value)
{
	/* Interrupt Line shows the GSI to bind (the firmware wrote the 8259
	 * IRQ there); only the byte at 0x3c changes. */
	if (f->pin && within(off, size, PCI_INTERRUPT_LINE, 1)) {
		unsigned shift = (unsigned)(PCI_INTERRUPT_LINE - off) * 8;

		value &= ~(0xffu << shift);
		value |= (f->gsi & 0xff) << shift;
	}
	return value;
}

/* A 4-byte write to BAR register i: sizing, or restoring its value. */
static enum pci_cfg_verdict bar_write(const struct pci_func_info *f,
				      struct pci_vstate *vs, int i,
				      uint32_t value)
{
	if (value == 0xffffffffU) {
		vs->bar_sizing |= (uint8_t)(1u << i);
		return PCI_CFG_EMULATED;
	}
	/* The address bits must be those it has; flag bits are read-only. */
	uint32_t mask = 0xffffffffU;

	if (!(i > 0 && f->bar[i - 1].is64))
		mask = f->bar[i].io ? PCI_BAR_IO_MASK : PCI_BAR_MEM_MASK;
	if ((value & mask) == (f->bar_raw[i] & mask)) {
		vs->bar_sizing &= (uint8_t) ~(1u << i);
		return PCI_CFG_EMULATED; /* the hardware already has it */
	}
	return PCI_CFG_DENIED; /* a move out of the assigned range */
}

static enum pci_cfg_verdict command_write(const struct pci_vstate *vs, int off,
					  int size, uint32_t *value)
{
	uint32_t allowed = PCI_COMMAND_IO | PCI_COMMAND_MEMORY |
			   PCI_COMMAND_INTX_DISABLE | PCI_COMMAND_MASTER;
	uint32_t v = *value << ((unsigned)(off - PCI_COMMAND) * 8);

	if ((v & PCI_COMMAND_MASTER) && !vs->master_ok)
		return PCI_CFG_DENIED;
	if (size == 4) /* the upper half is Status: write-1-to-clear */
		allowed |= 0xffff0000U;
	v &= allowed;
	*value = v >> ((unsigned)(off - PCI_COMMAND) * 8);
	return PCI_CFG_PASS;
}

enum pci_cfg_verdict pci_cfg_write(const struct pci_func_info *f,
				   struct pci_vstate *vs, int off, int size,
				   uint32_t *value)
{
	int i = bar_index(off);

	if (!access_ok(f, off, size))
		return PCI_CFG_INVALID;
	if (within(off, size, f->msi_cap, f->msi_len) ||
	    within(off, size, f->msix_cap, PCI_MSIX_CAP_SIZE))
		return PCI_CFG_DENIED; /* interrupts are INTx */
	if (off >= PCI_HEADER_END)
		return PCI_CFG_PASS;
	if (i >= 0)
		return size == 4 ? bar_write(f, vs, i, *value) : PCI_CFG_DENIED;
	if (off >= PCI_COMMAND && off < PCI_STATUS)
		return command_write(vs, off, size, value);
	if (off == PCI_STATUS || off == PCI_CACHE_LINE || off == PCI_LATENCY)
		return PCI_CFG_PASS;
	if (within(off, size, PCI_ROM_ADDRESS, 4) ||
	    within(off, size, PCI_INTERRUPT_LINE, 1))
		return PCI_CFG_IGNORED; /* virtual: ROM hidden, line fixed */
	return PCI_CFG_DENIED; /* read-only or structural header fields */
}

uint32_t pci_q35_gsi(uint8_t bus, uint8_t dev, uint8_t pin)
{
	if (bus != 0 || dev > 24 || pin < 1 || pin > 4)
		return 0;
	return 16 + 4 + (uint32_t)((dev + pin - 1) % 4);
}
