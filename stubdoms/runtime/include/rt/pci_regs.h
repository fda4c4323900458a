/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * PCI configuration space: the architectural register offsets and bits
 * that pciback, pcifront and their tests use, named once.
 */
#ifndef RT_PCI_REGS_H
#define RT_PCI_REGS_H

#define PCI_CFG_SIZE	 256  /* conventional configuration space */
#define PCI_CFG_SIZE_EXT 4096 /* PCIe extended, through ECAM */

#define PCI_VENDOR_ID	   0x00 /* 16 bits; 0xffff: no function */
#define PCI_DEVICE_ID	   0x02
#define PCI_COMMAND	   0x04
#define PCI_STATUS	   0x06
#define PCI_CLASS_REV	   0x08 /* class << 8 | revision */
#define PCI_CACHE_LINE	   0x0c
#define PCI_LATENCY	   0x0d
#define PCI_HEADER_TYPE	   0x0e
#define PCI_BIST	   0x0f
#define PCI_BAR0	   0x10 /* six 32-bit BARs in a type 0 header */
#define PCI_BAR_COUNT	   6
#define PCI_SUBSYSTEM	   0x2c
#define PCI_ROM_ADDRESS	   0x30
#define PCI_CAP_PTR	   0x34
#define PCI_INTERRUPT_LINE 0x3c
#define PCI_INTERRUPT_PIN  0x3d
#define PCI_HEADER_END	   0x40

#define PCI_COMMAND_IO		 0x0001
#define PCI_COMMAND_MEMORY	 0x0002
#define PCI_COMMAND_MASTER	 0x0004
#define PCI_COMMAND_INTX_DISABLE 0x0400

#define PCI_STATUS_CAP_LIST 0x0010

#define PCI_HEADER_TYPE_MASK   0x7f
#define PCI_HEADER_TYPE_MULTI  0x80
#define PCI_HEADER_TYPE_NORMAL 0

#define PCI_BAR_IO	    0x1
#define PCI_BAR_IO_MASK	    0xfffffffcU
#define PCI_BAR_MEM_TYPE_64 0x4
#define PCI_BAR_MEM_TYPE    0x6
#define PCI_BAR_MEM_MASK    0xfffffff0U

#define PCI_CLASS_BRIDGE 0x06 /* base class: host, ISA, PCI bridges */

/* Capabilities: id at +0, next pointer at +1. */
#define PCI_CAP_ID_PM	0x01
#define PCI_CAP_ID_MSI	0x05
#define PCI_CAP_ID_VNDR 0x09
#define PCI_CAP_ID_EXP	0x10
#define PCI_CAP_ID_MSIX 0x11
#define PCI_CAP_MAX	48 /* a hostile list is cut after this many */

#define PCI_PM_CTRL		  4 /* PMCSR */
#define PCI_PM_CTRL_STATE_MASK	  0x0003
#define PCI_PM_CTRL_NO_SOFT_RESET 0x0008
#define PCI_PM_D3HOT		  3

#define PCI_MSI_FLAGS	      2
#define PCI_MSI_FLAGS_64BIT   0x0080
#define PCI_MSI_FLAGS_MASKBIT 0x0100

#define PCI_MSIX_FLAGS	    2 /* table size - 1 in bits 10:0 */
#define PCI_MSIX_TABLE	    4 /* BIR in bits 2:0, offset above */
#define PCI_MSIX_PBA	    8
#define PCI_MSIX_BIR_MASK   0x7
#define PCI_MSIX_ENTRY_SIZE 16
#define PCI_MSIX_CAP_SIZE   12

#define PCI_EXP_DEVCAP	       4
#define PCI_EXP_DEVCAP_FLR     0x10000000
#define PCI_EXP_DEVCTL	       8
#define PCI_EXP_DEVCTL_BCR_FLR 0x8000

/* ECAM: the function's 4 KiB of configuration space. */
#define PCI_ECAM_OFFSET(bus, dev, fn)                                          \
	(((uint64_t)(bus) << 20) | ((uint64_t)(dev) << 15) |                   \
	 ((uint64_t)(fn) << 12))
#define PCI_ECAM_BUS_SIZE (1ULL << 20)

#define PCI_DEVFN(dev, fn) ((((dev)&0x1f) << 3) | ((fn)&7))
#define PCI_SLOT(devfn)	   (((devfn) >> 3) & 0x1f)
#define PCI_FUNC(devfn)	   ((devfn)&7)

#endif
