/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * `vmctl image build` and `vmctl image pack` (docs/images.md): a source
 * manifest and the images it names become one bootable file, a GRUB ISO or
 * a core ELF with the modules packed inside.
 */
#ifndef ATOLL_VMCTL_IMAGE_H
#define ATOLL_VMCTL_IMAGE_H

#include <stddef.h>

/*
 * Where an `image` property points: image itself if absolute, else image
 * relative to the directory of the .dts file dts_file. malloc'ed.
 */
char *image_resolve(const char *dts_file, const char *image);

/* One boot module to pack, in boot-module order. */
struct pack_module {
	const void *data;
	size_t len;
	const char *name; /* the module's string, e.g. "manifest.dtb" */
};

/*
 * Writes out_path: the ELF32 core at core_path with the modules appended
 * as one more PT_LOAD segment and its packed-modules descriptor filled in
 * (kernel/arch/x86/include/arch/packed.h); cmdline (NULL for none) is the
 * command line the core uses when the loader gives none. Problems are
 * said on stderr. Returns a VMCTL_EXIT_* status.
 */
int elfpack_write(const char *core_path, const char *out_path,
		  const struct pack_module *mods, unsigned count,
		  const char *cmdline);

#endif
