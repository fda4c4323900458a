// SPDX-License-Identifier: GPL-2.0-only
/*
 * pciback-dom: owns PCI configuration space (the ECAM window the manifest
 * gives it) and the resources of every device it may hand out (the PCI
 * MMIO and I/O windows, the PCI interrupt lines). It enumerates the
 * buses, hides every assignable function (decoding and bus mastering
 * off), and moves a function's BARs, ports and line to the domain the
 * XenStore names (pciback_xs.c). Command line:
 *   pciback ecam=0xb0000000 buses=1
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <atoll/domctl.h>
#include <atoll/hypercall.h>
#include <atoll/mmio.h>
#include <rt/hypercall.h>
#include <rt/pci_regs.h>
#include <rt/rt.h>
#include <rt/thread.h>
#include <rt/xenbus.h>
#include <xen/errno.h>

#include "pciback.h"

struct pci_func pci_funcs[PCIBACK_MAX_FUNCS];
unsigned pci_func_count;
domid_t pciback_self;

static volatile uint8_t *ecam;
static unsigned ecam_buses;

/* ---- Hypercalls ------------------------------------------------------ */

static long domctl(struct atoll_domctl *op)
{
	op->interface_version = ATOLL_DOMCTL_INTERFACE_VERSION;
	return HC(__HYPERVISOR_atoll_domctl, op, 0, 0);
}

static long move(uint32_t cmd, domid_t d, uint64_t base, uint64_t count,
		 bool give)
{
	struct atoll_domctl op = {.cmd = cmd, .domain = d};

	if (cmd == ATOLL_DOMCTL_iomem_permission)
		op.u.iomem_permission = (struct atoll_domctl_iomem_permission){
		    .first_mfn = base, .nr_mfns = count, .allow_access = give};
	else if (cmd == ATOLL_DOMCTL_ioport_permission)
		op.u.ioport_permission =
		    (struct atoll_domctl_ioport_permission){
			.first_port = (uint32_t)base,
			.nr_ports = (uint32_t)count,
			.allow_access = give};
	else
		op.u.irq_permission = (struct atoll_domctl_irq_permission){
		    .pirq = (uint32_t)base, .allow_access = give};
	return domctl(&op);
}

static void *mmio_map(uint64_t phys, uint64_t pages, long *err)
{
	struct atoll_mmio_op op = {.phys = phys, .pages = pages};

	*err = HC(__HYPERVISOR_atoll_mmio, ATOLL_MMIOOP_map, &op, 0);
	return *err ? NULL : (void *)(uintptr_t)op.va;
}

static void mmio_unmap(void *va)
{
	struct atoll_mmio_op op = {.va = (uint64_t)(uintptr_t)va};

	HC(__HYPERVISOR_atoll_mmio, ATOLL_MMIOOP_unmap, &op, 0);
}

/* ---- Configuration space --------------------------------------------- */

static volatile uint8_t *cfg_addr(const struct pci_bdf *b, int off)
{
	return ecam + PCI_ECAM_OFFSET(b->bus, b->dev, b->fn) + (unsigned)off;
}

uint32_t pci_conf_read(const struct pci_bdf *b, int off, int size)
{
	volatile uint8_t *p = cfg_addr(b, off);

	if (b->bus >= ecam_buses || b->seg)
		return 0xffffffffU;
	if (size == 1)
		return *p;
	if (size == 2)
		return *(volatile uint16_t *)p;
	return *(volatile uint32_t *)p;
}

void pci_conf_write(const struct pci_bdf *b, int off, int size, uint32_t v)
{
	volatile uint8_t *p = cfg_addr(b, off);

	if (b->bus >= ecam_buses || b->seg)
		return;
	if (size == 1)
		*p = (uint8_t)v;
	else if (size == 2)
		*(volatile uint16_t *)p = (uint16_t)v;
	else
		*(volatile uint32_t *)p = v;
}

/* ---- Enumeration ----------------------------------------------------- */

