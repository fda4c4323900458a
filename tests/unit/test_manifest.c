// SPDX-License-Identifier: GPL-2.0-only
/*
 * The boot manifest reader (lib/manifest) on device trees assembled here
 * with libfdt's sequential-write API: a full realistic system, then one
 * change per error, each test checking the error's code and the node path
 * and property it names. Then malformed blobs (truncated at every length,
 * every byte corrupted, bad magic, garbage), which must give an error and
 * never a crash. Each blob is parsed from an exact-size heap copy, so ASan
 * reports any read past its end.
 *
 * `test_manifest --write-seeds DIR` writes the fuzz seed corpus
 * (tests/fuzz/corpus/fuzz_manifest/) with the same builder.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <libfdt.h>
#include <atoll/caps.h>
#include "manifest.h"

#define BLOB_MAX 16384
#define HV	 "/chosen/hypervisor"
#define MIB	 1024ull /* in KiB */

struct dtb {
	char buf[BLOB_MAX];
	unsigned next_unit; /* the next domain@N */
};

static struct dtb b;
static struct manifest m;
/* The last parsed copy: m's strings point into it, so it lives until the
 * next parse (and is freed then, so ASan's leak check stays quiet). */
static void *last_blob;

/* Every libfdt call must succeed: a failure is a broken test, not a case. */
#define OK(call) assert_int_equal((call), 0)

/* A list of strings from one literal: STRS(p, "a\0b") is "a", "b". */
#define STRS(name, lit) OK(fdt_property(b.buf, name, lit, sizeof(lit)))

static void str(const char *name, const char *s)
{
	OK(fdt_property_string(b.buf, name, s));
}

static void cell(const char *name, uint32_t v)
{
	OK(fdt_property_u32(b.buf, name, v));
}

static void cells(const char *name, const uint32_t *v, unsigned n)
{
	fdt32_t be[32];

	assert_true(n <= 32);
	for (unsigned i = 0; i < n; i++)
		be[i] = cpu_to_fdt32(v[i]);
	OK(fdt_property(b.buf, name, be, (int)(n * sizeof(be[0]))));
}

#define CELLS(name, ...)                                                       \
	do {                                                                   \
		const uint32_t v_[] = {__VA_ARGS__};                           \
		cells(name, v_, sizeof(v_) / sizeof(v_[0]));                   \
	} while (0)

/* Two cells <hi lo>: sizes in KiB, and /bits/ 64 hashes. */
static void u64(const char *name, uint64_t v)
{
	OK(fdt_property_u64(b.buf, name, v));
}

/* Opens /, /chosen and /chosen/hypervisor; hypervisor properties next. */
static void begin(void)
{
	memset(&b, 0, sizeof(b));
	b.next_unit = 1;
	OK(fdt_create(b.buf, BLOB_MAX));
	OK(fdt_finish_reservemap(b.buf));
	OK(fdt_begin_node(b.buf, ""));
	OK(fdt_begin_node(b.buf, "chosen"));
	OK(fdt_begin_node(b.buf, "hypervisor"));
	str("compatible", MANIFEST_HYPERVISOR_COMPAT);
}

/* Opens domain@N with its required properties; extras may follow. */
static void dom(const char *name, uint64_t mem_kib)
{
	char node[32];

	snprintf(node, sizeof(node), "domain@%u", b.next_unit);
	OK(fdt_begin_node(b.buf, node));
	cell("reg", b.next_unit++); /* keeps dtc's unit-address check quiet */
	str("compatible", MANIFEST_DOMAIN_COMPAT);
	str("domain-name", name);
	u64("memory", mem_kib);
}

/* Opens the module node with its required properties. */
static void module_begin(uint32_t index)
{
	OK(fdt_begin_node(b.buf, "module"));
	str("compatible", MANIFEST_MODULE_COMPAT);
	cell("module-index", index);
}

static void end_node(void)
{
	OK(fdt_end_node(b.buf));
}

/* Adds the module node and closes the domain. */
static void dom_end(uint32_t index)
{
	module_begin(index);
	end_node();
	end_node();
}

/* Closes hypervisor, chosen and root; returns the blob's size. */
static size_t finish(void)
{
	end_node();
	end_node();
	end_node();
	OK(fdt_finish(b.buf));
	return fdt_totalsize(b.buf);
}

/* Parses data[0..size) from an exact-size heap copy. */
static enum manifest_error_code parse_as(const void *data, size_t size,
					 int module_count, bool source)
{
	void *copy = malloc(size ? size : 1);
	enum manifest_error_code rc;

	assert_non_null(copy);
	memcpy(copy, data, size);
	rc = source ? manifest_parse_source(copy, size, module_count, &m)
		    : manifest_parse(copy, size, module_count, &m);
	free(last_blob);
	last_blob = copy;
	return rc;
}

static enum manifest_error_code parse_bytes(const void *data, size_t size,
					    int module_count)
{
	return parse_as(data, size, module_count, false);
}

static enum manifest_error_code parse(int module_count)
{
	return parse_bytes(b.buf, finish(), module_count);
}

/* The blob as vmctl reads a .dts before filling in the modules. */
static enum manifest_error_code parse_source(int module_count)
{
	return parse_as(b.buf, finish(), module_count, true);
}

static void dump_errors(void)
{
	for (unsigned i = 0; i < m.error_count; i++)
		fprintf(stderr, "  %s: %s [%s]: %s\n",
			manifest_strerror(m.errors[i].code), m.errors[i].path,
			m.errors[i].property, m.errors[i].detail);
}

static const struct manifest_error *find_error(enum manifest_error_code code,
					       const char *path,
					       const char *property)
{
	for (unsigned i = 0; i < m.error_count; i++) {
		const struct manifest_error *e = &m.errors[i];

		if (e->code == code && !strcmp(e->path, path) &&
		    !strcmp(e->property, property))
			return e;
	}
	fprintf(stderr, "no error %d (%s) at %s [%s]; got:\n", code,
		manifest_strerror(code), path, property);
	dump_errors();
	return NULL;
}

/* Exactly one error, this one; returns it for checks on its detail. */
static const struct manifest_error *expect_only(enum manifest_error_code code,
						const char *path,
						const char *property)
{
	const struct manifest_error *e = find_error(code, path, property);

	assert_non_null(e);
	if (m.error_count != 1)
		dump_errors();
	assert_int_equal(m.error_count, 1);
	assert_int_equal(m.errors[0].code, code);
	return e;
}

/* The smallest valid system, with one change made by add() in domain a. */
static enum manifest_error_code one_domain(void (*add)(void))
{
	begin();
	dom("a", 4 * MIB);
	if (add)
		add();
	dom_end(1);
	return parse(2);
}

#define DOM1 HV "/domain@1"
#define DOM2 HV "/domain@2"
#define DOM3 HV "/domain@3"

