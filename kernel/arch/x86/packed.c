// SPDX-License-Identifier: GPL-2.0-only
/*
 * The core image's packed-modules descriptor (arch/packed.h). It is data,
 * not bss, so that it has bytes in the ELF file for `vmctl image pack` to
 * patch, and it has a section of its own so that the tool finds it by
 * name. Nothing in the core writes it. It is not const: the compiler must
 * not fold the as-built module_count of 0 into the code that reads it.
 */
#include <atoll/types.h>
#include <arch/packed.h>

extern char _kernel_phys_end[];

struct packed_modules packed_modules
    __attribute__((section(PACKED_SECTION), aligned(8), used)) = {
	.magic = PACKED_MAGIC,
	.version = PACKED_VERSION,
};

const struct packed_modules *arch_packed_modules(uint64_t *core_end)
{
	*core_end = (uint64_t)_kernel_phys_end;
	return &packed_modules;
}