static void find_caps(struct pci_func_info *f)
{
	const struct pci_bdf *b = &f->bdf;
	unsigned ptr, n = 0;

	if (!(pci_conf_read(b, PCI_STATUS, 2) & PCI_STATUS_CAP_LIST))
		return;
	ptr = pci_conf_read(b, PCI_CAP_PTR, 1) & ~3u;
	while (ptr >= PCI_HEADER_END && ptr < PCI_CFG_SIZE &&
	       n++ < PCI_CAP_MAX) {
		unsigned id = pci_conf_read(b, (int)ptr, 1);
		uint32_t flags;

		if (id == PCI_CAP_ID_PM)
			f->pm_cap = (uint8_t)ptr;
		else if (id == PCI_CAP_ID_EXP)
			f->exp_cap = (uint8_t)ptr;
		else if (id == PCI_CAP_ID_MSIX)
			f->msix_cap = (uint8_t)ptr;
		else if (id == PCI_CAP_ID_MSI) {
			f->msi_cap = (uint8_t)ptr;
			flags = pci_conf_read(b, (int)ptr + PCI_MSI_FLAGS, 2);
			f->msi_len = (flags & PCI_MSI_FLAGS_64BIT) ? 14 : 10;
			if (flags & PCI_MSI_FLAGS_MASKBIT)
				f->msi_len += 10;
		}
		ptr = pci_conf_read(b, (int)ptr + 1, 1) & ~3u;
	}
}

/* Sizes BAR i (decoding is off); returns how many registers it used. */
static int size_bar(struct pci_func_info *f, int i)
{
	const struct pci_bdf *b = &f->bdf;
	int off = PCI_BAR0 + 4 * i;
	uint32_t raw = pci_conf_read(b, off, 4), lo, hi = 0, raw_hi = 0;
	struct pci_bar *bar = &f->bar[i];
	uint64_t mask;

	f->bar_raw[i] = raw;
	pci_conf_write(b, off, 4, 0xffffffffU);
	lo = pci_conf_read(b, off, 4);
	pci_conf_write(b, off, 4, raw);
	bar->io = raw & PCI_BAR_IO;
	if (bar->io) {
		bar->flags = raw & ~PCI_BAR_IO_MASK;
		mask = lo & PCI_BAR_IO_MASK & 0xffff;
		bar->size = mask ? ((~mask + 1) & 0xffff) : 0;
		bar->addr = raw & PCI_BAR_IO_MASK;
		return 1;
	}
	bar->flags = raw & ~PCI_BAR_MEM_MASK;
	bar->is64 = (raw & PCI_BAR_MEM_TYPE) == PCI_BAR_MEM_TYPE_64 && i < 5;
	if (bar->is64) {
		raw_hi = pci_conf_read(b, off + 4, 4);
		f->bar_raw[i + 1] = raw_hi;
		pci_conf_write(b, off + 4, 4, 0xffffffffU);
		hi = pci_conf_read(b, off + 4, 4);
		pci_conf_write(b, off + 4, 4, raw_hi);
	}
	mask = ((uint64_t)hi << 32) | (lo & PCI_BAR_MEM_MASK);
	if (!bar->is64)
		mask |= 0xffffffff00000000ULL;
	bar->size = (lo & PCI_BAR_MEM_MASK) ? ~mask + 1 : 0;
	bar->addr = ((uint64_t)raw_hi << 32) | (raw & PCI_BAR_MEM_MASK);
	return bar->is64 ? 2 : 1;
}

/* The page ranges of BAR i, minus the pages holding an MSI-X table or
 * PBA: those stay pciback's, so a driver can never write them. */
