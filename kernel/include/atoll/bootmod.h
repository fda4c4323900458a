/* SPDX-License-Identifier: GPL-2.0-only */
/* A boot module as the boot loader (or vmctl image pack) handed it over. */
#ifndef ATOLL_BOOTMOD_H
#define ATOLL_BOOTMOD_H

#include <atoll/addr.h>

struct boot_module_desc {
	paddr_t start;
	size_t size;
	const char *args;
};

#endif