/* --- The full system from docs/manifest.md --- */

#define HASH(i) (0x1111111111111111ull * (i))

static void build_full_system(void)
{
	begin();
	str("bootargs", "console=com1 loglvl=all");
	str("hash-algorithm", "xxh3-64");
	u64("machine-memory", 4096 * MIB);
	cell("#address-cells", 1);
	cell("#size-cells", 0);

	dom("xenstored", 32 * MIB);
	STRS("capabilities", "xenstore");
	str("restart", "never");
	module_begin(1);
	u64("hash", HASH(1));
	end_node();
	end_node();

	dom("ctld", 64 * MIB);
	u64("max-memory", 128 * MIB);
	cell("sched-weight", 512);
	STRS("capabilities", "domctl\0memory-policy\0console");
	STRS("depends-on", "xenstored");
	str("restart", "on-crash");
	str("bootargs", "loglevel=debug");
	module_begin(2);
	u64("hash", HASH(2));
	end_node();
	end_node();

	dom("pciback", 48 * MIB);
	STRS("capabilities", "pci\0device-assign");
	CELLS("ioports", 0xcf8, 8);
	STRS("pci-devices", "0000:00:03.0\0"
			    "0000:00:04.0");
	STRS("depends-on", "xenstored");
	str("restart", "always");
	module_begin(3);
	u64("hash", HASH(3));
	end_node();
	end_node();

	dom("netback", 64 * MIB);
	cell("cpus", 2);
	cell("sched-cap", 150);
	CELLS("mmio", 0, 0xfebc0000, 0, 0x20000);
	CELLS("irqs", 11);
	STRS("depends-on", "xenstored\0pciback");
	str("restart", "always");
	module_begin(4);
	u64("hash", HASH(4));
	end_node();
	end_node();

	dom("blkback", 64 * MIB);
	CELLS("ioports", 0x1f0, 8, 0x3f6, 1);
	CELLS("irqs", 14, 15);
	STRS("depends-on", "xenstored");
	str("restart", "always");
	module_begin(5);
	u64("hash", HASH(5));
	end_node();
	end_node();

	dom("balloond", 16 * MIB);
	STRS("capabilities", "memory-policy");
	STRS("depends-on", "xenstored\0ctld");
	module_begin(6);
	u64("hash", HASH(6));
	end_node();
	end_node();

	dom("guest", 512 * MIB);
	u64("max-memory", 1024 * MIB);
	cell("cpus", 2);
	STRS("vifs", "mac=00:16:3e:00:00:01,bridge=br0,backend=netback");
	STRS("vbds", "target=disk0,vdev=xvda,backend=blkback");
	STRS("depends-on", "netback\0blkback");
	str("bootargs", "root=/dev/xvda1");
	module_begin(7);
	u64("hash", HASH(7));
	end_node();
	end_node();
}

static const struct manifest_domain *dom_named(const char *name)
{
	for (unsigned i = 0; i < m.domain_count; i++)
		if (m.domains[i].name && !strcmp(m.domains[i].name, name))
			return &m.domains[i];
	fail_msg("no domain %s", name);
	return NULL;
}

static void test_full_system_globals(void **state)
{
	build_full_system();
	if (parse(8) != MANIFEST_OK)
		dump_errors();
	assert_int_equal(m.error_count, 0);
	assert_string_equal(m.bootargs, "console=com1 loglvl=all");
	assert_int_equal(m.hash_algorithm, MANIFEST_HASH_XXH3_64);
	assert_true(m.has_machine_memory);
	assert_int_equal(m.machine_memory_kib, 4096 * MIB);
	assert_int_equal(m.domain_count, 7);
	assert_string_equal(m.domains[0].name, "xenstored");
	assert_string_equal(m.domains[6].name, "guest");
}

static void test_full_system_defaults(void **state)
{
	const struct manifest_domain *d;

	build_full_system();
	assert_int_equal(parse(8), MANIFEST_OK);
	d = dom_named("xenstored");
	assert_int_equal(d->memory_kib, 32 * MIB);
	assert_int_equal(d->max_memory_kib, 32 * MIB); /* = memory */
	assert_int_equal(d->cpus, 1);
	assert_int_equal(d->sched_weight, MANIFEST_DEFAULT_WEIGHT);
	assert_int_equal(d->sched_cap, 0);
	assert_int_equal(d->caps, ATOLL_CAP_XENSTORE);
	assert_int_equal(d->restart, MANIFEST_RESTART_NEVER);
	assert_null(d->bootargs);
	assert_int_equal(d->dep_count, 0);
	assert_true(d->has_module);
	assert_int_equal(d->module.index, 1);
	assert_true(d->module.has_hash);
	assert_int_equal(d->module.hash, HASH(1));
	assert_int_equal(dom_named("balloond")->restart,
			 MANIFEST_RESTART_NEVER);
}

static void test_full_system_fields(void **state)
{
	const struct manifest_domain *d;

	build_full_system();
	assert_int_equal(parse(8), MANIFEST_OK);
	d = dom_named("ctld");
	assert_int_equal(d->max_memory_kib, 128 * MIB);
	assert_int_equal(d->sched_weight, 512);
	assert_int_equal(d->caps, ATOLL_CAP_DOMCTL | ATOLL_CAP_MEMORY_POLICY |
				      ATOLL_CAP_CONSOLE);
	assert_int_equal(d->restart, MANIFEST_RESTART_ON_CRASH);
	assert_string_equal(d->bootargs, "loglevel=debug");
	assert_int_equal(d->dep_count, 1);
	assert_string_equal(d->depends_on[0], "xenstored");
	assert_int_equal(d->dep_index[0], 0);
	assert_int_equal(d->module.hash, HASH(2));

	d = dom_named("pciback");
	assert_int_equal(d->ioport_count, 1);
	assert_int_equal(d->ioports[0].base, 0xcf8);
	assert_int_equal(d->ioports[0].count, 8);
	assert_int_equal(d->pci_count, 2);
	assert_string_equal(d->pci[1].text, "0000:00:04.0");
	assert_int_equal(d->pci[1].segment, 0);
	assert_int_equal(d->pci[1].bus, 0);
	assert_int_equal(d->pci[1].dev, 4);
	assert_int_equal(d->pci[1].fn, 0);
	assert_int_equal(d->restart, MANIFEST_RESTART_ALWAYS);
}

