// SPDX-License-Identifier: GPL-2.0-only
/*
 * PCI device assignment and DMA isolation (docs/iommu.md), on an e1000e at
 * 00:04.0 that the system test adds to QEMU. The argument says what to do:
 *   flag <0|1> [peer]  with device-assign: hostile calls, then assigns the
 *                      NIC to itself (and to peer, and back), expecting
 *                      ATOLL_ASSIGN_DMA_ISOLATED == <0|1>; ends holding it
 *                      (its death must block it)
 *   nocap              without device-assign: EPERM
 *   dma                with device-assign, the PCI config ports and the
 *                      NIC's I/O ports, under VT-d: drives the NIC's own
 *                      DMA (a frame sent in loopback and received) at its
 *                      RAM, then at an address outside it, at a frame it
 *                      gave back, at the frame populated again, and once
 *                      deassigned. The faults are judged from the core's
 *                      log by the test.
 */
#include "tdom.h"
#include <atoll/domctl.h>
#include <atoll/hypercall.h>
#include <xen/memory.h>
#include <rt/portio.h>

#define NIC_DEV	    4
#define NIC_SBDF    ATOLL_PCI_SBDF(0, 0, NIC_DEV, 0)
#define ABSENT_SBDF ATOLL_PCI_SBDF(0, 0, 0x17, 0)
#define OUTSIDE_RAM 0x40000000ULL /* 1 GiB: far above the domain's RAM */
#define WAIT_NS	    2000000000ULL

/* ---- domctl -------------------------------------------------------------- */

static long device_op(uint32_t cmd, domid_t d, uint32_t sbdf, uint32_t *flags)
{
	struct atoll_domctl op = {.cmd = cmd, .domain = d};
	long rc;

	op.interface_version = ATOLL_DOMCTL_INTERFACE_VERSION;
	op.u.assign_device.machine_sbdf = sbdf;
	op.u.assign_device.flags = flags ? *flags : 0;
	rc = HC(__HYPERVISOR_atoll_domctl, &op, 0, 0);
	if (flags)
		*flags = op.u.assign_device.flags;
	return rc;
}

static long assign(domid_t d, uint32_t sbdf, uint32_t *flags)
{
	*flags = 0;
	return device_op(ATOLL_DOMCTL_assign_device, d, sbdf, flags);
}

static long deassign(domid_t d, uint32_t sbdf)
{
	return device_op(ATOLL_DOMCTL_deassign_device, d, sbdf, NULL);
}

static unsigned parse_uint(const char *s)
{
	unsigned v = 0;

	while (*s >= '0' && *s <= '9')
		v = v * 10 + (unsigned)(*s++ - '0');
	return v;
}

static const char *next_word(const char *s)
{
	while (*s && *s != ' ')
		s++;
	while (*s == ' ')
		s++;
	return s;
}

static bool is(const char *a, const char *b)
{
	while (*b && *a == *b) {
		a++;
		b++;
	}
	return !*b && (!*a || *a == ' ');
}

/* ---- flag / nocap -------------------------------------------------------- */

static void hostile(void)
{
	uint32_t flags = 1;

	CHECK_EQ(
	    device_op(ATOLL_DOMCTL_assign_device, DOMID_SELF, NIC_SBDF, &flags),
	    -XEN_EINVAL);
	CHECK_EQ(assign(DOMID_SELF, ABSENT_SBDF, &flags), -XEN_ENODEV);
	CHECK_EQ(assign(DOMID_SELF, ATOLL_PCI_SBDF(1, 0, NIC_DEV, 0), &flags),
		 -XEN_ENODEV);
	CHECK_EQ(assign(60, NIC_SBDF, &flags), -XEN_ESRCH);
	CHECK_EQ(deassign(60, NIC_SBDF), -XEN_ESRCH);
	CHECK_EQ(deassign(DOMID_SELF, NIC_SBDF), -XEN_EINVAL);
	CHECK_EQ(deassign(DOMID_SELF, ABSENT_SBDF), -XEN_EINVAL);
}

static void flag_test(uint32_t want, domid_t peer)
{
	uint32_t flags;

	hostile();
	CHECK_EQ(assign(DOMID_SELF, NIC_SBDF, &flags), 0);
	CHECK_EQ(flags, want);
	/* Again: nothing changes. */
	CHECK_EQ(assign(DOMID_SELF, NIC_SBDF, &flags), 0);
	CHECK_EQ(flags, want);
	CHECK_EQ(deassign(DOMID_SELF, NIC_SBDF), 0);
	CHECK_EQ(deassign(DOMID_SELF, NIC_SBDF), -XEN_EINVAL);
	if (peer) {
		CHECK_EQ(assign(DOMID_SELF, NIC_SBDF, &flags), 0);
		/* Moves it: the peer holds it, we no longer do. */
		CHECK_EQ(assign(peer, NIC_SBDF, &flags), 0);
		CHECK_EQ(flags, want);
		CHECK_EQ(deassign(DOMID_SELF, NIC_SBDF), -XEN_EINVAL);
		CHECK_EQ(deassign(peer, NIC_SBDF), 0);
	}
	CHECK_EQ(assign(DOMID_SELF, NIC_SBDF, &flags), 0);
	CHECK_EQ(flags, want);
	tprintf("assigned 00:%02x.0 to itself, isolated %u; exiting with it\n",
		NIC_DEV, flags);
}

