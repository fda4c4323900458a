/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The boot modules, kept for the life of the system and shown read-only to
 * the toolstack (domains holding domctl) at ATOLL_BOOT_MODULES_VA: it reads
 * the manifest there and builds or restarts domains from the images.
 */
#ifndef ATOLL_BOOTMODULES_H
#define ATOLL_BOOTMODULES_H

#include <atoll/bootmod.h>
#include <atoll/domain.h>

/* Records the modules the boot loader gave (their memory is never freed). */
void boot_modules_publish(const struct boot_module_desc *mods, unsigned count);
/* Maps the table and every module into d, read-only; sets *table_pa to
 * the table's frame (d's to free). False if out of memory. */
bool boot_modules_map(struct domain *d, paddr_t *table_pa) __must_check;

#endif
