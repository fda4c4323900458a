/* SPDX-License-Identifier: GPL-2.0-only */
/* Boot domains from the boot manifest (docs/manifest.md). */
#ifndef ATOLL_BOOTMANIFEST_H
#define ATOLL_BOOTMANIFEST_H

#include <atoll/bootmod.h>

/* True if the first boot module is a flattened device tree. */
bool bootmanifest_present(const struct boot_module_desc *mods, unsigned count);

/*
 * Reads the manifest (module 0), checks it, every module's hash and every
 * domain's configuration, and only if all of that holds builds and starts
 * the domains in dependency order. Returns false, having printed every
 * problem and started nothing, otherwise.
 */
bool bootmanifest_start(const struct boot_module_desc *mods,
			unsigned count) __must_check;

#endif