static void test_full_system_devices(void **state)
{
	const struct manifest_domain *d;

	build_full_system();
	assert_int_equal(parse(8), MANIFEST_OK);
	d = dom_named("netback");
	assert_int_equal(d->cpus, 2);
	assert_int_equal(d->sched_cap, 150);
	assert_int_equal(d->mmio_count, 1);
	assert_int_equal(d->mmio[0].addr, 0xfebc0000);
	assert_int_equal(d->mmio[0].size, 0x20000);
	assert_int_equal(d->irq_count, 1);
	assert_int_equal(d->irqs[0], 11);

	d = dom_named("blkback");
	assert_int_equal(d->ioport_count, 2);
	assert_int_equal(d->ioports[1].base, 0x3f6);
	assert_int_equal(d->irq_count, 2);
	assert_int_equal(d->irqs[1], 15);

	d = dom_named("guest");
	assert_int_equal(d->vif_count, 1);
	assert_string_equal(d->vifs[0].spec,
			    "mac=00:16:3e:00:00:01,bridge=br0,backend=netback");
	assert_int_equal(d->vifs[0].backend_len, strlen("netback"));
	assert_memory_equal(d->vifs[0].backend, "netback", 7);
	assert_int_equal(d->vifs[0].backend_domain, 3);
	assert_int_equal(d->vbd_count, 1);
	assert_int_equal(d->vbds[0].backend_domain, 4);
	assert_int_equal(d->module.index, 7);
}

static void test_full_system_boot_order(void **state)
{
	/* xenstored ctld pciback netback blkback balloond guest */
	static const uint8_t want[] = {0, 1, 2, 3, 4, 5, 6};
	uint8_t order[MANIFEST_MAX_DOMAINS];
	unsigned placed;

	build_full_system();
	assert_int_equal(parse(8), MANIFEST_OK);
	assert_int_equal(manifest_boot_order(&m, order, &placed), MANIFEST_OK);
	assert_int_equal(placed, 7);
	assert_memory_equal(order, want, sizeof(want));
}

/* Dependencies reorder; domains with none keep document order. */
static void test_boot_order_deps(void **state)
{
	static const uint8_t want[] = {2, 1, 0, 3, 4};
	uint8_t order[MANIFEST_MAX_DOMAINS];
	unsigned placed;

	begin();
	dom("gui", MIB);
	STRS("depends-on", "net\0store");
	dom_end(1);
	dom("net", MIB);
	STRS("depends-on", "store");
	dom_end(1);
	dom("store", MIB);
	dom_end(1);
	dom("x", MIB);
	dom_end(1);
	dom("y", MIB);
	STRS("depends-on", "store");
	dom_end(1);
	assert_int_equal(parse(2), MANIFEST_OK);
	assert_int_equal(manifest_boot_order(&m, order, &placed), MANIFEST_OK);
	assert_int_equal(placed, 5);
	assert_memory_equal(order, want, sizeof(want));
}

/* Without machine-memory, hashes or a module count, none is checked. */
static void test_minimal(void **state)
{
	begin();
	dom("only", MIB);
	dom_end(99);
	assert_int_equal(parse(MANIFEST_NO_MODULE_COUNT), MANIFEST_OK);
	assert_int_equal(m.domain_count, 1);
	assert_null(m.bootargs);
	assert_false(m.has_machine_memory);
	assert_int_equal(m.hash_algorithm, MANIFEST_HASH_NONE);
	assert_false(m.domains[0].module.has_hash);
	assert_int_equal(m.domains[0].module.index, 99);
}

/* --- Unknown nodes and properties --- */

static void test_unknown_node(void **state)
{
	begin();
	OK(fdt_begin_node(b.buf, "domian@1"));
	end_node();
	dom("a", MIB);
	OK(fdt_begin_node(b.buf, "console"));
	end_node();
	dom_end(1);
	assert_int_equal(parse(2), MANIFEST_ERR_UNKNOWN_NODE);
	assert_int_equal(m.error_count, 2);
	assert_non_null(
	    find_error(MANIFEST_ERR_UNKNOWN_NODE, HV "/domian@1", ""));
	assert_non_null(
	    find_error(MANIFEST_ERR_UNKNOWN_NODE, DOM1 "/console", ""));
}

static void test_unknown_property(void **state)
{
	begin();
	str("boot-args", "x");
	dom("a", MIB);
	cell("vcpus", 2);
	module_begin(1);
	cell("index", 1);
	end_node();
	end_node();
	assert_int_equal(parse(2), MANIFEST_ERR_UNKNOWN_PROPERTY);
	assert_int_equal(m.error_count, 3);
	assert_non_null(
	    find_error(MANIFEST_ERR_UNKNOWN_PROPERTY, HV, "boot-args"));
	assert_non_null(
	    find_error(MANIFEST_ERR_UNKNOWN_PROPERTY, DOM1, "vcpus"));
	assert_non_null(
	    find_error(MANIFEST_ERR_UNKNOWN_PROPERTY, DOM1 "/module", "index"));
}

/* --- Types --- */

static void add_memory_one_cell(void)
{
	/* memory is already there: a second one is its own error */
	cell("max-memory", 4096);
}

static void test_bad_type_kib(void **state)
{
	assert_int_equal(one_domain(add_memory_one_cell),
			 MANIFEST_ERR_BAD_TYPE);
	expect_only(MANIFEST_ERR_BAD_TYPE, DOM1, "max-memory");
}

static void add_cpus_two_cells(void)
{
	CELLS("cpus", 0, 2);
}

static void test_bad_type_cell(void **state)
{
	assert_int_equal(one_domain(add_cpus_two_cells), MANIFEST_ERR_BAD_TYPE);
	expect_only(MANIFEST_ERR_BAD_TYPE, DOM1, "cpus");
}

static void add_restart_cell(void)
{
	cell("restart", 1);
}

static void test_bad_type_string(void **state)
{
	assert_int_equal(one_domain(add_restart_cell), MANIFEST_ERR_BAD_TYPE);
	expect_only(MANIFEST_ERR_BAD_TYPE, DOM1, "restart");
}

static void add_bad_lists(void)
{
	CELLS("ioports", 0x60, 1, 0x64);
	CELLS("mmio", 0, 0x1000, 0);
	STRS("capabilities", "xenstore\0\0console");
	OK(fdt_property(b.buf, "bootargs", "", 0));
}

static void test_bad_type_lists(void **state)
{
	assert_int_equal(one_domain(add_bad_lists), MANIFEST_ERR_BAD_TYPE);
	assert_int_equal(m.error_count, 4);
	assert_non_null(find_error(MANIFEST_ERR_BAD_TYPE, DOM1, "ioports"));
	assert_non_null(find_error(MANIFEST_ERR_BAD_TYPE, DOM1, "mmio"));
	assert_non_null(
	    find_error(MANIFEST_ERR_BAD_TYPE, DOM1, "capabilities"));
	assert_non_null(find_error(MANIFEST_ERR_BAD_TYPE, DOM1, "bootargs"));
}

static void add_twice(void)
{
	cell("cpus", 1);
	cell("cpus", 2);
}

static void test_property_twice(void **state)
{
	assert_int_equal(one_domain(add_twice), MANIFEST_ERR_BAD_VALUE);
	expect_only(MANIFEST_ERR_BAD_VALUE, DOM1, "cpus");
}

