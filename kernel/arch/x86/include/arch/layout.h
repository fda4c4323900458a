/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The core's virtual address layout. Safe to include from assembly and from
 * the linker script (only #defines outside the C guard).
 *
 *   0x0000000000000000 - 0x00007fffffffffff  domains (lower half, ring 3)
 *   0xffff800000000000 - 0xffffbfffffffffff  direct map of RAM (64 TiB max)
 *   0xffffc00000000000 - 0xffffc07fffffffff  MMIO mappings (ioremap)
 *   0xffffffff80000000 - 0xffffffffffffffff  the core image (-mcmodel=kernel)
 *
 * The kernel half's PML4 entries (256, 384, 511) are created once at boot and
 * never change, so every domain's page tables can share them by copying.
 */
#ifndef ARCH_LAYOUT_H
#define ARCH_LAYOUT_H

#define KERNEL_PHYS_BASE 0x100000
#define KERNEL_VBASE	 0xffffffff80000000
#define DIRECTMAP_BASE	 0xffff800000000000
#define DIRECTMAP_SIZE	 0x0000400000000000
#define MMIO_VBASE	 0xffffc00000000000
#define MMIO_VSIZE	 0x0000008000000000

/* The boot page tables identity-map (and direct-map) this much. */
#define BOOT_MAPPED_LIMIT 0x100000000

#define BOOT_STACK_SIZE 0x4000

#endif
