/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Shared between the manifest reader's files: manifest_parse.c (the tree
 * walk), manifest_props.c (one decoder per property) and manifest_check.c
 * (checks across domains, boot order, error reporting).
 */
#ifndef ATOLL_LIB_MANIFEST_INTERNAL_H
#define ATOLL_LIB_MANIFEST_INTERNAL_H

#include <stdarg.h>
#include <string.h>
/*
 * In the core, the stand-in <string.h> (lib/freestanding/include) declares
 * snprintf; a C library (the host's, or newlib in domains, which are
 * built -ffreestanding) declares it in <stdio.h>, which the core lacks.
 */
#if __has_include(<stdio.h>)
#include <stdio.h>
#endif
#include <libfdt.h>
#include "manifest.h"

/* One property being decoded: where it is and its raw value. */
struct manifest_prop {
	int node;
	const char *name;
	const void *val;
	int len;
};

/* Records an error (printf-style detail); node < 0 means the whole blob. */
void manifest_report(struct manifest *m, enum manifest_error_code code,
		     int node, const char *property, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* Reports code against property p. */
#define PROP_ERR(m, p, code, ...)                                              \
	manifest_report((m), (code), (p)->node, (p)->name, __VA_ARGS__)

/* Property decoders (manifest_props.c); false after reporting an error. */
bool manifest_get_u32(struct manifest *m, const struct manifest_prop *p,
		      uint32_t *out);
bool manifest_get_u64(struct manifest *m, const struct manifest_prop *p,
		      uint64_t *out);
bool manifest_get_string(struct manifest *m, const struct manifest_prop *p,
			 const char **out);
bool manifest_check_name(struct manifest *m, const struct manifest_prop *p,
			 const char *name, size_t len);

typedef void manifest_decode_fn(struct manifest *m,
				const struct manifest_prop *p, void *obj);
manifest_decode_fn manifest_dom_capabilities, manifest_dom_ioports,
    manifest_dom_mmio, manifest_dom_irqs, manifest_dom_pci, manifest_dom_vifs,
    manifest_dom_vbds, manifest_dom_depends;

/* Checks across domains, once every node is read (manifest_check.c). */
void manifest_check_all(struct manifest *m, int module_count);

#endif
