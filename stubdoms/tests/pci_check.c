// SPDX-License-Identifier: GPL-2.0-only
/*
 * pci_check: the PCI system test domain (tests/system/test_pci.py), on the
 * runtime's pcifront. It connects, then each time the backend attaches or
 * detaches functions it checks the new ones:
 *   - identity and BARs through configuration reads (BAR sizing emulated
 *     by pciback), a memory BAR mapped and read, an I/O BAR read;
 *   - the INTx line bound to an event channel;
 *   - what must be refused: moving a BAR, touching MSI/MSI-X, mapping the
 *     MSI-X table page or the ECAM window, writing pciback's XenStore;
 * and for those gone, that their mappings were revoked. Lines start with
 * "pci_check:"; failures with "VERDICT FAIL".
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <atoll/hypercall.h>
#include <atoll/mmio.h>
#include <rt/hypercall.h>
#include <rt/pci_regs.h>
#include <rt/pcifront.h>
#include <rt/rt.h>
#include <rt/thread.h>
#include <rt/xenbus.h>
#include <xen/errno.h>
#include <xen/io/pciif.h>
#include <rt/portio.h>

#define CHECK(cond)                                                            \
	do {                                                                   \
		if (!(cond)) {                                                 \
			printf("VERDICT FAIL pci_check: line %d: %s\n",        \
			       __LINE__, #cond);                               \
			exit(1);                                               \
		}                                                              \
	} while (0)

#define ECAM_BASE 0xb0000000ULL

struct seen {
	struct pcifront_dev dev;
	uint64_t mapped_va; /* a BAR mapping, 0 if none */
};

static struct seen seen[PCIFRONT_MAX_DEVS];
static unsigned seen_count;

static void bdf_text(const struct pcifront_dev *d, char *buf, size_t len)
{
	snprintf(buf, len, "%04x:%02x:%02x.%x", d->seg, d->bus,
		 PCI_SLOT(d->devfn), PCI_FUNC(d->devfn));
}

static long mmio_op(unsigned cmd, uint64_t phys, uint64_t pages, uint64_t *va)
{
	struct atoll_mmio_op op = {.phys = phys, .pages = pages, .va = *va};
	long rc = HC(__HYPERVISOR_atoll_mmio, cmd, &op, 0);

	*va = op.va;
	return rc;
}

/* The offset of capability id, or 0. */
static int find_cap(const struct pcifront_dev *d, unsigned id)
{
	uint32_t ptr, v;

	if (pcifront_conf_read(d, PCI_CAP_PTR, 1, &ptr))
		return 0;
	for (int n = 0; ptr >= PCI_HEADER_END && n < PCI_CAP_MAX; n++) {
		pcifront_conf_read(d, (int)ptr, 1, &v);
		if (v == id)
			return (int)ptr;
		pcifront_conf_read(d, (int)ptr + 1, 1, &ptr);
		ptr &= ~3u;
	}
	return 0;
}

/* Every hostile access is refused and changes nothing. */
static void check_refusals(const struct pcifront_dev *d, int bar_reg,
			   const char *bdf)
{
	uint32_t before, after, v;
	int msix = find_cap(d, PCI_CAP_ID_MSIX),
	    msi = find_cap(d, PCI_CAP_ID_MSI);
	uint64_t va = 0;
	char path[128];
	long be = 0;
	int rc;

	pcifront_conf_read(d, bar_reg, 4, &before);
	CHECK(pcifront_conf_write(d, bar_reg, 4, 0x10000000) ==
	      XEN_PCI_ERR_access_denied);
	pcifront_conf_read(d, bar_reg, 4, &after);
	CHECK(before == after);
	printf("pci_check: %s BAR move refused\n", bdf);
	if (msix) {
		pcifront_conf_read(d, msix + PCI_MSIX_FLAGS, 2, &v);
		CHECK(pcifront_conf_write(d, msix + PCI_MSIX_FLAGS, 2,
					  v | 0x8000) ==
		      XEN_PCI_ERR_access_denied);
		printf("pci_check: %s MSI-X enable refused\n", bdf);
	}
	if (msi) {
		CHECK(pcifront_conf_write(d, msi + 4, 4, 0xfee00000) ==
		      XEN_PCI_ERR_access_denied);
		printf("pci_check: %s MSI address refused\n", bdf);
	}
	CHECK(mmio_op(ATOLL_MMIOOP_map, ECAM_BASE, 1, &va) == -XEN_EPERM);
	printf("pci_check: %s ECAM not mappable\n", bdf);
	xenbus_read_int(XENBUS_NO_TXN, "device/pci/0/backend-id", &be);
	snprintf(path, sizeof(path), "/local/domain/%ld/backend/pci/%u/0/dev-7",
		 be, rt_domid);
	rc = xenbus_write(XENBUS_NO_TXN, path, "0000:00:1f.0");
	CHECK(rc == -EACCES);
	printf("pci_check: writing pciback's path refused (%s)\n",
	       strerror(-rc));
}

