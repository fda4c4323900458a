/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Packed boot modules: a core image that carries its own modules, for
 * loaders that take none (QEMU's multiboot1 -kernel). `vmctl image pack`
 * appends one PT_LOAD segment to atoll32.elf holding the manifest blob, the
 * domain images and a few strings (the "packed region"), and fills in the
 * descriptor below, which the core's image reserves in its own section
 * (.atoll_packed, found by name in the ELF file). At boot, when the loader
 * passed no modules, the multiboot reader presents the packed modules as if
 * the loader had (kernel/arch/x86/multiboot.c, boot_info_add_packed()).
 * docs/images.md describes the flow.
 *
 * The layout is shared with the host tool, so this header needs only
 * <stdint.h>: fixed-width fields, little-endian, no pointers. Physical
 * addresses are absolute. Every field written by the tool is checked by the
 * core before use, like any loader's data.
 */
#ifndef ARCH_PACKED_H
#define ARCH_PACKED_H

#include <stdint.h>

#define PACKED_MAGIC	   "AtollPkd" /* 8 bytes, no NUL in the image */
#define PACKED_MAGIC_LEN   8
#define PACKED_VERSION	   1
#define PACKED_MAX_MODULES 32	  /* = BOOT_MAX_MODULES */
#define PACKED_ALIGN	   0x1000 /* region and every module start */
#define PACKED_SECTION	   ".atoll_packed"
#define PACKED_CMDLINE_MAX 1024 /* with the NUL, = BOOT_CMDLINE_MAX */
#define PACKED_NAME_MAX	   128	/* with the NUL, = BOOT_MODULE_CMDLINE_MAX */

/* One module: [start, end) physical, and its name (a string address). */
struct packed_module {
	uint64_t start; /* PACKED_ALIGN-aligned, inside the region */
	uint64_t end;	/* exclusive: start <= end <= region_end */
	uint64_t name;	/* NUL-terminated string inside the region, 0 if none */
};
_Static_assert(sizeof(struct packed_module) == 24, "packed module");

/*
 * As the core is built: magic and version set, module_count 0, the rest
 * zero. vmctl fills in the rest. Modules are listed in boot-module order
 * (module 0 is the manifest), at increasing addresses, not overlapping.
 */
struct packed_modules {
	uint8_t magic[PACKED_MAGIC_LEN]; /* PACKED_MAGIC */
	uint32_t version;		 /* PACKED_VERSION */
	uint32_t module_count;		 /* 0: nothing packed */
	uint64_t region_start;		 /* PACKED_ALIGN-aligned, physical */
	uint64_t region_end;		 /* exclusive, PACKED_ALIGN-aligned */
	uint64_t cmdline; /* the core's command line when the loader gives
			     none: a string inside the region, 0 if none */
	struct packed_module modules[PACKED_MAX_MODULES];
};
_Static_assert(sizeof(struct packed_modules) == 40 + 24 * PACKED_MAX_MODULES,
	       "packed modules descriptor");

/*
 * The core's own descriptor and the physical end of its image (packed.c,
 * in the core only).
 */
const struct packed_modules *arch_packed_modules(uint64_t *core_end);

#endif