static void nocap_test(void)
{
	uint32_t flags;

	CHECK_EQ(assign(DOMID_SELF, NIC_SBDF, &flags), -XEN_EPERM);
	CHECK_EQ(deassign(DOMID_SELF, NIC_SBDF), -XEN_EPERM);
}

/* ---- dma: the NIC's own DMA --------------------------------------------- */

#define PCI_ADDR	   0xcf8
#define PCI_DATA	   0xcfc
#define PCI_COMMAND	   0x04
#define PCI_COMMAND_IO	   0x1
#define PCI_COMMAND_MASTER 0x4
#define PCI_BAR2	   0x18
#define PCI_BAR_IO	   0x1

/* e1000e registers (82574), through the I/O BAR's IOADDR/IODATA window. */
#define NIC_IOADDR   0
#define NIC_IODATA   4
#define REG_CTRL     0x0000
#define REG_STATUS   0x0008
#define REG_IMC	     0x00d8
#define REG_RCTL     0x0100
#define REG_TCTL     0x0400
#define REG_RDBAL    0x2800
#define REG_RDBAH    0x2804
#define REG_RDLEN    0x2808
#define REG_RDH	     0x2810
#define REG_RDT	     0x2818
#define REG_TDBAL    0x3800
#define REG_TDBAH    0x3804
#define REG_TDLEN    0x3808
#define REG_TDH	     0x3810
#define REG_TDT	     0x3818
#define CTRL_RST     (1U << 26)
#define STATUS_LU    (1U << 1)
#define RCTL_EN	     (1U << 1)
#define RCTL_UPE     (1U << 3)
#define RCTL_MPE     (1U << 4)
#define RCTL_LBM_MAC (1U << 6)
#define RCTL_BAM     (1U << 15)
#define RCTL_SECRC   (1U << 26)
#define TCTL_EN	     (1U << 1)
#define TCTL_PSP     (1U << 3)
#define TXD_EOP	     0x01
#define TXD_IFCS     0x02
#define TXD_RS	     0x08
#define DESC_DD	     0x01
#define RING	     8
#define FRAME_LEN    60

struct tx_desc {
	uint64_t addr;
	uint16_t length;
	uint8_t cso, cmd, status, css;
	uint16_t special;
};

struct rx_desc {
	uint64_t addr;
	uint16_t length, csum;
	uint8_t status, errors;
	uint16_t special;
};

/* DMA memory: VA = pseudo-physical address = the device's DMA address. */
static volatile struct tx_desc txring[RING] __attribute__((aligned(4096)));
static volatile struct rx_desc rxring[RING] __attribute__((aligned(4096)));
static uint8_t txbuf[4096] __attribute__((aligned(4096)));
static volatile uint8_t rxbuf[4096] __attribute__((aligned(4096)));
static uint16_t nic_io;

static uint32_t pci_read(uint8_t reg)
{
	outl(PCI_ADDR, 0x80000000U | NIC_DEV << 11 | reg);
	return inl(PCI_DATA);
}

static void pci_write(uint8_t reg, uint32_t v)
{
	outl(PCI_ADDR, 0x80000000U | NIC_DEV << 11 | reg);
	outl(PCI_DATA, v);
}

static uint32_t nic_rd(uint32_t reg)
{
	outl(nic_io + NIC_IOADDR, reg);
	return inl(nic_io + NIC_IODATA);
}

static void nic_wr(uint32_t reg, uint32_t v)
{
	outl(nic_io + NIC_IOADDR, reg);
	outl(nic_io + NIC_IODATA, v);
}

static uint64_t dma_addr(const volatile void *p)
{
	return (uint64_t)(uintptr_t)p; /* identity: VA == pseudo-physical */
}

static bool wait_dd(volatile uint8_t *status)
{
	uint64_t end = tdom_now_ns() + WAIT_NS;

	while (!(*status & DESC_DD)) {
		if (tdom_now_ns() > end)
			return false;
		tdom_yield();
	}
	return true;
}

