/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The boot manifest reader (docs/manifest.md is the schema). The manifest is
 * a flattened device tree whose /chosen/hypervisor node lists the domains
 * to start; it is outside input (a boot module, a file a user gave vmctl),
 * so manifest_parse() checks everything and collects every problem it finds
 * as a struct manifest_error, never stopping at the first and never
 * crashing on a malformed blob.
 *
 * Shared by the core (which starts the boot domains), vmctl (`vmctl
 * manifest check`, `vmctl image build`) and the host tests. It calls libfdt
 * and only the string functions the core's kernel/lib provides, and never
 * allocates: struct manifest has fixed arrays, and its strings point into
 * the blob, which must outlive it.
 */
#ifndef ATOLL_LIB_MANIFEST_H
#define ATOLL_LIB_MANIFEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MANIFEST_MAX_DOMAINS 32
#define MANIFEST_NAME_MAX    32 /* 31 characters and the NUL */
#define MANIFEST_MAX_ERRORS  32

/* Per-domain limits on list properties; more entries is an error. */
#define MANIFEST_MAX_IOPORTS 8
#define MANIFEST_MAX_MMIO    8
#define MANIFEST_MAX_IRQS    16
#define MANIFEST_MAX_PCI     8
#define MANIFEST_MAX_VIFS    8
#define MANIFEST_MAX_VBDS    8
#define MANIFEST_MAX_DEPS    8

/* Value ranges (docs/manifest.md says why). */
#define MANIFEST_MAX_CPUS	   4
#define MANIFEST_MAX_WEIGHT	   65535
#define MANIFEST_DEFAULT_WEIGHT	   256
#define MANIFEST_IOPORT_LIMIT	   0x10000u /* base + count <= this */
#define MANIFEST_IRQ_LIMIT	   1024u    /* GSIs 0..1023 */
#define MANIFEST_MMIO_ALIGN	   0x1000u  /* MMIO is mapped by pages */
#define MANIFEST_HYPERVISOR_PATH   "/chosen/hypervisor"
#define MANIFEST_HYPERVISOR_COMPAT "hypervisor,atoll"
#define MANIFEST_DOMAIN_COMPAT	   "atoll,domain"
#define MANIFEST_MODULE_COMPAT	   "multiboot,kernel"

/*
 * module_count value that skips the module-index upper bound (on the host,
 * where there are no boot modules yet).
 */
#define MANIFEST_NO_MODULE_COUNT (-1)

enum manifest_error_code {
	MANIFEST_OK = 0,
	MANIFEST_ERR_BAD_DTB,	       /* libfdt refused the blob */
	MANIFEST_ERR_NO_HYPERVISOR,    /* no /chosen/hypervisor node */
	MANIFEST_ERR_UNKNOWN_NODE,     /* a node the schema has no place for */
	MANIFEST_ERR_UNKNOWN_PROPERTY, /* a property the schema lacks */
	MANIFEST_ERR_BAD_TYPE,	       /* wrong length or not a string */
	MANIFEST_ERR_MISSING_PROPERTY, /* a required property is absent */
	MANIFEST_ERR_MISSING_NODE,     /* a domain without its module */
	MANIFEST_ERR_BAD_VALUE,	       /* out of range or malformed */
	MANIFEST_ERR_TOO_MANY,	       /* more entries than fit */
	MANIFEST_ERR_UNKNOWN_CAPABILITY,  /* not in atoll/caps.h */
	MANIFEST_ERR_DUPLICATE_NAME,	  /* two domains with one name */
	MANIFEST_ERR_UNKNOWN_DEPENDENCY,  /* depends-on names no domain */
	MANIFEST_ERR_DEPENDENCY_CYCLE,	  /* depends-on loops */
	MANIFEST_ERR_MEMORY_OVER_MAX,	  /* memory > max-memory */
	MANIFEST_ERR_OVER_MACHINE_MEMORY, /* sum of memory > machine-memory */
	MANIFEST_ERR_RESOURCE_CONFLICT,	  /* a resource given twice */
	MANIFEST_ERR_UNKNOWN_BACKEND,	  /* vif/vbd backend names no domain */
	MANIFEST_ERR_MODULE_INDEX,	  /* no such boot module */
	MANIFEST_ERR_MISSING_HASH, /* hash-algorithm set, module has none */
	MANIFEST_ERR_COUNT
};

/*
 * One problem. node_offset is the libfdt offset of the node (-1 when the
 * blob itself is bad); path is that node's full path, property the
 * property's name ("" when the problem is the node itself), detail says
 * what is wrong in words. All are NUL-terminated, truncated if long.
 */
struct manifest_error {
	enum manifest_error_code code;
	int node_offset;
	char path[96];
	char property[32];
	char detail[96];
};

enum manifest_hash_algorithm {
	MANIFEST_HASH_NONE = 0,
	MANIFEST_HASH_XXH3_64,
	MANIFEST_HASH_XXH64,
};

