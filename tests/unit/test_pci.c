// SPDX-License-Identifier: GPL-2.0-only
/*
 * pciback's pure logic (pciback-dom/pci_logic.c): the BDF strings other
 * domains write in the XenStore, and the configuration-space filter
 * between a frontend and its device.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <rt/pci_regs.h>

#include "pci_logic.h"

static void bdf_good(void **state)
{
	struct pci_bdf b;
	char buf[16];

	assert_true(pci_parse_bdf("0000:00:03.0", &b));
	assert_int_equal(b.seg, 0);
	assert_int_equal(b.bus, 0);
	assert_int_equal(b.dev, 3);
	assert_int_equal(b.fn, 0);
	assert_true(pci_parse_bdf("1:Ab:1f.7", &b));
	assert_int_equal(b.seg, 1);
	assert_int_equal(b.bus, 0xab);
	assert_int_equal(b.dev, 0x1f);
	assert_int_equal(b.fn, 7);
	/* Linux's pciback writes vdev-N with a two-digit function. */
	assert_true(pci_parse_bdf("0000:00:04.01", &b));
	assert_int_equal(b.fn, 1);
	pci_format_bdf(&b, buf, sizeof(buf));
	assert_string_equal(buf, "0000:00:04.1");
}

static void bdf_bad(void **state)
{
	static const char *const bad[] = {
	    "",
	    "zz:1",
	    "0000:00:03",
	    "0000:00:03.",
	    "0000:00:20.0",
	    "0000:00:03.8",
	    "00000:00:03.0",
	    "0000:000:03.0",
	    "0000:00:03.0 ",
	    "0000:00:03.0x",
	    ":00:03.0",
	    "0000::03.0",
	    "0000:00:.0",
	    "-1:00:03.0",
	    "0000:00:03.008",
	};
	struct pci_bdf b;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_false(pci_parse_bdf(bad[i], &b));
	assert_false(pci_parse_bdf(NULL, &b));
}

/* A virtio-net-like function: I/O BAR0, MSI-X BAR1, 64-bit BAR4. */
static struct pci_func_info info(void)
{
	struct pci_func_info f = {.cfg_size = PCI_CFG_SIZE,
				  .pin = 1,
				  .gsi = 23,
				  .msix_cap = 0x98,
				  .msi_cap = 0x50,
				  .msi_len = 14};

	f.bar[0] = (struct pci_bar){0xc0c0, 0x20, PCI_BAR_IO, true, false};
	f.bar_raw[0] = 0xc0c1;
	f.bar[1] = (struct pci_bar){0xfebc0000, 0x1000, 0, false, false};
	f.bar_raw[1] = 0xfebc0000;
	f.bar[4] = (struct pci_bar){0xfebf8000, 0x4000, 0xc, false, true};
	f.bar_raw[4] = 0xfebf800c;
	f.bar_raw[5] = 0;
	return f;
}

static void bar_sizing_emulated(void **state)
{
	struct pci_func_info f = info();
	struct pci_vstate vs = {0};
	uint32_t v = 0xffffffff;

	assert_int_equal(pci_cfg_write(&f, &vs, 0x20, 4, &v), PCI_CFG_EMULATED);
	assert_int_equal(pci_cfg_read(&f, &vs, 0x20, 4, &v), PCI_CFG_EMULATED);
	assert_int_equal(v, 0xffffc00c);
	v = 0xffffffff;
	assert_int_equal(pci_cfg_write(&f, &vs, 0x24, 4, &v), PCI_CFG_EMULATED);
	assert_int_equal(pci_cfg_read(&f, &vs, 0x24, 4, &v), PCI_CFG_EMULATED);
	assert_int_equal(v, 0xffffffff); /* upper half of a 16 KiB BAR */
	v = 0xffffffff;
	pci_cfg_write(&f, &vs, 0x10, 4, &v);
	assert_int_equal(pci_cfg_read(&f, &vs, 0x10, 4, &v), PCI_CFG_EMULATED);
	assert_int_equal(v, 0xffffffe1);
	/* Restoring the address it has ends sizing; reads go to hardware. */
	v = 0xfebf800c;
	assert_int_equal(pci_cfg_write(&f, &vs, 0x20, 4, &v), PCI_CFG_EMULATED);
	assert_int_equal(pci_cfg_read(&f, &vs, 0x20, 4, &v), PCI_CFG_PASS);
}

static void bar_moves_refused(void **state)
{
	struct pci_func_info f = info();
	struct pci_vstate vs = {0};
	uint32_t v = 0x10000000;

	assert_int_equal(pci_cfg_write(&f, &vs, 0x20, 4, &v), PCI_CFG_DENIED);
	v = 0xfe00;
	assert_int_equal(pci_cfg_write(&f, &vs, 0x20, 2, &v), PCI_CFG_DENIED);
	v = 1;
	assert_int_equal(pci_cfg_write(&f, &vs, 0x24, 4, &v), PCI_CFG_DENIED);
	v = 0;
	assert_int_equal(pci_cfg_write(&f, &vs, 0x10, 4, &v), PCI_CFG_DENIED);
}