static void nic_setup(void)
{
	uint32_t bar = pci_read(PCI_BAR2);
	uint64_t end;

	CHECK_EQ(pci_read(0) & 0xffff, 0x8086);
	CHECK(bar & PCI_BAR_IO);
	nic_io = (uint16_t)(bar & ~3U);
	tprintf("NIC I/O ports at 0x%x\n", nic_io);
	pci_write(PCI_COMMAND, (pci_read(PCI_COMMAND) & 0xffff) |
				   PCI_COMMAND_IO | PCI_COMMAND_MASTER);
	nic_wr(REG_CTRL, nic_rd(REG_CTRL) | CTRL_RST);
	tdom_sleep_ns(10000000ULL);
	nic_wr(REG_IMC, 0xffffffffU);
	end = tdom_now_ns() + WAIT_NS;
	while (!(nic_rd(REG_STATUS) & STATUS_LU) && tdom_now_ns() < end)
		tdom_sleep_ns(10000000ULL);
	nic_wr(REG_TDBAL, (uint32_t)dma_addr(txring));
	nic_wr(REG_TDBAH, 0);
	nic_wr(REG_TDLEN, sizeof(txring));
	nic_wr(REG_TDH, 0);
	nic_wr(REG_TDT, 0);
	nic_wr(REG_RDBAL, (uint32_t)dma_addr(rxring));
	nic_wr(REG_RDBAH, 0);
	nic_wr(REG_RDLEN, sizeof(rxring));
	nic_wr(REG_RDH, 0);
	nic_wr(REG_RDT, 0);
	nic_wr(REG_RCTL, RCTL_EN | RCTL_UPE | RCTL_MPE | RCTL_BAM | RCTL_SECRC |
			     RCTL_LBM_MAC);
	nic_wr(REG_TCTL, TCTL_EN | TCTL_PSP);
}

/*
 * Slot i: receive buffer at rx_at, send txbuf; waits for both descriptors
 * to come back done (the NIC writes them back into our RAM).
 */
static void loop_one(unsigned i, uint64_t rx_at)
{
	rxring[i] = (struct rx_desc){.addr = rx_at};
	txring[i] = (struct tx_desc){.addr = dma_addr(txbuf),
				     .length = FRAME_LEN,
				     .cmd = TXD_EOP | TXD_IFCS | TXD_RS};
	__asm__ volatile("mfence" : : : "memory");
	nic_wr(REG_RDT, i + 1);
	nic_wr(REG_TDT, i + 1);
	if (!wait_dd(&txring[i].status))
		tdom_fail("slot %u: transmit descriptor not written back", i);
	if (!wait_dd(&rxring[i].status))
		tdom_fail("slot %u: receive descriptor not written back", i);
}

static bool rxbuf_is_frame(void)
{
	for (unsigned i = 0; i < FRAME_LEN; i++) {
		if (rxbuf[i] != txbuf[i])
			return false;
	}
	return true;
}

static long reservation(unsigned cmd, xen_pfn_t gpfn)
{
	struct xen_memory_reservation r = {
	    .nr_extents = 1, .extent_order = 0, .domid = DOMID_SELF};

	r.extent_start = (uint64_t)&gpfn;
	return HC(__HYPERVISOR_memory_op, cmd, &r, 0);
}

static void dma_test(void)
{
	uint32_t flags;
	xen_pfn_t rx_gpfn = dma_addr(rxbuf) >> 12;

	CHECK_EQ(assign(DOMID_SELF, NIC_SBDF, &flags), 0);
	CHECK_EQ(flags, ATOLL_ASSIGN_DMA_ISOLATED);
	for (unsigned i = 0; i < FRAME_LEN; i++)
		txbuf[i] = (uint8_t)(i < 12 ? 0xff : 0x40 + i);
	nic_setup();
	/* 1: its own RAM, through the IOMMU: read and written. */
	loop_one(0, dma_addr(rxbuf));
	CHECK(rxbuf_is_frame());
	tprintf("DMA within its RAM: frame looped back\n");
	/* 2: outside its RAM: the write faults. */
	tprintf("DMA write to 0x%llx (outside its RAM)\n",
		(unsigned long long)OUTSIDE_RAM);
	loop_one(1, OUTSIDE_RAM);
	/* 3: a frame given back is no longer reachable. */
	CHECK_EQ(reservation(XENMEM_decrease_reservation, rx_gpfn), 1);
	tprintf("DMA write to 0x%llx (given back)\n",
		(unsigned long long)dma_addr(rxbuf));
	loop_one(2, dma_addr(rxbuf));
	/* 4: populated again (a fresh frame): reachable again. */
	CHECK_EQ(reservation(XENMEM_populate_physmap, rx_gpfn), 1);
	CHECK_EQ(rxbuf[0], 0); /* fresh and zeroed: nothing landed */
	loop_one(3, dma_addr(rxbuf));
	CHECK(rxbuf_is_frame());
	tprintf("DMA after populate: frame looped back\n");
	/* 5: deassigned: blocked, even its descriptor reads. */
	CHECK_EQ(deassign(DOMID_SELF, NIC_SBDF), 0);
	tprintf("DMA after deassign\n");
	txring[4] = (struct tx_desc){0};
	nic_wr(REG_TDT, 5);
	tdom_sleep_ns(100000000ULL);
	nic_wr(REG_TCTL, 0);
	nic_wr(REG_RCTL, 0);
}

int tmain(const char *args)
{
	if (is(args, "flag")) {
		const char *a = next_word(args);

		flag_test(parse_uint(a), (domid_t)parse_uint(next_word(a)));
	} else if (is(args, "nocap")) {
		nocap_test();
	} else if (is(args, "dma")) {
		dma_test();
	} else {
		tdom_fail("unknown mode '%s'", args);
	}
	return 0;
}