/* --- Required properties and nodes --- */

static void test_missing_properties(void **state)
{
	memset(&b, 0, sizeof(b));
	OK(fdt_create(b.buf, BLOB_MAX));
	OK(fdt_finish_reservemap(b.buf));
	OK(fdt_begin_node(b.buf, ""));
	OK(fdt_begin_node(b.buf, "chosen"));
	OK(fdt_begin_node(b.buf, "hypervisor")); /* no compatible */
	OK(fdt_begin_node(b.buf, "domain@1"));	 /* only compatible */
	str("compatible", MANIFEST_DOMAIN_COMPAT);
	OK(fdt_begin_node(b.buf, "module")); /* only module-index */
	cell("module-index", 1);
	end_node();
	end_node();
	assert_int_equal(parse(2), MANIFEST_ERR_MISSING_PROPERTY);
	assert_int_equal(m.error_count, 4);
	assert_non_null(
	    find_error(MANIFEST_ERR_MISSING_PROPERTY, HV, "compatible"));
	assert_non_null(
	    find_error(MANIFEST_ERR_MISSING_PROPERTY, DOM1, "domain-name"));
	assert_non_null(
	    find_error(MANIFEST_ERR_MISSING_PROPERTY, DOM1, "memory"));
	assert_non_null(find_error(MANIFEST_ERR_MISSING_PROPERTY,
				   DOM1 "/module", "compatible"));
}

static void test_missing_module_index(void **state)
{
	begin();
	dom("a", MIB);
	OK(fdt_begin_node(b.buf, "module"));
	str("compatible", MANIFEST_MODULE_COMPAT);
	end_node();
	end_node();
	assert_int_equal(parse(2), MANIFEST_ERR_MISSING_PROPERTY);
	expect_only(MANIFEST_ERR_MISSING_PROPERTY, DOM1 "/module",
		    "module-index");
}

static void test_missing_module(void **state)
{
	begin();
	dom("a", MIB);
	end_node();
	assert_int_equal(parse(2), MANIFEST_ERR_MISSING_NODE);
	expect_only(MANIFEST_ERR_MISSING_NODE, DOM1, "");
}

static void test_two_modules(void **state)
{
	begin();
	dom("a", MIB);
	module_begin(1);
	end_node();
	dom_end(1);
	assert_int_equal(parse(2), MANIFEST_ERR_TOO_MANY);
	expect_only(MANIFEST_ERR_TOO_MANY, DOM1 "/module", "");
}

static void test_no_domains(void **state)
{
	begin();
	assert_int_equal(parse(2), MANIFEST_ERR_MISSING_NODE);
	expect_only(MANIFEST_ERR_MISSING_NODE, HV, "");
}

static void test_no_hypervisor(void **state)
{
	memset(&b, 0, sizeof(b));
	OK(fdt_create(b.buf, BLOB_MAX));
	OK(fdt_finish_reservemap(b.buf));
	OK(fdt_begin_node(b.buf, ""));
	OK(fdt_begin_node(b.buf, "chosen"));
	end_node();
	end_node();
	OK(fdt_finish(b.buf));
	assert_int_equal(parse_bytes(b.buf, fdt_totalsize(b.buf), 2),
			 MANIFEST_ERR_NO_HYPERVISOR);
	expect_only(MANIFEST_ERR_NO_HYPERVISOR, "/", "");
}

/* --- Values --- */

static void add_bad_scalars(void)
{
	cell("cpus", 5);
	cell("sched-weight", 0);
	str("restart", "sometimes");
}

static void test_bad_scalars(void **state)
{
	assert_int_equal(one_domain(add_bad_scalars), MANIFEST_ERR_BAD_VALUE);
	assert_int_equal(m.error_count, 3);
	assert_non_null(find_error(MANIFEST_ERR_BAD_VALUE, DOM1, "cpus"));
	assert_non_null(
	    find_error(MANIFEST_ERR_BAD_VALUE, DOM1, "sched-weight"));
	assert_non_null(find_error(MANIFEST_ERR_BAD_VALUE, DOM1, "restart"));
}

static void add_cap_over_cpus(void)
{
	cell("cpus", 2);
	cell("sched-cap", 201);
}

static void test_sched_cap_range(void **state)
{
	assert_int_equal(one_domain(add_cap_over_cpus), MANIFEST_ERR_BAD_VALUE);
	expect_only(MANIFEST_ERR_BAD_VALUE, DOM1, "sched-cap");
}

static void test_bad_names(void **state)
{
	begin();
	dom("Upper", MIB);
	dom_end(1);
	dom("a-name-that-is-much-longer-than-31", MIB);
	dom_end(1);
	assert_int_equal(parse(2), MANIFEST_ERR_BAD_VALUE);
	assert_int_equal(m.error_count, 2);
	assert_non_null(
	    find_error(MANIFEST_ERR_BAD_VALUE, DOM1, "domain-name"));
	assert_non_null(
	    find_error(MANIFEST_ERR_BAD_VALUE, DOM2, "domain-name"));
}

static void test_bad_compatible_and_hash_alg(void **state)
{
	begin();
	str("hash-algorithm", "md5");
	OK(fdt_begin_node(b.buf, "domain@1"));
	str("compatible", "xen,domain");
	str("domain-name", "a");
	u64("memory", MIB);
	OK(fdt_begin_node(b.buf, "module"));
	str("compatible", "multiboot,ramdisk");
	cell("module-index", 1);
	end_node();
	end_node();
	assert_int_equal(parse(2), MANIFEST_ERR_BAD_VALUE);
	assert_int_equal(m.error_count, 3);
	assert_non_null(
	    find_error(MANIFEST_ERR_BAD_VALUE, HV, "hash-algorithm"));
	assert_non_null(find_error(MANIFEST_ERR_BAD_VALUE, DOM1, "compatible"));
	assert_non_null(
	    find_error(MANIFEST_ERR_BAD_VALUE, DOM1 "/module", "compatible"));
}

static void add_bad_resources(void)
{
	CELLS("ioports", 0xfff0, 0x20);
	CELLS("mmio", 0, 0xfebc0800, 0, 0x1000);
	CELLS("irqs", 4, MANIFEST_IRQ_LIMIT);
	STRS("pci-devices", "00:03.0\0"
			    "0000:00:20.0");
}

static void test_bad_resources(void **state)
{
	assert_int_equal(one_domain(add_bad_resources), MANIFEST_ERR_BAD_VALUE);
	assert_int_equal(m.error_count, 5);
	assert_non_null(find_error(MANIFEST_ERR_BAD_VALUE, DOM1, "ioports"));
	assert_non_null(find_error(MANIFEST_ERR_BAD_VALUE, DOM1, "mmio"));
	assert_non_null(find_error(MANIFEST_ERR_BAD_VALUE, DOM1, "irqs"));
	assert_non_null(
	    find_error(MANIFEST_ERR_BAD_VALUE, DOM1, "pci-devices"));
	assert_int_equal(m.domains[0].irq_count, 1); /* IRQ 4 kept */
}