static void bar_pages(struct pci_func *pf, int i)
{
	const struct pci_func_info *f = &pf->info;
	const struct pci_bar *bar = &f->bar[i];
	uint64_t first = bar->addr >> 12,
		 end = (bar->addr + bar->size + 0xfff) >> 12;
	uint64_t cut[2][2];
	unsigned ncut = 0;

	for (int k = 0; f->msix_cap && k < 2; k++) {
		int reg = k ? PCI_MSIX_PBA : PCI_MSIX_TABLE;
		uint32_t v = pci_conf_read(&f->bdf, f->msix_cap + reg, 4);
		uint32_t n =
		    (pci_conf_read(&f->bdf, f->msix_cap + PCI_MSIX_FLAGS, 2) &
		     0x7ff) +
		    1;
		uint64_t at = bar->addr + (v & ~PCI_MSIX_BIR_MASK);
		uint64_t len = k ? (n + 63) / 64 * 8 : n * PCI_MSIX_ENTRY_SIZE;

		if ((int)(v & PCI_MSIX_BIR_MASK) != i)
			continue;
		cut[ncut][0] = at >> 12;
		cut[ncut++][1] = (at + len + 0xfff) >> 12;
	}
	for (uint64_t p = first; p < end;) {
		uint64_t stop = end;
		bool skip = false;

		for (unsigned c = 0; c < ncut; c++) {
			if (p >= cut[c][0] && p < cut[c][1]) {
				p = cut[c][1];
				skip = true;
			} else if (cut[c][0] > p && cut[c][0] < stop) {
				stop = cut[c][0];
			}
		}
		if (skip)
			continue;
		if (pf->mmio_count < PCIBACK_FUNC_MMIO) {
			pf->mmio[pf->mmio_count].pfn = (uint32_t)p;
			pf->mmio[pf->mmio_count++].count = (uint32_t)(stop - p);
		}
		p = stop;
	}
}

/* Assignable: an endpoint whose every BAR page pciback holds (a page it
 * cannot map is not its to give). */
static void check_assignable(struct pci_func *pf)
{
	const struct pci_func_info *f = &pf->info;
	long err;

	if ((pci_conf_read(&f->bdf, PCI_HEADER_TYPE, 1) &
	     PCI_HEADER_TYPE_MASK) != PCI_HEADER_TYPE_NORMAL ||
	    (f->class_rev >> 24) == PCI_CLASS_BRIDGE) {
		snprintf(pf->why_not, sizeof(pf->why_not), "a bridge");
		return;
	}
	for (unsigned i = 0; i < pf->mmio_count; i++) {
		void *va = mmio_map((uint64_t)pf->mmio[i].pfn << 12,
				    pf->mmio[i].count, &err);

		if (!va) {
			snprintf(pf->why_not, sizeof(pf->why_not),
				 "MMIO 0x%llx not pciback's (%ld)",
				 (unsigned long long)pf->mmio[i].pfn << 12,
				 err);
			return;
		}
		mmio_unmap(va);
	}
	if (f->pin && !f->gsi) {
		snprintf(pf->why_not, sizeof(pf->why_not),
			 "interrupt pin %u not routed", f->pin);
		return;
	}
	pf->assignable = true;
}

static void probe(const struct pci_bdf *b)
{
	struct pci_func *pf;
	struct pci_func_info *f;
	uint16_t cmd;

	if (pci_func_count == PCIBACK_MAX_FUNCS)
		return;
	pf = &pci_funcs[pci_func_count++];
	f = &pf->info;
	f->bdf = *b;
	f->vendor = (uint16_t)pci_conf_read(b, PCI_VENDOR_ID, 2);
	f->device = (uint16_t)pci_conf_read(b, PCI_DEVICE_ID, 2);
	f->class_rev = pci_conf_read(b, PCI_CLASS_REV, 4);
	find_caps(f);
	f->cfg_size = f->exp_cap ? PCI_CFG_SIZE_EXT : PCI_CFG_SIZE;
	f->pin = (uint8_t)pci_conf_read(b, PCI_INTERRUPT_PIN, 1);
	f->gsi = pci_q35_gsi(b->bus, b->dev, f->pin);
	if ((pci_conf_read(b, PCI_HEADER_TYPE, 1) & PCI_HEADER_TYPE_MASK) ==
		PCI_HEADER_TYPE_NORMAL &&
	    (f->class_rev >> 24) != PCI_CLASS_BRIDGE) {
		/* Hidden: no decoding, no DMA until it is assigned. */
		cmd = (uint16_t)pci_conf_read(b, PCI_COMMAND, 2);
		pci_conf_write(b, PCI_COMMAND, 2,
			       cmd & ~(PCI_COMMAND_IO | PCI_COMMAND_MEMORY |
				       PCI_COMMAND_MASTER));
		for (int i = 0; i < PCI_BAR_COUNT;)
			i += size_bar(f, i);
		for (int i = 0; i < PCI_BAR_COUNT; i++) {
			if (f->bar[i].size && !f->bar[i].io)
				bar_pages(pf, i);
		}
	}
	check_assignable(pf);
}