static void check_bars(const struct pcifront_dev *d, struct seen *s,
		       const char *bdf)
{
	struct pcifront_bar bars[PCI_BAR_COUNT] = {0};
	int mem_reg = 0;

	for (int i = 0; i < PCI_BAR_COUNT; i++) {
		CHECK(pcifront_bar(d, i, &bars[i]) == 0);
		if (bars[i].size)
			printf("pci_check: %s BAR%d %s 0x%llx size 0x%llx\n",
			       bdf, i, bars[i].io ? "io" : "mem",
			       (unsigned long long)bars[i].addr,
			       (unsigned long long)bars[i].size);
		if (bars[i].is64)
			i++;
	}
	CHECK(pcifront_enable(d, true) == 0);
	for (int i = PCI_BAR_COUNT - 1; i >= 0; i--) {
		long err;
		volatile void *p;

		if (!bars[i].size)
			continue;
		if (bars[i].io) {
			printf("pci_check: %s io BAR%d read 0x%x\n", bdf, i,
			       inl((uint16_t)bars[i].addr));
			continue;
		}
		p = pcifront_map_bar(&bars[i], &err);
		if (!p) {
			printf("pci_check: %s BAR%d not mappable (%ld)\n", bdf,
			       i, err);
			continue;
		}
		printf("pci_check: %s BAR%d mapped, reads 0x%x\n", bdf, i,
		       *(volatile uint32_t *)p);
		if (!s->mapped_va) {
			s->mapped_va = (uint64_t)(uintptr_t)p & ~0xfffULL;
			mem_reg = PCI_BAR0 + 4 * i;
		}
	}
	CHECK(mem_reg != 0);
	check_refusals(d, mem_reg, bdf);
}

static void check_new(const struct pcifront_dev *d)
{
	struct seen *s = &seen[seen_count++];
	evtchn_port_t port;
	char bdf[16];
	int rc;

	s->dev = *d;
	bdf_text(d, bdf, sizeof(bdf));
	printf("pci_check: %s %04x:%04x attached\n", bdf, d->vendor, d->device);
	check_bars(d, s, bdf);
	rc = pcifront_bind_intx(d, &port);
	CHECK(rc == 0);
	printf("pci_check: %s INTx bound to port %u\n", bdf, port);
	printf("pci_check: %s checks passed\n", bdf);
}

static bool listed(const struct pcifront_dev *list, unsigned n,
		   const struct pcifront_dev *d)
{
	for (unsigned i = 0; i < n; i++) {
		if (list[i].seg == d->seg && list[i].bus == d->bus &&
		    list[i].devfn == d->devfn)
			return true;
	}
	return false;
}

/*
 * A function leaves the frontend's list as soon as the backend says
 * Reconfiguring; pciback takes it (and revokes its mappings) only after
 * the frontend has answered. The reconfiguration is over when the backend
 * is Connected again.
 */
static void wait_reconfigured(void)
{
	char *be;

	if (xenbus_read(XENBUS_NO_TXN, "device/pci/0/backend", &be))
		return;
	CHECK(xenbus_wait_state(be, 1U << XenbusStateConnected,
				20000000000ULL) == XenbusStateConnected);
	free(be);
}

/* Functions gone since last time: their BAR mappings must be gone. */
static void check_gone(const struct pcifront_dev *now, unsigned n)
{
	for (unsigned i = 0; i < seen_count;) {
		char bdf[16];

		if (listed(now, n, &seen[i].dev)) {
			i++;
			continue;
		}
		bdf_text(&seen[i].dev, bdf, sizeof(bdf));
		if (seen[i].mapped_va) {
			uint64_t va = seen[i].mapped_va;

			wait_reconfigured();
			CHECK(mmio_op(ATOLL_MMIOOP_unmap, 0, 0, &va) ==
			      -XEN_EINVAL);
		}
		printf("pci_check: %s detached, mapping revoked\n", bdf);
		seen[i] = seen[--seen_count];
	}
}

int main(int argc, char **argv)
{
	struct pcifront_dev devs[PCIFRONT_MAX_DEVS];
	unsigned gen = 0;
	int rc;

	(void)argc, (void)argv;
	rc = pcifront_connect(600000000000ULL);
	if (rc) {
		printf("VERDICT FAIL pci_check: pcifront_connect: %d\n", rc);
		return 1;
	}
	printf("pci_check: pcifront connected\n");
	for (;;) {
		unsigned n = pcifront_devices(devs, PCIFRONT_MAX_DEVS);

		if (pcifront_generation() != gen) {
			gen = pcifront_generation();
			check_gone(devs, n);
			for (unsigned i = 0; i < n; i++) {
				bool known = false;

				for (unsigned j = 0; j < seen_count; j++)
					known |=
					    listed(&seen[j].dev, 1, &devs[i]);
				if (!known)
					check_new(&devs[i]);
			}
			printf("pci_check: %u devices\n", n);
		}
		rt_sleep_ns(50000000);
	}
}
