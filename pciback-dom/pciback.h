/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * pciback-dom: the one domain with PCI configuration space (docs/pci.md).
 *   pciback.c     ECAM, enumeration, hiding, resetting, moving resources
 *   pciback_xs.c  the XenStore side: Xen's backend/pci state machine
 *   pciback_op.c  pciif operations from the frontends, filtered
 */
#ifndef PCIBACK_H
#define PCIBACK_H

#include <stdbool.h>
#include <stdint.h>

#include <rt/gnttab.h>
#include <xen/io/pciif.h>
#include <xen/xen.h>

#include "pci_logic.h"

#define PCIBACK_MAX_FUNCS  64
#define PCIBACK_MAX_FRONTS 16
#define PCIBACK_FUNC_MMIO  8 /* MMIO ranges moved per function */

struct pci_func {
	struct pci_func_info info;
	bool assignable;
	char why_not[48];  /* if not assignable */
	domid_t owner;	   /* 0: pciback's (hidden, free) */
	bool dma_isolated; /* the IOMMU confines its DMA to the owner */
	struct pci_vstate vs;
	struct {
		uint32_t pfn, count;
	} mmio[PCIBACK_FUNC_MMIO];
	unsigned mmio_count;
};

/* One frontend domain's backend directory backend/pci/<fe>/0. */
struct pci_front {
	bool used;
	domid_t fe;
	char be[48];	 /* "backend/pci/<fe>/0", relative to our home */
	char fe_dir[64]; /* its "frontend" key */
	bool seen_fe;	 /* the frontend directory was readable once */
	bool connected;	 /* ring mapped, port bound */
	int steady;	 /* state to return to after an early reconfigure */
	struct xen_pci_sharedinfo *sh;
	grant_handle_t handle;
	evtchn_port_t port;
};

extern struct pci_func pci_funcs[PCIBACK_MAX_FUNCS];
extern unsigned pci_func_count;
extern domid_t pciback_self;

/* Configuration space through ECAM. */
uint32_t pci_conf_read(const struct pci_bdf *b, int off, int size);
void pci_conf_write(const struct pci_bdf *b, int off, int size, uint32_t v);

struct pci_func *pciback_find(const struct pci_bdf *b);
/* Moves f's BARs, ports and line to fe: 0 or a negative Xen errno, and
 * then nothing moved. */
int pciback_assign(struct pci_func *f, domid_t fe);
/* Takes everything back from the owner (if still there), resets f. */
void pciback_release(struct pci_func *f);
/* Publishes f under pciback/devices/ for tools. */
void pciback_publish(const struct pci_func *f);

/* pciback_xs.c */
void pciback_xs_start(void);
void pciback_xs_loop(void);

/* pciback_op.c */
void pciback_op_start(void);
void pciback_op_kick(void);
void pciback_op_serve(struct pci_front *f);

#endif
