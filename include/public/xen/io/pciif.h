/* SPDX-License-Identifier: MIT */
/*
 * The PCI split-driver protocol (pciif) between pcifront, in a domain that
 * drives PCI devices, and pciback, which owns PCI configuration space.
 * Xen's layout and numbers, written from its published interface.
 *
 * Unlike netif and blkif this is not a ring: one shared page, granted by
 * the frontend, holds one operation at a time. The frontend fills `op`,
 * sets bit _XEN_PCIF_active in `flags` (atomically, after the op is
 * visible) and notifies the event channel; the backend performs it, writes
 * op.err and op.value, clears _XEN_PCIF_active and notifies back. The
 * frontend waits for the bit to clear before it reads the result or starts
 * another op.
 *
 * XenStore (the frontend's device/pci/0 directory): `pci-op-ref` (the
 * grant reference of the page), `event-channel` (the frontend's unbound
 * port), `magic` = XEN_PCI_MAGIC. docs/pci.md describes the whole
 * handshake.
 */
#ifndef ATOLL_PUBLIC_XEN_IO_PCIIF_H
#define ATOLL_PUBLIC_XEN_IO_PCIIF_H

#include "../xen.h"

/* xen_pci_sharedinfo.flags */
#define _XEN_PCIF_active     0 /* frontend: an op waits for the backend */
#define XEN_PCIF_active	     (1U << _XEN_PCIF_active)
#define _XEN_PCIB_AERHANDLER 1 /* frontend handles PCIe AER */
#define XEN_PCIB_AERHANDLER  (1U << _XEN_PCIB_AERHANDLER)
#define _XEN_PCIB_active     2 /* backend: an AER op waits for the frontend */
#define XEN_PCIB_active	     (1U << _XEN_PCIB_active)

/* xen_pci_op.cmd */
#define XEN_PCI_OP_conf_read	    0
#define XEN_PCI_OP_conf_write	    1
#define XEN_PCI_OP_enable_msi	    2
#define XEN_PCI_OP_disable_msi	    3
#define XEN_PCI_OP_enable_msix	    4
#define XEN_PCI_OP_disable_msix	    5
#define XEN_PCI_OP_aer_detected	    6
#define XEN_PCI_OP_aer_resume	    7
#define XEN_PCI_OP_aer_mmio	    8
#define XEN_PCI_OP_aer_slotreset    9
#define XEN_PCI_OP_enable_multi_msi 10

/* xen_pci_op.err */
#define XEN_PCI_ERR_success	    0
#define XEN_PCI_ERR_dev_not_found   (-1)
#define XEN_PCI_ERR_invalid_offset  (-2)
#define XEN_PCI_ERR_access_denied   (-3)
#define XEN_PCI_ERR_not_implemented (-4)
#define XEN_PCI_ERR_op_failed	    (-5) /* the backend could not do it */

/* MSI-X vectors one op can carry. */
#define SH_INFO_MAX_VEC 128

struct xen_msix_entry {
	uint16_t vector;
	uint16_t entry;
};

struct xen_pci_op {
	uint32_t cmd;	 /* IN: XEN_PCI_OP_* */
	int32_t err;	 /* OUT: XEN_PCI_ERR_* */
	uint32_t domain; /* IN: PCI segment */
	uint32_t bus;	 /* IN */
	uint32_t devfn;	 /* IN: device << 3 | function */
	int32_t offset;	 /* IN: configuration register */
	int32_t size;	 /* IN: 1, 2 or 4 bytes */
	uint32_t value;	 /* IN (write) / OUT (read) */
	uint32_t info;	 /* IN: extra for MSI ops */
	struct xen_msix_entry msix_entries[SH_INFO_MAX_VEC]; /* IN/OUT */
};
_Static_assert(sizeof(struct xen_pci_op) == 548, "Xen pciif");

/* PCIe advanced error reporting, backend to frontend. */
struct xen_pcie_aer_op {
	uint32_t cmd; /* IN: XEN_PCI_OP_aer_* */
	int32_t err;  /* IN/OUT */
	uint32_t domain;
	uint32_t bus;
	uint32_t devfn;
};
_Static_assert(sizeof(struct xen_pcie_aer_op) == 20, "Xen pciif");

/* The shared page. */
struct xen_pci_sharedinfo {
	uint32_t flags; /* XEN_PCIF_*, XEN_PCIB_* */
	struct xen_pci_op op;
	struct xen_pcie_aer_op aer_op;
};
_Static_assert(sizeof(struct xen_pci_sharedinfo) == 572, "Xen pciif");

/* The frontend's XenStore `magic`: the protocol version. */
#define XEN_PCI_MAGIC "7"

#endif