static void add_zero_memory(void)
{
	u64("max-memory", 0);
}

static void test_zero_memory(void **state)
{
	assert_int_equal(one_domain(add_zero_memory), MANIFEST_ERR_BAD_VALUE);
	expect_only(MANIFEST_ERR_BAD_VALUE, DOM1, "max-memory");
}

static void add_too_many_irqs(void)
{
	CELLS("irqs", 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16);
	CELLS("ioports", 1, 1, 2, 1, 3, 1, 4, 1, 5, 1, 6, 1, 7, 1, 8, 1);
}

static void test_too_many_entries(void **state)
{
	/* 16 IRQs fit; the 9th I/O port range does not. */
	assert_int_equal(one_domain(add_too_many_irqs), MANIFEST_OK);
	begin();
	dom("a", MIB);
	CELLS("ioports", 1, 1, 2, 1, 3, 1, 4, 1, 5, 1, 6, 1, 7, 1, 8, 1, 9, 1);
	dom_end(1);
	assert_int_equal(parse(2), MANIFEST_ERR_TOO_MANY);
	expect_only(MANIFEST_ERR_TOO_MANY, DOM1, "ioports");
}

static void test_too_many_domains(void **state)
{
	char name[8];

	begin();
	for (unsigned i = 0; i <= MANIFEST_MAX_DOMAINS; i++) {
		snprintf(name, sizeof(name), "d%u", i);
		dom(name, MIB);
		dom_end(1);
	}
	assert_int_equal(parse(2), MANIFEST_ERR_TOO_MANY);
	expect_only(MANIFEST_ERR_TOO_MANY, HV "/domain@33", "");
	assert_int_equal(m.domain_count, MANIFEST_MAX_DOMAINS);
}

/* --- Capabilities --- */

static void add_bad_capability(void)
{
	STRS("capabilities", "xenstore\0root\0console");
}

static void test_unknown_capability(void **state)
{
	const struct manifest_error *e;

	assert_int_equal(one_domain(add_bad_capability),
			 MANIFEST_ERR_UNKNOWN_CAPABILITY);
	e = expect_only(MANIFEST_ERR_UNKNOWN_CAPABILITY, DOM1, "capabilities");
	assert_non_null(strstr(e->detail, "'root'"));
	assert_int_equal(m.domains[0].caps,
			 ATOLL_CAP_XENSTORE | ATOLL_CAP_CONSOLE);
}

/* Every name atoll/caps.h lists is accepted, giving its bit. */
static void add_all_caps(void)
{
	STRS("capabilities", ATOLL_CAP_NAME_DOMCTL
	     "\0" ATOLL_CAP_NAME_XENSTORE "\0" ATOLL_CAP_NAME_PCI
	     "\0" ATOLL_CAP_NAME_DEVICE_ASSIGN "\0" ATOLL_CAP_NAME_MEMORY_POLICY
	     "\0" ATOLL_CAP_NAME_CONSOLE);
}

static void test_all_capabilities(void **state)
{
	assert_int_equal(one_domain(add_all_caps), MANIFEST_OK);
	assert_int_equal(m.domains[0].caps, ATOLL_CAP_ALL);
}

/* --- Across domains --- */

static void test_duplicate_name(void **state)
{
	begin();
	dom("net", MIB);
	dom_end(1);
	dom("blk", MIB);
	dom_end(1);
	dom("net", MIB);
	dom_end(1);
	assert_int_equal(parse(2), MANIFEST_ERR_DUPLICATE_NAME);
	expect_only(MANIFEST_ERR_DUPLICATE_NAME, DOM3, "domain-name");
}

static void test_unknown_dependency(void **state)
{
	const struct manifest_error *e;

	begin();
	dom("a", MIB);
	dom_end(1);
	dom("b", MIB);
	STRS("depends-on", "a\0xenstore");
	dom_end(1);
	assert_int_equal(parse(2), MANIFEST_ERR_UNKNOWN_DEPENDENCY);
	e = expect_only(MANIFEST_ERR_UNKNOWN_DEPENDENCY, DOM2, "depends-on");
	assert_non_null(strstr(e->detail, "'xenstore'"));
	assert_int_equal(m.domains[1].dep_index[0], 0);
	assert_int_equal(m.domains[1].dep_index[1], -1);
}

static void test_dependency_cycle(void **state)
{
	const struct manifest_error *e;
	uint8_t order[MANIFEST_MAX_DOMAINS];
	unsigned placed;

	begin();
	dom("store", MIB);
	dom_end(1);
	dom("x", MIB);
	STRS("depends-on", "store\0z");
	dom_end(1);
	dom("y", MIB);
	STRS("depends-on", "x");
	dom_end(1);
	dom("z", MIB);
	STRS("depends-on", "y");
	dom_end(1);
	dom("after", MIB);
	STRS("depends-on", "z");
	dom_end(1);
	assert_int_equal(parse(2), MANIFEST_ERR_DEPENDENCY_CYCLE);
	e = expect_only(MANIFEST_ERR_DEPENDENCY_CYCLE, DOM2, "depends-on");
	assert_string_equal(e->detail, "x -> z -> y -> x");
	assert_int_equal(manifest_boot_order(&m, order, &placed),
			 MANIFEST_ERR_DEPENDENCY_CYCLE);
	assert_int_equal(placed, 1);
	assert_int_equal(order[0], 0);
}

/* Two separate cycles, one a domain depending on itself: both reported. */
static void test_two_cycles(void **state)
{
	begin();
	dom("a", MIB);
	STRS("depends-on", "b");
	dom_end(1);
	dom("b", MIB);
	STRS("depends-on", "a");
	dom_end(1);
	dom("self", MIB);
	STRS("depends-on", "self");
	dom_end(1);
	assert_int_equal(parse(2), MANIFEST_ERR_DEPENDENCY_CYCLE);
	assert_int_equal(m.error_count, 2);
	assert_string_equal(m.errors[0].detail, "a -> b -> a");
	assert_string_equal(m.errors[0].path, DOM1);
	assert_string_equal(m.errors[1].detail, "self -> self");
	assert_string_equal(m.errors[1].path, DOM3);
}

static void add_over_max(void)
{
	u64("max-memory", 2 * MIB);
}

static void test_memory_over_max(void **state)
{
	assert_int_equal(one_domain(add_over_max),
			 MANIFEST_ERR_MEMORY_OVER_MAX);
	expect_only(MANIFEST_ERR_MEMORY_OVER_MAX, DOM1, "max-memory");
}