static void enumerate(void)
{
	for (unsigned bus = 0; bus < ecam_buses; bus++) {
		for (unsigned dev = 0; dev < 32; dev++) {
			for (unsigned fn = 0; fn < 8; fn++) {
				struct pci_bdf b = {0, (uint8_t)bus,
						    (uint8_t)dev, (uint8_t)fn};

				if (pci_conf_read(&b, PCI_VENDOR_ID, 2) ==
				    0xffff) {
					if (fn == 0)
						break;
					continue;
				}
				probe(&b);
				if (fn == 0 &&
				    !(pci_conf_read(&b, PCI_HEADER_TYPE, 1) &
				      PCI_HEADER_TYPE_MULTI))
					break;
			}
		}
	}
}

/* ---- Assignment ------------------------------------------------------ */

struct pci_func *pciback_find(const struct pci_bdf *b)
{
	for (unsigned i = 0; i < pci_func_count; i++) {
		if (pci_bdf_eq(&pci_funcs[i].info.bdf, b))
			return &pci_funcs[i];
	}
	return NULL;
}

struct res_move {
	uint32_t cmd;
	uint64_t base, count;
};

/* Every resource of f as domctl moves; returns how many. */
static unsigned list_moves(const struct pci_func *pf, struct res_move *m)
{
	const struct pci_func_info *f = &pf->info;
	unsigned n = 0;

	for (unsigned k = 0; k < pf->mmio_count; k++)
		m[n++] = (struct res_move){ATOLL_DOMCTL_iomem_permission,
					   pf->mmio[k].pfn, pf->mmio[k].count};
	for (int i = 0; i < PCI_BAR_COUNT; i++) {
		if (f->bar[i].io && f->bar[i].size)
			m[n++] =
			    (struct res_move){ATOLL_DOMCTL_ioport_permission,
					      f->bar[i].addr, f->bar[i].size};
	}
	if (f->pin)
		m[n++] =
		    (struct res_move){ATOLL_DOMCTL_irq_permission, f->gsi, 1};
	return n;
}

/* Gives every resource of f to fe (all or nothing), or takes them back
 * (best effort: fe may be gone, and the core then returned them). */
static int move_all(struct pci_func *pf, domid_t fe, bool give)
{
	struct res_move m[PCIBACK_FUNC_MMIO + PCI_BAR_COUNT + 1];
	unsigned n = list_moves(pf, m), done;
	long rc = 0;

	for (done = 0; done < n; done++) {
		rc = move(m[done].cmd, fe, m[done].base, m[done].count, give);
		if (rc && give)
			break;
	}
	if (give && rc) {
		printf("pciback: moving resources to d%u failed: %ld\n", fe,
		       rc);
		while (done--)
			move(m[done].cmd, fe, m[done].base, m[done].count,
			     false);
		return (int)rc;
	}
	return 0;
}

/* Points f's DMA at fe's memory (assign) or blocks it (deassign): the
 * core's IOMMU, or a record that DMA is not confined. */
