/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * pciback's pure logic, host-tested (tests/unit/test_pci.c) and fuzzed
 * (tests/fuzz/fuzz_pci.c): parsing the BDF strings other domains write in
 * the XenStore, and the filter every configuration-space access from a
 * frontend goes through. No I/O here: the caller reads and writes the
 * hardware as the verdicts say.
 */
#ifndef PCIBACK_PCI_LOGIC_H
#define PCIBACK_PCI_LOGIC_H

#include <stdbool.h>
#include <stdint.h>

struct pci_bdf {
	uint16_t seg;
	uint8_t bus, dev, fn;
};

/*
 * Parses "SSSS:BB:DD.F" as Xen's toolstack writes dev-N (1-4, 1-2, 1-2
 * and 1-2 hex digits: Linux's pciback writes vdev-N with a 2-digit
 * function). Device <= 0x1f, function <= 7, nothing after. True if valid.
 */
bool pci_parse_bdf(const char *s, struct pci_bdf *out);
/* "SSSS:BB:DD.F" into buf (at least 13 bytes). */
void pci_format_bdf(const struct pci_bdf *b, char *buf, unsigned len);
bool pci_bdf_eq(const struct pci_bdf *a, const struct pci_bdf *b);

struct pci_bar {
	uint64_t addr;	/* programmed address (flag bits cleared) */
	uint64_t size;	/* 0: BAR not implemented */
	uint32_t flags; /* the low bits of the BAR: IO, memory type */
	bool io, is64;	/* is64: the next BAR is this one's upper half */
};

/* What pciback learnt about a function when it enumerated it. */
struct pci_func_info {
	struct pci_bdf bdf;
	uint16_t vendor, device;
	uint32_t class_rev;
	struct pci_bar bar[6];
	uint32_t bar_raw[6]; /* BAR registers as found */
	uint8_t pin;	     /* Interrupt Pin, 0 = none */
	uint32_t gsi;	     /* its line, if pin */
	uint8_t msi_cap, msi_len, msix_cap, pm_cap, exp_cap; /* 0 = none */
	uint16_t cfg_size;				     /* 256 or 4096 */
};

/* Per-assignment state of the virtual registers. */
struct pci_vstate {
	uint8_t bar_sizing; /* bit i: BAR i reads as its size mask */
	bool master_ok;	    /* the owner is set up: bus mastering allowed */
};

enum pci_cfg_verdict {
	PCI_CFG_PASS,	  /* do the access on the hardware (value may change) */
	PCI_CFG_EMULATED, /* answered from the virtual state (*value) */
	PCI_CFG_IGNORED,  /* a write dropped silently, as Xen's pciback */
	PCI_CFG_DENIED,	  /* refused: XEN_PCI_ERR_access_denied */
	PCI_CFG_INVALID,  /* bad offset or size: XEN_PCI_ERR_invalid_offset */
};

/* A read of size bytes at off: PASS (read the hardware, then call
 * pci_cfg_read_fixup) or EMULATED (*value set) or INVALID. */
enum pci_cfg_verdict pci_cfg_read(const struct pci_func_info *f,
				  const struct pci_vstate *vs, int off,
				  int size, uint32_t *value);
/* Adjusts a value read from the hardware (the Interrupt Line register
 * shows the GSI the owner binds). */
uint32_t pci_cfg_read_fixup(const struct pci_func_info *f, int off, int size,
			    uint32_t value);
/* A write: PASS with *value possibly narrowed, or another verdict. May
 * change vs (BAR sizing). */
enum pci_cfg_verdict pci_cfg_write(const struct pci_func_info *f,
				   struct pci_vstate *vs, int off, int size,
				   uint32_t *value);

/* The q35 (ICH9) wiring of a root-bus slot's INTx pin (1 = INTA) to its
 * IO APIC input in APIC mode: slots 0-24 rotate over PIRQ E-H (GSI
 * 20-23); 0 if unknown. */
uint32_t pci_q35_gsi(uint8_t bus, uint8_t dev, uint8_t pin);

#endif