static void test_machine_memory(void **state)
{
	begin();
	u64("machine-memory", 100 * MIB);
	dom("a", 60 * MIB);
	dom_end(1);
	dom("b", 40 * MIB);
	dom_end(1);
	assert_int_equal(parse(2), MANIFEST_OK); /* exactly fits */

	begin();
	u64("machine-memory", 100 * MIB);
	dom("a", 60 * MIB);
	dom_end(1);
	dom("b", 40 * MIB + 1);
	dom_end(1);
	assert_int_equal(parse(2), MANIFEST_ERR_OVER_MACHINE_MEMORY);
	expect_only(MANIFEST_ERR_OVER_MACHINE_MEMORY, HV, "machine-memory");
}

static void test_resource_conflicts(void **state)
{
	begin();
	dom("a", MIB);
	CELLS("ioports", 0x3f8, 8);
	CELLS("mmio", 0, 0xfe000000, 0, 0x2000);
	CELLS("irqs", 4);
	STRS("pci-devices", "0000:00:03.0");
	dom_end(1);
	dom("b", MIB);
	CELLS("ioports", 0x3f0, 9);		 /* 0x3f0..0x3f8 */
	CELLS("mmio", 0, 0xfe001000, 0, 0x1000); /* second page */
	CELLS("irqs", 3, 4);
	STRS("pci-devices", "0000:00:03.1\0"
			    "0000:00:03.0");
	dom_end(1);
	assert_int_equal(parse(2), MANIFEST_ERR_RESOURCE_CONFLICT);
	assert_int_equal(m.error_count, 4);
	assert_non_null(
	    find_error(MANIFEST_ERR_RESOURCE_CONFLICT, DOM2, "ioports"));
	assert_non_null(
	    find_error(MANIFEST_ERR_RESOURCE_CONFLICT, DOM2, "mmio"));
	assert_non_null(
	    find_error(MANIFEST_ERR_RESOURCE_CONFLICT, DOM2, "irqs"));
	assert_non_null(
	    find_error(MANIFEST_ERR_RESOURCE_CONFLICT, DOM2, "pci-devices"));
	assert_non_null(strstr(m.errors[0].detail, "'a'"));
}

/* Adjacent ranges do not overlap; the same one twice in a domain does. */
static void test_resource_edges(void **state)
{
	begin();
	dom("a", MIB);
	CELLS("ioports", 0x3f8, 8);
	CELLS("mmio", 0, 0xfe000000, 0, 0x1000);
	dom_end(1);
	dom("b", MIB);
	CELLS("ioports", 0x400, 8, 0x3f0, 8);
	CELLS("mmio", 0, 0xfe001000, 0, 0x1000, 0xffffffff, 0xfffff000, 0,
	      0x1000);
	dom_end(1);
	assert_int_equal(parse(2), MANIFEST_OK);

	begin();
	dom("a", MIB);
	CELLS("irqs", 9, 9);
	dom_end(1);
	assert_int_equal(parse(2), MANIFEST_ERR_RESOURCE_CONFLICT);
	expect_only(MANIFEST_ERR_RESOURCE_CONFLICT, DOM1, "irqs");
}

static void test_unknown_backend(void **state)
{
	begin();
	dom("netback", MIB);
	dom_end(1);
	dom("guest", MIB);
	STRS("vifs", "mac=00:16:3e:00:00:01,backend=netback\0"
		     "backend=nettback,mac=00:16:3e:00:00:02");
	STRS("vbds", "target=disk0,vdev=xvda,backend=blkback");
	dom_end(1);
	assert_int_equal(parse(2), MANIFEST_ERR_UNKNOWN_BACKEND);
	assert_int_equal(m.error_count, 2);
	assert_non_null(find_error(MANIFEST_ERR_UNKNOWN_BACKEND, DOM2, "vifs"));
	assert_non_null(find_error(MANIFEST_ERR_UNKNOWN_BACKEND, DOM2, "vbds"));
	assert_non_null(strstr(m.errors[0].detail, "'nettback'"));
	assert_int_equal(m.domains[1].vifs[0].backend_domain, 0);
	assert_int_equal(m.domains[1].vifs[1].backend_domain, -1);
}

static void add_vif_no_backend(void)
{
	STRS("vifs", "mac=00:16:3e:00:00:01,bridge=br0");
}

static void test_vif_without_backend(void **state)
{
	assert_int_equal(one_domain(add_vif_no_backend),
			 MANIFEST_ERR_BAD_VALUE);
	expect_only(MANIFEST_ERR_BAD_VALUE, DOM1, "vifs");
}

/* --- Modules and hashes --- */

static void test_module_index(void **state)
{
	const struct manifest_error *e;

	begin();
	dom("a", MIB);
	dom_end(3);
	assert_int_equal(parse(4), MANIFEST_OK);

	begin();
	dom("a", MIB);
	dom_end(4);
	assert_int_equal(parse(4), MANIFEST_ERR_MODULE_INDEX);
	e = expect_only(MANIFEST_ERR_MODULE_INDEX, DOM1 "/module",
			"module-index");
	assert_non_null(strstr(e->detail, "4, but there are 4"));

	begin();
	dom("a", MIB);
	dom_end(4);
	assert_int_equal(parse(MANIFEST_NO_MODULE_COUNT), MANIFEST_OK);

	begin();
	dom("a", MIB);
	dom_end(0); /* the manifest itself */
	assert_int_equal(parse(MANIFEST_NO_MODULE_COUNT),
			 MANIFEST_ERR_BAD_VALUE);
	expect_only(MANIFEST_ERR_BAD_VALUE, DOM1 "/module", "module-index");
}

static void test_missing_hash(void **state)
{
	begin();
	str("hash-algorithm", "xxh64");
	dom("a", MIB);
	module_begin(1);
	u64("hash", 0x0123456789abcdefull);
	end_node();
	end_node();
	dom("b", MIB);
	dom_end(1);
	assert_int_equal(parse(2), MANIFEST_ERR_MISSING_HASH);
	expect_only(MANIFEST_ERR_MISSING_HASH, DOM2 "/module", "hash");
	assert_int_equal(m.hash_algorithm, MANIFEST_HASH_XXH64);
	assert_int_equal(m.domains[0].module.hash, 0x0123456789abcdefull);
}

static void test_hash_without_algorithm(void **state)
{
	begin();
	dom("a", MIB);
	module_begin(1);
	u64("hash", 1);
	end_node();
	end_node();
	assert_int_equal(parse(2), MANIFEST_ERR_MISSING_PROPERTY);
	expect_only(MANIFEST_ERR_MISSING_PROPERTY, HV, "hash-algorithm");
}

static void test_bad_hash_type(void **state)
{
	begin();
	str("hash-algorithm", "xxh3-64");
	dom("a", MIB);
	module_begin(1);
	cell("hash", 1);
	end_node();
	end_node();
	assert_int_equal(parse(2), MANIFEST_ERR_BAD_TYPE);
	/* and the module counts as having no hash */
	assert_int_equal(m.error_count, 2);
	assert_non_null(
	    find_error(MANIFEST_ERR_BAD_TYPE, DOM1 "/module", "hash"));
	assert_non_null(
	    find_error(MANIFEST_ERR_MISSING_HASH, DOM1 "/module", "hash"));
}

