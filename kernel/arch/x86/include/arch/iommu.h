/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * DMA remapping with Intel VT-d (docs/iommu.md). The core programs every
 * unit the DMAR lists in legacy mode: a root table, context tables, and per
 * domain that holds a device a second-level page table mirroring its p2m,
 * so that a device reaches exactly its owner's RAM at the owner's
 * pseudo-physical addresses. A device no domain holds has no context entry:
 * its DMA faults.
 *
 * The generic core calls the arch_iommu_* hooks below; they also work with
 * no IOMMU, where assignment is recorded but DMA is not isolated.
 *
 * Locking: one IOMMU lock (irqsave) guards the units, the device table and
 * every domain's DMA page tables. It nests inside domain->lock (the p2m
 * hooks run under it) and outside frame_lock.
 *
 * Register layout and bits: Intel VT-d specification 4.1, chapter 11
 * (registers) and 9 (root, context and second-level entries).
 */
#ifndef ARCH_IOMMU_H
#define ARCH_IOMMU_H

#include <atoll/types.h>
#include <atoll/compiler.h>
#include <atoll/addr.h>
#include <xen/xen.h>

/* ---- VT-d registers (offsets from a unit's register base) ---- */

#define VTD_REG_VER	  0x00 /* 32 */
#define VTD_REG_CAP	  0x08 /* 64 */
#define VTD_REG_ECAP	  0x10 /* 64 */
#define VTD_REG_GCMD	  0x18 /* 32 */
#define VTD_REG_GSTS	  0x1c /* 32 */
#define VTD_REG_RTADDR	  0x20 /* 64 */
#define VTD_REG_CCMD	  0x28 /* 64 */
#define VTD_REG_FSTS	  0x34 /* 32 */
#define VTD_REG_FECTL	  0x38 /* 32 */
#define VTD_REG_FEDATA	  0x3c /* 32 */
#define VTD_REG_FEADDR	  0x40 /* 32 */
#define VTD_REG_FEUADDR	  0x44 /* 32 */
/* IOTLB registers at ECAP.IRO * 16: IVA, then IOTLB. */
#define VTD_REG_IOTLB_OFF 0x08

/* CAP fields. */
#define VTD_CAP_ND(c)	 ((unsigned)((c)&0x7)) /* domain-id bits */
#define VTD_CAP_RWBF	 (1ULL << 4)	       /* flush write buffer */
#define VTD_CAP_CM	 (1ULL << 7)	       /* caching mode */
#define VTD_CAP_SAGAW(c) ((unsigned)(((c) >> 8) & 0x1f)) /* page walks */
#define VTD_CAP_MGAW(c)	 ((unsigned)(((c) >> 16) & 0x3f) + 1)
#define VTD_CAP_FRO(c)	 ((unsigned)(((c) >> 24) & 0x3ff) * 16)
#define VTD_CAP_NFR(c)	 ((unsigned)(((c) >> 40) & 0xff) + 1)

/* ECAP fields. */
#define VTD_ECAP_C	(1ULL << 0) /* page walks snoop the CPU caches */
#define VTD_ECAP_QI	(1ULL << 1)
#define VTD_ECAP_IR	(1ULL << 3)
#define VTD_ECAP_IRO(e) ((unsigned)(((e) >> 8) & 0x3ff) * 16)

/* SAGAW bit for a walk of n levels (3: 39-bit, 4: 48-bit, 5: 57-bit). */
#define VTD_SAGAW_LEVELS(n) (1U << ((n)-2))

/* GCMD / GSTS bits (the same positions). */
#define VTD_GCMD_TE    (1U << 31) /* translation enable */
#define VTD_GCMD_SRTP  (1U << 30) /* set root table pointer (one-shot) */
#define VTD_GCMD_SFL   (1U << 29) /* one-shot */
#define VTD_GCMD_EAFL  (1U << 28)
#define VTD_GCMD_WBF   (1U << 27) /* write buffer flush (one-shot) */
#define VTD_GCMD_QIE   (1U << 26)
#define VTD_GCMD_IRE   (1U << 25)
#define VTD_GCMD_SIRTP (1U << 24) /* one-shot */
#define VTD_GCMD_CFI   (1U << 23)
/* GSTS bits that mirror persistent GCMD state (the spec's 0x96ffffff). */
#define VTD_GSTS_PERSISTENT                                                    \
	(~(VTD_GCMD_SRTP | VTD_GCMD_SFL | VTD_GCMD_WBF | VTD_GCMD_SIRTP))

/* RTADDR: bits 11:10 select legacy (0) or scalable mode. */
#define VTD_RTADDR_LEGACY 0ULL

/* CCMD: context-cache invalidation. */
#define VTD_CCMD_ICC	(1ULL << 63)
#define VTD_CCMD_GLOBAL (1ULL << 61)

/* IOTLB register. */
#define VTD_IOTLB_IVT	   (1ULL << 63)
#define VTD_IOTLB_GLOBAL   (1ULL << 60)
#define VTD_IOTLB_DOMAIN   (2ULL << 60)
#define VTD_IOTLB_DR	   (1ULL << 49) /* drain reads */
#define VTD_IOTLB_DW	   (1ULL << 48) /* drain writes */
#define VTD_IOTLB_DID(did) ((uint64_t)(did) << 32)

