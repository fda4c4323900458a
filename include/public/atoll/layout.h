/* SPDX-License-Identifier: MIT */
/*
 * A domain's address space and entry state under Atoll.
 *
 * Domains run in ring 3 in the lower half, in page tables the hypervisor
 * builds and owns. Every page a domain can reach is mapped at the virtual
 * address equal to its pseudo-physical address, so "frame number" and
 * "address >> 12" mean the same thing everywhere in the ABI:
 *
 *   0x0000000000000000  page 0: never mapped (null pointers fault)
 *   0x0000000000001000  RAM: frames 1 .. populated, upwards
 *   0x00007c0000000000  MMIO window, 1 GiB: delegated device MMIO
 *   0x00007d0000000000  boot modules, 1 GiB, read-only: for domctl holders
 *   0x00007e0000000000  grant window, 1 GiB: GNTTABOP_map_grant_ref targets
 *   0x00007f0000000000  special pages: start_info, shared_info, then the
 *                       grant table frames
 *
 * The XenStore ring is not a special page: as in Xen's PV builder it is a
 * RAM frame, the top one (start_info.store_mfn), so that it can be granted
 * (grant entries hold 32-bit frame numbers) under GNTTAB_RESERVED_XENSTORE.
 *   0x0000800000000000  end of the lower half; the hypervisor is above
 *
 * Details and rationale: docs/abi.md, "Address space".
 */
#ifndef ATOLL_PUBLIC_LAYOUT_H
#define ATOLL_PUBLIC_LAYOUT_H

#include <stdint.h>

#define ATOLL_PAGE_SHIFT 12
#define ATOLL_PAGE_SIZE	 (1ULL << ATOLL_PAGE_SHIFT)

/* RAM starts at frame 1; frame 0 is never populated nor mapped. */
#define ATOLL_RAM_BASE	0x0000000000001000ULL
/* RAM (populated frames) must lie below this. */
#define ATOLL_RAM_LIMIT 0x00007c0000000000ULL

/* Delegated MMIO ranges are mapped here (uncached). */
#define ATOLL_MMIO_WINDOW_BASE 0x00007c0000000000ULL
#define ATOLL_MMIO_WINDOW_SIZE 0x0000000040000000ULL

/*
 * Domains holding the domctl capability (the toolstack) see the boot
 * modules here, read-only: first a struct atoll_boot_modules page, then
 * each module at the address its entry gives. Module 0 is the manifest
 * when the system booted from one. start_info.mod_start is this address
 * and mod_len the table's size; other domains get 0.
 */
#define ATOLL_BOOT_MODULES_VA	   0x00007d0000000000ULL
#define ATOLL_BOOT_MODULES_SIZE	   0x0000000040000000ULL
#define ATOLL_BOOT_MODULES_MAX	   32
#define ATOLL_BOOT_MODULE_ARGS_LEN 96

struct atoll_boot_module {
	uint64_t addr; /* where it is mapped, not page-aligned in general */
	uint64_t size; /* bytes */
	char args[ATOLL_BOOT_MODULE_ARGS_LEN]; /* the boot loader's string */
};

struct atoll_boot_modules {
	uint32_t count;
	uint32_t pad;
	struct atoll_boot_module mods[ATOLL_BOOT_MODULES_MAX];
};
_Static_assert(sizeof(struct atoll_boot_modules) <= ATOLL_PAGE_SIZE,
	       "one page");

/* GNTTABOP_map_grant_ref host_addr must be a page of this window. */
#define ATOLL_GRANT_WINDOW_BASE 0x00007e0000000000ULL
#define ATOLL_GRANT_WINDOW_SIZE 0x0000000040000000ULL

/* Pages the hypervisor provides, each at a fixed address. */
#define ATOLL_SPECIAL_BASE	0x00007f0000000000ULL
#define ATOLL_START_INFO_VA	(ATOLL_SPECIAL_BASE + 0x0000)
#define ATOLL_SHARED_INFO_VA	(ATOLL_SPECIAL_BASE + 0x1000)
/* The domain's grant table frames, after GNTTABOP_setup_table. */
#define ATOLL_GNTTAB_VA		(ATOLL_SPECIAL_BASE + 0x10000)
#define ATOLL_GNTTAB_MAX_FRAMES 32

/* First address above what a domain may use: the upper half begins. */
#define ATOLL_DOMAIN_VA_LIMIT 0x0000800000000000ULL

/*
 * Bytes below the interrupted rsp that an upcall leaves untouched: the
 * System V x86_64 red zone, so domains may be compiled with it.
 */
#define ATOLL_RED_ZONE 128

/*
 * The frame the hypervisor pushes on the domain's stack for an event
 * upcall: Xen's x86_64 PV bounce frame without an error code. With r the
 * interrupted rsp, the frame is written at ((r - ATOLL_RED_ZONE) & ~15) -
 * sizeof(frame), events are masked, and the event callback starts with rsp
 * pointing at rcx.
 *
 * cs carries, in bits 32-39, the evtchn_upcall_mask the vCPU had before the
 * upcall; rflags.IF is its inverse. Popping rcx and r11 leaves a hardware
 * iretq frame. To return, push flags (0) and then rcx, r11 and rax to form
 * a struct iret_context and make HYPERVISOR_iret.
 */
struct atoll_bounce_frame {
	uint64_t rcx;
	uint64_t r11;
	uint64_t rip;
	uint64_t cs; /* bits 0-15: selector; 32-39: saved upcall mask */
	uint64_t rflags;
	uint64_t rsp;
	uint64_t ss;
};
_Static_assert(sizeof(struct atoll_bounce_frame) == 56, "Xen x86_64 frame");

#define ATOLL_BOUNCE_CS_MASK_SHIFT 32

#endif