enum manifest_restart {
	MANIFEST_RESTART_NEVER = 0,
	MANIFEST_RESTART_ON_CRASH,
	MANIFEST_RESTART_ALWAYS,
};

struct manifest_ioport {
	uint32_t base;
	uint32_t count; /* >= 1, base + count <= MANIFEST_IOPORT_LIMIT */
};

struct manifest_mmio {
	uint64_t addr; /* both MANIFEST_MMIO_ALIGN aligned, size > 0 */
	uint64_t size;
};

struct manifest_pci {
	const char *text; /* "SSSS:BB:DD.F" as written */
	uint16_t segment;
	uint8_t bus, dev, fn;
};

/* A vif or vbd: the whole string, and its backend= value (not NUL-ended). */
struct manifest_vdev {
	const char *spec;
	const char *backend;
	uint32_t backend_len;
	int backend_domain; /* index in manifest.domains, -1 if unresolved */
};

struct manifest_module {
	uint32_t index; /* boot module number; 0 is the manifest itself */
	bool has_index; /* module-index given, or numbered from image */
	bool has_hash;
	uint64_t hash;
	const char *image; /* host path of the ELF (tools only), or NULL */
	int node_offset;
};

struct manifest_domain {
	int node_offset;
	const char *name; /* NULL if missing */
	uint64_t memory_kib;
	uint64_t max_memory_kib; /* defaults to memory_kib */
	uint32_t cpus;
	uint32_t sched_weight;
	uint32_t sched_cap; /* percent of one CPU; 0 = uncapped */
	uint64_t caps;	    /* ATOLL_CAP_* bits */
	enum manifest_restart restart;
	const char *bootargs; /* NULL if none */

	struct manifest_ioport ioports[MANIFEST_MAX_IOPORTS];
	struct manifest_mmio mmio[MANIFEST_MAX_MMIO];
	uint32_t irqs[MANIFEST_MAX_IRQS];
	struct manifest_pci pci[MANIFEST_MAX_PCI];
	struct manifest_vdev vifs[MANIFEST_MAX_VIFS];
	struct manifest_vdev vbds[MANIFEST_MAX_VBDS];
	const char *depends_on[MANIFEST_MAX_DEPS];
	int dep_index[MANIFEST_MAX_DEPS]; /* -1 if the name is unknown */
	uint8_t ioport_count, mmio_count, irq_count, pci_count;
	uint8_t vif_count, vbd_count, dep_count;

	bool has_module;
	struct manifest_module module;
};

struct manifest {
	const void *blob;
	bool source;	      /* read by manifest_parse_source() */
	unsigned image_count; /* distinct images numbered (source only) */
	int node_offset;      /* of /chosen/hypervisor, -1 if absent */
	const char *bootargs; /* the core's command line, NULL if none */
	enum manifest_hash_algorithm hash_algorithm;
	bool has_machine_memory;
	uint64_t machine_memory_kib;

	struct manifest_domain domains[MANIFEST_MAX_DOMAINS];
	unsigned domain_count; /* in document order */

	struct manifest_error errors[MANIFEST_MAX_ERRORS];
	unsigned error_count;	 /* entries filled in errors[] */
	unsigned errors_dropped; /* found after errors[] was full */
};

/*
 * Parses and checks the manifest in blob[0..size). module_count is the
 * number of boot modules including the manifest itself (module 0), or
 * MANIFEST_NO_MODULE_COUNT to skip the upper bound on module-index.
 * Returns MANIFEST_OK, or the code of the first error; m->errors lists
 * them all. On error m is only good for reporting: start nothing from it.
 */
enum manifest_error_code manifest_parse(const void *blob, size_t size,
					int module_count, struct manifest *m)
    __attribute__((warn_unused_result));

/*
 * Parses a source manifest, as the host tools read it before they build a
 * boot image: like manifest_parse(), except that a module with an `image`
 * may leave out `module-index` and `hash` (vmctl image build/pack fill them
 * in). Every module with an image is numbered, whatever its module-index
 * says: the distinct image strings, in document order, are modules 1, 2,
 * ... (equal strings share one), so module.index is what the tools will
 * write and m->image_count how many images there are. module_count bounds
 * those numbers as in manifest_parse().
 */
enum manifest_error_code manifest_parse_source(const void *blob, size_t size,
					       int module_count,
					       struct manifest *m)
    __attribute__((warn_unused_result));

/*
 * Fills order[0..domain_count) with domain indices such that each domain
 * comes after those it depends on; among domains whose dependencies are
 * all met, document order decides. Unknown dependencies are ignored.
 * Returns MANIFEST_OK, or MANIFEST_ERR_DEPENDENCY_CYCLE with order[] only
 * partly filled (*placed entries).
 */
enum manifest_error_code
manifest_boot_order(const struct manifest *m,
		    uint8_t order[MANIFEST_MAX_DOMAINS], unsigned *placed)
    __attribute__((warn_unused_result));

/* A short constant description of code ("unknown property"). */
const char *manifest_strerror(enum manifest_error_code code);

#endif