static long iommu(const struct pci_func *pf, domid_t fe, bool assign,
		  bool *isolated)
{
	const struct pci_bdf *b = &pf->info.bdf;
	struct atoll_domctl op = {.cmd = assign ? ATOLL_DOMCTL_assign_device
						: ATOLL_DOMCTL_deassign_device,
				  .domain = fe};
	long rc;

	op.u.assign_device.machine_sbdf =
	    ATOLL_PCI_SBDF(b->seg, b->bus, b->dev, b->fn);
	rc = domctl(&op);
	if (isolated)
		*isolated = !rc && (op.u.assign_device.flags &
				    ATOLL_ASSIGN_DMA_ISOLATED);
	return rc;
}

int pciback_assign(struct pci_func *pf, domid_t fe)
{
	int rc = move_all(pf, fe, true);
	long err;

	if (rc)
		return rc;
	err = iommu(pf, fe, true, &pf->dma_isolated);
	if (err) {
		printf("pciback: IOMMU assignment to d%u failed: %ld\n", fe,
		       err);
		move_all(pf, fe, false);
		return (int)err;
	}
	pf->owner = fe;
	/* The owner is set up (resources and DMA context in place), so the
	 * device may master the bus. */
	pf->vs = (struct pci_vstate){.master_ok = true};
	pciback_publish(pf);
	return 0;
}

/* Function-level reset if the function offers it, else a D3hot-D0 power
 * cycle if that resets it, else decoding off; then the BARs as found. */
static const char *reset(struct pci_func *pf)
{
	const struct pci_func_info *f = &pf->info;
	const struct pci_bdf *b = &f->bdf;
	const char *how = "decoding off";

	pci_conf_write(b, PCI_COMMAND, 2, 0);
	if (f->exp_cap && (pci_conf_read(b, f->exp_cap + PCI_EXP_DEVCAP, 4) &
			   PCI_EXP_DEVCAP_FLR)) {
		pci_conf_write(
		    b, f->exp_cap + PCI_EXP_DEVCTL, 2,
		    pci_conf_read(b, f->exp_cap + PCI_EXP_DEVCTL, 2) |
			PCI_EXP_DEVCTL_BCR_FLR);
		rt_sleep_ns(100000000); /* PCIe: 100 ms before it answers */
		how = "function-level reset";
	} else if (f->pm_cap && !(pci_conf_read(b, f->pm_cap + PCI_PM_CTRL, 2) &
				  PCI_PM_CTRL_NO_SOFT_RESET)) {
		uint32_t pm = pci_conf_read(b, f->pm_cap + PCI_PM_CTRL, 2) &
			      ~PCI_PM_CTRL_STATE_MASK;

		pci_conf_write(b, f->pm_cap + PCI_PM_CTRL, 2,
			       pm | PCI_PM_D3HOT);
		rt_sleep_ns(10000000);
		pci_conf_write(b, f->pm_cap + PCI_PM_CTRL, 2, pm);
		rt_sleep_ns(10000000);
		how = "D3hot-D0 reset";
	}
	for (int i = 0; i < PCI_BAR_COUNT; i++)
		pci_conf_write(b, PCI_BAR0 + 4 * i, 4, f->bar_raw[i]);
	pci_conf_write(b, PCI_COMMAND, 2, 0);
	return how;
}

void pciback_release(struct pci_func *pf)
{
	char bdf[16];
	domid_t fe = pf->owner;

	if (!fe)
		return;
	/* Fails harmlessly if fe is gone: the core returned it all and
	 * blocked the function's DMA. */
	move_all(pf, fe, false);
	iommu(pf, fe, false, NULL);
	pf->owner = 0;
	pf->dma_isolated = false;
	pci_format_bdf(&pf->info.bdf, bdf, sizeof(bdf));
	printf("pciback: %s back from d%u (%s)\n", bdf, fe, reset(pf));
	pciback_publish(pf);
}