/* --- All errors, not just the first --- */

/* --- Images: source manifests (vmctl) --- */

/* Opens a domain whose module names an image and nothing else. */
static void dom_image(const char *name, const char *image)
{
	dom(name, MIB);
	OK(fdt_begin_node(b.buf, "module"));
	str("compatible", MANIFEST_MODULE_COMPAT);
	str("image", image);
}

/* Three domains, two images: x.elf twice, its second use with a stale
 * module-index that the numbering overrides. */
static void build_images(void)
{
	begin();
	str("hash-algorithm", "xxh3-64");
	dom_image("a", "x.elf");
	end_node();
	end_node();
	dom_image("b", "dir/y.elf");
	end_node();
	end_node();
	dom_image("c", "x.elf");
	cell("module-index", 9);
	end_node();
	end_node();
}

static void test_image_numbering(void **state)
{
	build_images();
	assert_int_equal(parse_source(MANIFEST_NO_MODULE_COUNT), MANIFEST_OK);
	assert_true(m.source);
	assert_int_equal(m.image_count, 2);
	assert_int_equal(m.domains[0].module.index, 1);
	assert_int_equal(m.domains[1].module.index, 2);
	assert_int_equal(m.domains[2].module.index, 1);
	assert_string_equal(m.domains[1].module.image, "dir/y.elf");
	for (unsigned i = 0; i < 3; i++) {
		assert_true(m.domains[i].module.has_index);
		assert_false(m.domains[i].module.has_hash);
	}
}

static void test_image_bound(void **state)
{
	build_images();
	assert_int_equal(parse_source(3), MANIFEST_OK);
	build_images();
	assert_int_equal(parse_source(2), MANIFEST_ERR_MODULE_INDEX);
	expect_only(MANIFEST_ERR_MODULE_INDEX, DOM2 "/module", "module-index");
}

/* The core reads the boot form: an image does not stand in for the index
 * or the hash there. */
static void test_image_boot_form(void **state)
{
	build_images();
	assert_int_equal(parse(4), MANIFEST_ERR_MISSING_PROPERTY);
	assert_non_null(find_error(MANIFEST_ERR_MISSING_PROPERTY,
				   DOM1 "/module", "module-index"));
	assert_non_null(find_error(MANIFEST_ERR_MISSING_PROPERTY,
				   DOM2 "/module", "module-index"));
	assert_non_null(find_error(MANIFEST_ERR_MODULE_INDEX, DOM3 "/module",
				   "module-index"));
	assert_non_null(
	    find_error(MANIFEST_ERR_MISSING_HASH, DOM3 "/module", "hash"));
	assert_int_equal(m.error_count, 6); /* and a hash for each module */

	/* Filled in, as vmctl writes it: image is accepted and ignored. */
	begin();
	dom_image("a", "x.elf");
	cell("module-index", 1);
	end_node();
	end_node();
	assert_int_equal(parse(2), MANIFEST_OK);
	assert_int_equal(m.domains[0].module.index, 1);
	assert_string_equal(m.domains[0].module.image, "x.elf");
	assert_int_equal(m.image_count, 0);
}

static void test_image_errors(void **state)
{
	const struct manifest_error *e;

	begin();
	dom("a", MIB);
	OK(fdt_begin_node(b.buf, "module"));
	str("compatible", MANIFEST_MODULE_COMPAT);
	end_node();
	end_node();
	assert_int_equal(parse_source(MANIFEST_NO_MODULE_COUNT),
			 MANIFEST_ERR_MISSING_PROPERTY);
	e = expect_only(MANIFEST_ERR_MISSING_PROPERTY, DOM1 "/module",
			"module-index");
	assert_string_equal(e->detail, "required without an image");

	begin();
	dom("a", MIB);
	module_begin(1);
	cell("image", 7);
	end_node();
	end_node();
	assert_int_equal(parse_source(MANIFEST_NO_MODULE_COUNT),
			 MANIFEST_ERR_BAD_TYPE);
	expect_only(MANIFEST_ERR_BAD_TYPE, DOM1 "/module", "image");

	/* A hash given in the source still needs its algorithm. */
	begin();
	dom_image("a", "x.elf");
	u64("hash", 5);
	end_node();
	end_node();
	assert_int_equal(parse_source(MANIFEST_NO_MODULE_COUNT),
			 MANIFEST_ERR_MISSING_PROPERTY);
	expect_only(MANIFEST_ERR_MISSING_PROPERTY, HV, "hash-algorithm");
}

static void test_many_errors_collected(void **state)
{
	char name[8];

	begin();
	for (unsigned i = 0; i < 20; i++) {
		snprintf(name, sizeof(name), "d%u", i);
		dom(name, MIB);
		cell("cpus", 9);
		cell("sched-weight", 0);
		dom_end(1);
	}
	assert_int_equal(parse(2), MANIFEST_ERR_BAD_VALUE);
	assert_int_equal(m.error_count, MANIFEST_MAX_ERRORS);
	assert_int_equal(m.errors_dropped, 40 - MANIFEST_MAX_ERRORS);
	assert_string_equal(m.errors[0].property, "cpus");
	assert_string_equal(m.errors[1].property, "sched-weight");
	assert_string_equal(m.errors[2].path, DOM2);
}

/* A path longer than the error's field is cut, still terminated. */
static void test_long_path(void **state)
{
	char node[64];

	begin();
	memset(node, 'x', sizeof(node) - 1);
	node[sizeof(node) - 1] = '\0';
	memcpy(node, "domain@", 7);
	OK(fdt_begin_node(b.buf, node));
	end_node();
	OK(fdt_begin_node(b.buf, "yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy"));
	end_node();
	assert_int_equal(parse(2), MANIFEST_ERR_MISSING_PROPERTY);
	for (unsigned i = 0; i < m.error_count; i++)
		assert_true(strlen(m.errors[i].path) <
			    sizeof(m.errors[i].path));
	assert_non_null(find_error(MANIFEST_ERR_UNKNOWN_NODE,
				   HV "/yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy"
				      "yyyyy",
				   ""));
}

/* --- Malformed blobs --- */

static void expect_bad_dtb(const void *data, size_t size)
{
	assert_int_equal(parse_bytes(data, size, 8), MANIFEST_ERR_BAD_DTB);
	assert_int_equal(m.error_count, 1);
	assert_int_equal(m.errors[0].node_offset, -1);
	assert_true(strlen(m.errors[0].detail) > 0);
}

