// SPDX-License-Identifier: GPL-2.0-only
/* pciback's parsers of what other domains send: dev-N strings from the
 * XenStore and configuration requests from a frontend's shared page. No
 * crash, and the filter's verdicts keep their promises. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <rt/pci_regs.h>

#include "pci_logic.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pci_func_info f = {.cfg_size = PCI_CFG_SIZE,
				  .pin = 1,
				  .gsi = 20,
				  .msix_cap = 0x98,
				  .msi_cap = 0x50,
				  .msi_len = 24};
	struct pci_vstate vs = {0};
	char text[32];
	struct pci_bdf b;

	f.bar[4] = (struct pci_bar){0xfebf8000, 0x4000, 0xc, false, true};
	f.bar_raw[4] = 0xfebf800c;
	memcpy(text, data, size < sizeof(text) - 1 ? size : sizeof(text) - 1);
	text[size < sizeof(text) - 1 ? size : sizeof(text) - 1] = '\0';
	if (pci_parse_bdf(text, &b) && (b.dev > 0x1f || b.fn > 7))
		abort();
	for (size_t i = 0; i + 10 <= size; i += 10) {
		int32_t off, sz;
		uint32_t v, before;
		enum pci_cfg_verdict r;

		memcpy(&off, data + i, 4);
		memcpy(&v, data + i + 4, 4);
		sz = data[i + 8] % 8;
		before = v;
		r = data[i + 9] & 1 ? pci_cfg_read(&f, &vs, off, sz, &v)
				    : pci_cfg_write(&f, &vs, off, sz, &v);
		if (r != PCI_CFG_INVALID &&
		    (off < 0 || off + sz > f.cfg_size || !sz))
			abort();
		/* A BAR never passes a new address to the hardware. */
		if (!(data[i + 9] & 1) && r == PCI_CFG_PASS && off >= 0x10 &&
		    off < 0x28)
			abort();
		(void)before;
	}
	return 0;
}