void pciback_publish(const struct pci_func *pf)
{
	const struct pci_bdf *b = &pf->info.bdf;
	char dir[64];

	snprintf(dir, sizeof(dir), "pciback/devices/%04x-%02x-%02x-%x", b->seg,
		 b->bus, b->dev, b->fn);
	xenbus_printf(XENBUS_NO_TXN, dir, "%04x:%04x %06x", pf->info.vendor,
		      pf->info.device, pf->info.class_rev >> 8);
	{
		char p[96];

		snprintf(p, sizeof(p), "%s/assignable", dir);
		xenbus_write(XENBUS_NO_TXN, p, pf->assignable ? "1" : "0");
		snprintf(p, sizeof(p), "%s/owner", dir);
		xenbus_printf(XENBUS_NO_TXN, p, "%u", pf->owner);
		snprintf(p, sizeof(p), "%s/dma", dir);
		xenbus_write(XENBUS_NO_TXN, p,
			     !pf->owner		? "blocked"
			     : pf->dma_isolated ? "isolated"
						: "unsafe");
		if (!pf->assignable) {
			snprintf(p, sizeof(p), "%s/why-not", dir);
			xenbus_write(XENBUS_NO_TXN, p, pf->why_not);
		}
	}
}

/* ---- Start ----------------------------------------------------------- */

static bool parse_args(int argc, char **argv, uint64_t *base)
{
	*base = 0;
	ecam_buses = 1;
	for (int i = 1; i < argc; i++) {
		if (!strncmp(argv[i], "ecam=", 5))
			*base = strtoull(argv[i] + 5, NULL, 0);
		else if (!strncmp(argv[i], "buses=", 6))
			ecam_buses = (unsigned)strtoul(argv[i] + 6, NULL, 0);
	}
	return *base && !(*base & 0xfffff) && ecam_buses >= 1 &&
	       ecam_buses <= 256;
}

static void log_funcs(void)
{
	unsigned assignable = 0;

	for (unsigned i = 0; i < pci_func_count; i++) {
		const struct pci_func *pf = &pci_funcs[i];
		char bdf[16];

		pci_format_bdf(&pf->info.bdf, bdf, sizeof(bdf));
		printf("pciback: %s %04x:%04x class %06x pin %u gsi %u: %s%s\n",
		       bdf, pf->info.vendor, pf->info.device,
		       pf->info.class_rev >> 8, pf->info.pin, pf->info.gsi,
		       pf->assignable ? "assignable" : "kept: ", pf->why_not);
		for (int b = 0; b < PCI_BAR_COUNT; b++) {
			if (pf->info.bar[b].size)
				printf(
				    "pciback: %s BAR%d %s 0x%llx+0x%llx\n", bdf,
				    b, pf->info.bar[b].io ? "io" : "mem",
				    (unsigned long long)pf->info.bar[b].addr,
				    (unsigned long long)pf->info.bar[b].size);
		}
		assignable += pf->assignable;
		pciback_publish(pf);
	}
	printf("pciback: ready: %u functions, %u assignable\n", pci_func_count,
	       assignable);
}

int main(int argc, char **argv)
{
	uint64_t base;
	long err;
	char perms[16];
	int len;

	if (!parse_args(argc, argv, &base)) {
		printf("pciback: usage: pciback ecam=ADDR [buses=N]\n");
		return 1;
	}
	ecam = mmio_map(base, (uint64_t)ecam_buses * (PCI_ECAM_BUS_SIZE >> 12),
			&err);
	if (!ecam) {
		printf("pciback: cannot map ECAM at 0x%llx: %ld\n",
		       (unsigned long long)base, err);
		return 1;
	}
	pciback_self = (domid_t)xenbus_domid();
	/* Tools read the device list: everyone may. */
	len = snprintf(perms, sizeof(perms), "r%u", pciback_self) + 1;
	xenbus_mkdir(XENBUS_NO_TXN, "pciback");
	xenbus_set_perms(XENBUS_NO_TXN, "pciback", perms, (unsigned)len);
	enumerate();
	log_funcs();
	pciback_op_start();
	pciback_xs_start();
	pciback_xs_loop();
	return 0;
}
