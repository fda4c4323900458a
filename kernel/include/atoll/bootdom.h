/* SPDX-License-Identifier: GPL-2.0-only */
/* Boot domains from module arguments (until the manifest, issue 4). */
#ifndef ATOLL_BOOTDOM_H
#define ATOLL_BOOTDOM_H

#include <atoll/addr.h>

struct boot_module_desc {
	paddr_t start;
	size_t size;
	const char *args;
};

void bootdom_create_all(const struct boot_module_desc *mods, unsigned count);

#endif