static void msi_refused(void **state)
{
	struct pci_func_info f = info();
	struct pci_vstate vs = {.master_ok = true};
	uint32_t v = 0xfee00000;

	assert_int_equal(pci_cfg_write(&f, &vs, 0x54, 4, &v), PCI_CFG_DENIED);
	v = 0x8000;
	assert_int_equal(pci_cfg_write(&f, &vs, 0x9a, 2, &v), PCI_CFG_DENIED);
	assert_int_equal(pci_cfg_write(&f, &vs, 0x98, 4, &v), PCI_CFG_DENIED);
	/* The capability list itself stays readable. */
	assert_int_equal(pci_cfg_read(&f, &vs, 0x98, 4, &v), PCI_CFG_PASS);
	/* Past the MSI capability: a device register, passed. */
	assert_int_equal(pci_cfg_write(&f, &vs, 0x60, 4, &v), PCI_CFG_PASS);
}

static void command_filtered(void **state)
{
	struct pci_func_info f = info();
	struct pci_vstate vs = {0};
	uint32_t v = PCI_COMMAND_MASTER | PCI_COMMAND_MEMORY;

	/* No bus mastering before the owner is set up. */
	assert_int_equal(pci_cfg_write(&f, &vs, PCI_COMMAND, 2, &v),
			 PCI_CFG_DENIED);
	vs.master_ok = true;
	v = 0xffff;
	assert_int_equal(pci_cfg_write(&f, &vs, PCI_COMMAND, 2, &v),
			 PCI_CFG_PASS);
	assert_int_equal(v, PCI_COMMAND_IO | PCI_COMMAND_MEMORY |
				PCI_COMMAND_MASTER | PCI_COMMAND_INTX_DISABLE);
	v = 0xff; /* the upper byte alone: only INTx disable */
	assert_int_equal(pci_cfg_write(&f, &vs, PCI_COMMAND + 1, 1, &v),
			 PCI_CFG_PASS);
	assert_int_equal(v, PCI_COMMAND_INTX_DISABLE >> 8);
	v = 0xffffffff; /* command + status: status bits clear */
	assert_int_equal(pci_cfg_write(&f, &vs, PCI_COMMAND, 4, &v),
			 PCI_CFG_PASS);
	assert_int_equal(v & 0xffff0000, 0xffff0000);
}

static void header_fields(void **state)
{
	struct pci_func_info f = info();
	struct pci_vstate vs = {0};
	uint32_t v = 0x1234;

	assert_int_equal(pci_cfg_write(&f, &vs, PCI_VENDOR_ID, 2, &v),
			 PCI_CFG_DENIED);
	assert_int_equal(pci_cfg_write(&f, &vs, PCI_CAP_PTR, 1, &v),
			 PCI_CFG_DENIED);
	assert_int_equal(pci_cfg_write(&f, &vs, PCI_BIST, 1, &v),
			 PCI_CFG_DENIED);
	assert_int_equal(pci_cfg_write(&f, &vs, PCI_ROM_ADDRESS, 4, &v),
			 PCI_CFG_IGNORED);
	assert_int_equal(pci_cfg_read(&f, &vs, PCI_ROM_ADDRESS, 4, &v),
			 PCI_CFG_EMULATED);
	assert_int_equal(v, 0);
	assert_int_equal(pci_cfg_write(&f, &vs, PCI_INTERRUPT_LINE, 1, &v),
			 PCI_CFG_IGNORED);
	assert_int_equal(pci_cfg_write(&f, &vs, PCI_LATENCY, 1, &v),
			 PCI_CFG_PASS);
	/* Interrupt Line shows the GSI, the rest of the dword is kept. */
	assert_int_equal(pci_cfg_read_fixup(&f, 0x3c, 4, 0x0000010b), 0x117);
	assert_int_equal(pci_cfg_read_fixup(&f, 0x3c, 1, 0x0b), 23);
	assert_int_equal(pci_cfg_read_fixup(&f, 0x3d, 1, 0x01), 0x01);
}

static void bad_accesses(void **state)
{
	struct pci_func_info f = info();
	struct pci_vstate vs = {0};
	uint32_t v = 0;

	assert_int_equal(pci_cfg_read(&f, &vs, 0x101, 1, &v), PCI_CFG_INVALID);
	assert_int_equal(pci_cfg_read(&f, &vs, 0xfe, 4, &v), PCI_CFG_INVALID);
	assert_int_equal(pci_cfg_read(&f, &vs, 0x11, 2, &v), PCI_CFG_INVALID);
	assert_int_equal(pci_cfg_read(&f, &vs, 0, 3, &v), PCI_CFG_INVALID);
	assert_int_equal(pci_cfg_read(&f, &vs, -4, 4, &v), PCI_CFG_INVALID);
	assert_int_equal(pci_cfg_write(&f, &vs, 0x100, 4, &v), PCI_CFG_INVALID);
	f.cfg_size = PCI_CFG_SIZE_EXT;
	assert_int_equal(pci_cfg_read(&f, &vs, 0x100, 4, &v), PCI_CFG_PASS);
}

static void q35_routing(void **state)
{
	assert_int_equal(pci_q35_gsi(0, 3, 1), 23);
	assert_int_equal(pci_q35_gsi(0, 4, 1), 20);
	assert_int_equal(pci_q35_gsi(0, 4, 2), 21);
	assert_int_equal(pci_q35_gsi(0, 0x1f, 1), 0);
	assert_int_equal(pci_q35_gsi(1, 3, 1), 0);
	assert_int_equal(pci_q35_gsi(0, 3, 0), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(bdf_good),
	    cmocka_unit_test(bdf_bad),
	    cmocka_unit_test(bar_sizing_emulated),
	    cmocka_unit_test(bar_moves_refused),
	    cmocka_unit_test(msi_refused),
	    cmocka_unit_test(command_filtered),
	    cmocka_unit_test(header_fields),
	    cmocka_unit_test(bad_accesses),
	    cmocka_unit_test(q35_routing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