/* FSTS and FECTL. */
#define VTD_FSTS_PFO	(1U << 0) /* primary fault overflow (RW1C) */
#define VTD_FSTS_PPF	(1U << 1) /* primary pending fault */
#define VTD_FSTS_FRI(s) (((s) >> 8) & 0xff)
#define VTD_FECTL_IM	(1U << 31) /* interrupt masked */

/* A fault record: 16 bytes; the high quadword holds these. */
#define VTD_FRCD_SIZE	   16
#define VTD_FRCD_HI_F	   (1ULL << 63) /* fault (RW1C) */
#define VTD_FRCD_HI_T	   (1ULL << 62) /* 1: read, 0: write */
#define VTD_FRCD_HI_FR(h)  ((unsigned)(((h) >> 32) & 0xff))
#define VTD_FRCD_HI_SID(h) ((uint16_t)((h)&0xffff))
#define VTD_FRCD_LO_FI(l)  ((l) & ~0xfffULL)

/* Root entry (16 bytes, one per bus): present, context-table pointer. */
#define VTD_ROOT_P   (1ULL << 0)
/* Context entry (16 bytes, one per devfn). */
#define VTD_CTX_LO_P (1ULL << 0)
#define VTD_CTX_LO_TT_UNTRANSLATED                                             \
	0ULL /* untranslated requests via 2nd level */
#define VTD_CTX_HI_AW(levels) ((uint64_t)((levels)-2))
#define VTD_CTX_HI_DID(did)   ((uint64_t)(did) << 8)
/* Second-level entries. */
#define VTD_SL_R	      (1ULL << 0)
#define VTD_SL_W	      (1ULL << 1)
#define VTD_SL_ADDR_MASK      0x000ffffffffff000ULL
#define VTD_ENTRIES	      512
#define VTD_TABLE_ENTRIES     256 /* root and context tables: 16-byte entries */

/* Fault event interrupt: a free slot between COM1 and the pirq vectors
 * (arch/irq.h). */
#define VECTOR_IOMMU_FAULT  0x31
#define MSI_ADDR_BASE	    0xfee00000U
#define MSI_ADDR_DEST_SHIFT 12

/* PCI configuration mechanism #1 (for existence checks and bridges). */
#define PORT_PCI_CONF_ADDR 0xcf8
#define PORT_PCI_CONF_DATA 0xcfc
#define PCI_CONF_ENABLE	   (1U << 31)
#define PCI_VENDOR_ID	   0x00
#define PCI_VENDOR_NONE	   0xffff
#define PCI_HEADER_TYPE	   0x0e
#define PCI_BUS_NUMBERS	   0x18 /* primary, secondary, subordinate */

/* ---- Boot ---- */

struct acpi_dmar_info;

/*
 * Programs every usable unit of the DMAR (translation on, every device
 * blocked) and logs "VT-d: N units, translation enabled", or "no IOMMU:
 * device assignment will not isolate DMA". Runs once, after paging and the
 * local APIC are up and before any domain starts.
 */
void iommu_init(const struct acpi_dmar_info *dmar);

/* ---- What the generic core calls ---- */

struct domain;

/* A PCI function, as Xen's machine_sbdf: segment << 16 | bus << 8 | devfn. */
typedef uint32_t pci_sbdf_t;

/* The domain a device is assigned to, or 0 if none. */
domid_t arch_iommu_device_holder(pci_sbdf_t sbdf);

/*
 * Points the device's DMA at d's memory, moving it from its previous
 * holder. *isolated says whether an IOMMU confines it (false: no IOMMU, or
 * the device is outside every unit's scope; logged). d is alive. 0, or
 * -XEN_ENODEV (segment other than 0, or no function answers there),
 * -XEN_ENOMEM (page tables), -XEN_ENOSPC (device table full); on an error
 * nothing changed.
 */
int arch_iommu_assign(struct domain *d, pci_sbdf_t sbdf,
		      bool *isolated) __must_check;
/* Blocks the device's DMA again; d must hold it. 0, or -XEN_EINVAL. */
int arch_iommu_deassign(struct domain *d, pci_sbdf_t sbdf) __must_check;

/*
 * d's p2m gained gpfn -> pa (d->lock held): mirrored into d's DMA tables
 * if it has any. False (nothing changed) if a table cannot be allocated.
 */
bool arch_iommu_map(struct domain *d, uint64_t gpfn, paddr_t pa) __must_check;
/* d's p2m loses gpfn (d->lock held); no flush yet. */
void arch_iommu_unmap(struct domain *d, uint64_t gpfn);
/* Makes the unmaps so far take effect: after it returns, no device reaches
 * those frames (d->lock held). */
void arch_iommu_flush(struct domain *d);

/* d is dying: its devices are blocked and its DMA tables freed. */
void arch_iommu_domain_destroy(struct domain *d);

/* Debug key 'i': units, assigned devices, fault records (read and cleared). */
void arch_iommu_dump(void);

#endif