static void test_truncated(void **state)
{
	size_t size;

	build_full_system();
	size = finish();
	for (size_t n = 0; n < size; n++)
		expect_bad_dtb(b.buf, n);
	assert_int_equal(parse_bytes(b.buf, size, 8), MANIFEST_OK);
}

static void test_bad_magic(void **state)
{
	size_t size;

	build_full_system();
	size = finish();
	b.buf[0] ^= 0x01;
	expect_bad_dtb(b.buf, size);
	assert_non_null(strstr(m.errors[0].detail, "MAGIC"));
	assert_int_equal(manifest_parse(NULL, 0, 0, &m), MANIFEST_ERR_BAD_DTB);
}

/* Cut the structure block short inside a node, header adjusted. */
static void test_bad_structure(void **state)
{
	struct fdt_header *h = (struct fdt_header *)b.buf;
	size_t size;

	build_full_system();
	size = finish();
	h->size_dt_struct = cpu_to_fdt32(fdt_size_dt_struct(b.buf) / 2);
	expect_bad_dtb(b.buf, size);
}

/* Every byte of a valid blob changed in turn: any result but a crash. */
static void test_corrupt_every_byte(void **state)
{
	static char copy[BLOB_MAX];
	size_t size;

	build_full_system();
	size = finish();
	for (size_t i = 0; i < size; i++) {
		static const unsigned char flips[] = {0x01, 0x80, 0xff};

		for (unsigned f = 0; f < sizeof(flips); f++) {
			memcpy(copy, b.buf, size);
			copy[i] ^= flips[f];
			if (parse_bytes(copy, size, 8) != MANIFEST_OK)
				assert_true(m.error_count > 0);
			assert_true(m.error_count <= MANIFEST_MAX_ERRORS);
		}
	}
}

static void test_garbage(void **state)
{
	static unsigned char junk[4096];
	uint32_t x = 12345;

	for (unsigned round = 0; round < 200; round++) {
		for (size_t i = 0; i < sizeof(junk); i++) {
			x = x * 1103515245 + 12345;
			junk[i] = (unsigned char)(x >> 16);
		}
		if (round & 1) { /* a valid header, junk in the tree */
			OK(fdt_create_empty_tree(junk, 256));
			junk[fdt_off_dt_struct(junk) + 4] = 0xaa;
		}
		assert_int_not_equal(
		    parse_bytes(junk, round % 7 ? sizeof(junk) : 100, 8),
		    MANIFEST_OK);
	}
}

static void test_strerror(void **state)
{
	for (int c = 0; c < MANIFEST_ERR_COUNT; c++) {
		assert_non_null(manifest_strerror(c));
		assert_string_not_equal(manifest_strerror(c),
					"unknown manifest error");
	}
	assert_string_equal(manifest_strerror(MANIFEST_ERR_COUNT),
			    "unknown manifest error");
	assert_string_equal(manifest_strerror(-1), "unknown manifest error");
}

/* --- Fuzz seeds, written on request with the same builder. --- */

static void write_seed(const char *dir, const char *name)
{
	size_t size = finish();
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (!f || fwrite(b.buf, 1, size, f) != size || fclose(f) != 0) {
		perror(path);
		exit(1);
	}
}

static int write_seeds(const char *dir)
{
	build_full_system();
	write_seed(dir, "full-system.dtb");
	begin();
	dom("only", MIB);
	dom_end(1);
	write_seed(dir, "minimal.dtb");
	begin();
	u64("machine-memory", MIB);
	dom("a", MIB);
	STRS("depends-on", "b");
	CELLS("irqs", 4);
	dom_end(1);
	dom("b", MIB);
	STRS("depends-on", "a");
	CELLS("irqs", 4);
	STRS("vifs", "backend=c");
	dom_end(9);
	write_seed(dir, "errors.dtb");
	return 0;
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_full_system_globals),
	    cmocka_unit_test(test_full_system_defaults),
	    cmocka_unit_test(test_full_system_fields),
	    cmocka_unit_test(test_full_system_devices),
	    cmocka_unit_test(test_full_system_boot_order),
	    cmocka_unit_test(test_boot_order_deps),
	    cmocka_unit_test(test_minimal),
	    cmocka_unit_test(test_unknown_node),
	    cmocka_unit_test(test_unknown_property),
	    cmocka_unit_test(test_bad_type_kib),
	    cmocka_unit_test(test_bad_type_cell),
	    cmocka_unit_test(test_bad_type_string),
	    cmocka_unit_test(test_bad_type_lists),
	    cmocka_unit_test(test_property_twice),
	    cmocka_unit_test(test_missing_properties),
	    cmocka_unit_test(test_missing_module_index),
	    cmocka_unit_test(test_missing_module),
	    cmocka_unit_test(test_two_modules),
	    cmocka_unit_test(test_no_domains),
	    cmocka_unit_test(test_no_hypervisor),
	    cmocka_unit_test(test_bad_scalars),
	    cmocka_unit_test(test_sched_cap_range),
	    cmocka_unit_test(test_bad_names),
	    cmocka_unit_test(test_bad_compatible_and_hash_alg),
	    cmocka_unit_test(test_bad_resources),
	    cmocka_unit_test(test_zero_memory),
	    cmocka_unit_test(test_too_many_entries),
	    cmocka_unit_test(test_too_many_domains),
	    cmocka_unit_test(test_unknown_capability),
	    cmocka_unit_test(test_all_capabilities),
	    cmocka_unit_test(test_duplicate_name),
	    cmocka_unit_test(test_unknown_dependency),
	    cmocka_unit_test(test_dependency_cycle),
	    cmocka_unit_test(test_two_cycles),
	    cmocka_unit_test(test_memory_over_max),
	    cmocka_unit_test(test_machine_memory),
	    cmocka_unit_test(test_resource_conflicts),
	    cmocka_unit_test(test_resource_edges),
	    cmocka_unit_test(test_unknown_backend),
	    cmocka_unit_test(test_vif_without_backend),
	    cmocka_unit_test(test_module_index),
	    cmocka_unit_test(test_missing_hash),
	    cmocka_unit_test(test_hash_without_algorithm),
	    cmocka_unit_test(test_bad_hash_type),
	    cmocka_unit_test(test_image_numbering),
	    cmocka_unit_test(test_image_bound),
	    cmocka_unit_test(test_image_boot_form),
	    cmocka_unit_test(test_image_errors),
	    cmocka_unit_test(test_many_errors_collected),
	    cmocka_unit_test(test_long_path),
	    cmocka_unit_test(test_truncated),
	    cmocka_unit_test(test_bad_magic),
	    cmocka_unit_test(test_bad_structure),
	    cmocka_unit_test(test_corrupt_every_byte),
	    cmocka_unit_test(test_garbage),
	    cmocka_unit_test(test_strerror),
	};

	if (argc == 3 && !strcmp(argv[1], "--write-seeds"))
		return write_seeds(argv[2]);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
