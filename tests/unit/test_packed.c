// SPDX-License-Identifier: GPL-2.0-only
/*
 * Packed boot modules (arch/packed.h): boot_info_add_packed() against
 * descriptors built here over a test buffer that stands in for physical
 * memory, as test_multiboot.c does. Each mapping is a fresh heap copy of
 * exactly the requested range, so ASan catches any read past it. Then
 * boot_info_parse() with this file's arch_packed_modules(), the hook the
 * core's packed.c provides: a multiboot1 boot without modules gets the
 * packed ones.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <arch/multiboot.h>
#include <arch/packed.h>

#define PHYS_SIZE  (64 * 1024)
#define MAX_MAPS   256
#define CORE_END   0x2000
#define REGION	   0x4000 /* region [REGION, REGION_END) */
#define REGION_END 0xa000
#define NAMES	   0x9000 /* strings: names, then the command line */
#define CMDLINE	   0x9100
#define BOOTARGS   "console=com1 testexit"

static struct {
	uint8_t mem[PHYS_SIZE];
	uint64_t limit; /* [0, limit) is readable */
	void *maps[MAX_MAPS];
	unsigned map_count;
} ph;

static struct boot_info bi;
static struct packed_modules pm;

static const void *phys_map(uint64_t paddr, uint64_t len, void *ctx)
{
	void *copy;

	assert_true(len > 0);
	if (paddr > ph.limit || len > ph.limit - paddr)
		return NULL;
	assert_true(ph.map_count < MAX_MAPS);
	copy = malloc(len);
	assert_non_null(copy);
	memcpy(copy, ph.mem + paddr, len);
	ph.maps[ph.map_count++] = copy;
	return copy;
}

static void unmap_all(void)
{
	for (unsigned i = 0; i < ph.map_count; i++)
		free(ph.maps[i]);
	ph.map_count = 0;
}

static void put_string(uint64_t paddr, const char *s)
{
	memcpy(ph.mem + paddr, s, strlen(s) + 1);
}

/* A loader's boot_info: version, command line, no modules yet. */
static void loader(unsigned mb_version, const char *cmdline)
{
	memset(&bi, 0, sizeof(bi));
	bi.cmdline = bi.cmdline_buf;
	bi.loader_name = bi.loader_buf;
	bi.mb_version = mb_version;
	snprintf(bi.cmdline_buf, sizeof(bi.cmdline_buf), "%s", cmdline);
}

/* Three modules (the second empty), named, and a command line. */
static int setup(void **state)
{
	static const char *const names[] = {"manifest.dtb", "empty.elf",
					    "hc_basic.elf"};
	uint64_t name = NAMES;

	memset(ph.mem, 0x5a, sizeof(ph.mem)); /* no stray NULs */
	ph.limit = PHYS_SIZE;
	memset(&pm, 0, sizeof(pm));
	memcpy(pm.magic, PACKED_MAGIC, PACKED_MAGIC_LEN);
	pm.version = PACKED_VERSION;
	pm.module_count = 3;
	pm.region_start = REGION;
	pm.region_end = REGION_END;
	pm.modules[0] = (struct packed_module){0x4000, 0x4400, 0};
	pm.modules[1] = (struct packed_module){0x5000, 0x5000, 0};
	pm.modules[2] = (struct packed_module){0x5000, 0x7123, 0};
	for (unsigned i = 0; i < 3; i++) {
		put_string(name, names[i]);
		pm.modules[i].name = name;
		name += strlen(names[i]) + 1;
	}
	put_string(CMDLINE, BOOTARGS);
	pm.cmdline = CMDLINE;
	loader(1, "/path/to/packed.elf");
	return 0;
}

static int teardown(void **state)
{
	unmap_all();
	return 0;
}

static enum boot_info_error add(void)
{
	enum boot_info_error err =
	    boot_info_add_packed(&bi, &pm, CORE_END, phys_map, NULL);

	unmap_all();
	return err;
}

/* A refused descriptor adds nothing and leaves the command line alone. */
static void expect_refused(enum boot_info_error want)
{
	char before[BOOT_CMDLINE_MAX];

	memcpy(before, bi.cmdline_buf, sizeof(before));
	assert_int_equal(add(), want);
	assert_int_equal(bi.module_count, 0);
	assert_string_equal(bi.cmdline_buf, before);
}

static void test_packed_modules(void **state)
{
	assert_int_equal(add(), BOOT_INFO_OK);
	assert_int_equal(bi.module_count, 3);
	assert_int_equal(bi.modules[0].start, 0x4000);
	assert_int_equal(bi.modules[0].end, 0x4400);
	assert_string_equal(bi.modules[0].cmdline, "manifest.dtb");
	assert_int_equal(bi.modules[1].start, bi.modules[1].end);
	assert_string_equal(bi.modules[1].cmdline, "empty.elf");
	assert_int_equal(bi.modules[2].end, 0x7123);
	assert_string_equal(bi.modules[2].cmdline, "hc_basic.elf");
	assert_string_equal(bi.cmdline, "/path/to/packed.elf " BOOTARGS);
}

static void test_nothing_packed(void **state)
{
	pm.module_count = 0;
	pm.region_start = 1; /* not looked at */
	assert_int_equal(add(), BOOT_INFO_OK);
	assert_int_equal(bi.module_count, 0);
	assert_string_equal(bi.cmdline, "/path/to/packed.elf");
}

static void test_magic_and_version(void **state)
{
	pm.magic[7] ^= 1;
	expect_refused(BOOT_INFO_ERR_PACKED);
	pm.magic[7] ^= 1;
	pm.version = PACKED_VERSION + 1;
	expect_refused(BOOT_INFO_ERR_PACKED);
	pm.module_count = 0; /* checked even with nothing packed */
	expect_refused(BOOT_INFO_ERR_PACKED);
	assert_string_equal(boot_info_strerror(BOOT_INFO_ERR_PACKED),
			    "malformed packed-modules descriptor");
}

/* The loader's modules win, even ones it could not describe. */
static void test_loader_modules_win(void **state)
{
	bi.module_count = 1;
	bi.modules[0] = (struct boot_module){0x10000, 0x11000, "loader"};
	assert_int_equal(add(), BOOT_INFO_OK);
	assert_int_equal(bi.module_count, 1);
	assert_string_equal(bi.modules[0].cmdline, "loader");
	assert_string_equal(bi.cmdline, "/path/to/packed.elf");

	loader(1, "");
	bi.modules_dropped = 1;
	assert_int_equal(add(), BOOT_INFO_OK);
	assert_int_equal(bi.module_count, 0);
	assert_string_equal(bi.cmdline, "");
}

static void test_command_line_rule(void **state)
{
	loader(1, "");
	assert_int_equal(add(), BOOT_INFO_OK);
	assert_string_equal(bi.cmdline, "atoll " BOOTARGS);

	loader(1, "packed.elf ");
	assert_int_equal(add(), BOOT_INFO_OK);
	assert_string_equal(bi.cmdline, "packed.elf " BOOTARGS);

	loader(1, "packed.elf loglvl=debug");
	assert_int_equal(add(), BOOT_INFO_OK);
	assert_string_equal(bi.cmdline, "packed.elf loglvl=debug");

	loader(2, "");
	assert_int_equal(add(), BOOT_INFO_OK);
	assert_string_equal(bi.cmdline, BOOTARGS);

	loader(2, "loglvl=debug");
	assert_int_equal(add(), BOOT_INFO_OK);
	assert_string_equal(bi.cmdline, "loglvl=debug");

	loader(2, "");
	pm.cmdline = 0;
	assert_int_equal(add(), BOOT_INFO_OK);
	assert_int_equal(bi.module_count, 3);
	assert_string_equal(bi.cmdline, "");
}

/* A path that fills the buffer leaves no room: the path stays. */
static void test_command_line_no_room(void **state)
{
	char path[BOOT_CMDLINE_MAX];

	memset(path, 'p', sizeof(path) - 1);
	path[sizeof(path) - 1] = '\0';
	loader(1, path);
	assert_int_equal(add(), BOOT_INFO_OK);
	assert_string_equal(bi.cmdline, path);

	path[sizeof(path) - 4] = '\0'; /* room for a space and 2 bytes */
	loader(1, path);
	assert_int_equal(add(), BOOT_INFO_OK);
	assert_int_equal(strlen(bi.cmdline), BOOT_CMDLINE_MAX - 1);
	assert_memory_equal(bi.cmdline + sizeof(path) - 4, " co", 4);
}

static void test_bad_region(void **state)
{
	pm.region_start = REGION + 1;
	expect_refused(BOOT_INFO_ERR_PACKED);
	pm.region_start = REGION;
	pm.region_end = REGION_END - 8;
	expect_refused(BOOT_INFO_ERR_PACKED);
	pm.region_end = REGION;
	expect_refused(BOOT_INFO_ERR_PACKED); /* empty */
	pm.region_end = REGION_END;
	assert_int_equal(
	    boot_info_add_packed(&bi, &pm, REGION + 0x1000, phys_map, NULL),
	    BOOT_INFO_ERR_PACKED); /* over the core */
	unmap_all();
	pm.module_count = PACKED_MAX_MODULES + 1;
	expect_refused(BOOT_INFO_ERR_PACKED);
	pm.module_count = UINT32_MAX;
	expect_refused(BOOT_INFO_ERR_PACKED);
}

static void test_bad_modules(void **state)
{
	struct packed_module good = pm.modules[2];

	pm.modules[2].start = 0x5100; /* not aligned */
	expect_refused(BOOT_INFO_ERR_PACKED);
	pm.modules[2] = good;
	pm.modules[2].end = REGION_END + 1; /* past the region */
	expect_refused(BOOT_INFO_ERR_PACKED);
	pm.modules[2] = good;
	pm.modules[2].start = 0x4000; /* overlaps module 0 */
	expect_refused(BOOT_INFO_ERR_PACKED);
	pm.modules[2] = good;
	pm.modules[2].end = 0x4fff; /* end before start */
	expect_refused(BOOT_INFO_ERR_PACKED);
	pm.modules[2] = good;
	pm.modules[0].start = 0x3000; /* below the region */
	expect_refused(BOOT_INFO_ERR_PACKED);
}

static void test_bad_strings(void **state)
{
	pm.modules[1].name = REGION_END; /* just outside */
	expect_refused(BOOT_INFO_ERR_PACKED);
	pm.modules[1].name = REGION_END - 4; /* no NUL before the end */
	expect_refused(BOOT_INFO_ERR_PACKED);
	pm.modules[1].name = 0; /* none */
	assert_int_equal(add(), BOOT_INFO_OK);
	assert_string_equal(bi.modules[1].cmdline, "");

	loader(1, "packed.elf");
	pm.cmdline = REGION_END - 4;
	expect_refused(BOOT_INFO_ERR_PACKED);
	pm.cmdline = 1;
	expect_refused(BOOT_INFO_ERR_PACKED);
}

/* A name longer than a module's string is truncated, like the loader's. */
static void test_long_name(void **state)
{
	char name[300];

	memset(name, 'n', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	put_string(0x8000, name);
	pm.modules[0].name = 0x8000;
	assert_int_equal(add(), BOOT_INFO_OK);
	assert_int_equal(strlen(bi.modules[0].cmdline),
			 BOOT_MODULE_CMDLINE_MAX - 1);
}

static void test_unreadable(void **state)
{
	ph.limit = 0x7000; /* module 2 runs past it */
	expect_refused(BOOT_INFO_ERR_MAP);
}

/* ---- through boot_info_parse(), with the core's hook ---- */

const struct packed_modules *arch_packed_modules(uint64_t *core_end)
{
	*core_end = CORE_END;
	return &pm;
}

/* A multiboot1 structure at 0x1000 with a memory map and a path. */
static void write_mb1(uint32_t mods_count)
{
	struct mb1_info info = {
	    .flags = MB1_INFO_MEMORY | MB1_INFO_CMDLINE | MB1_INFO_MODS,
	    .mem_lower = 639,
	    .mem_upper = 1024,
	    .cmdline = 0x1200,
	    .mods_count = mods_count,
	    .mods_addr = 0x1300,
	};
	struct mb1_module mod = {0x10000, 0x10010, 0, 0};

	memcpy(ph.mem + 0x1000, &info, sizeof(info));
	put_string(0x1200, "atoll.elf");
	memcpy(ph.mem + 0x1300, &mod, sizeof(mod));
}

static void test_parse_hook(void **state)
{
	write_mb1(0);
	assert_int_equal(
	    boot_info_parse(MB1_BOOTLOADER_MAGIC, 0x1000, phys_map, NULL, &bi),
	    BOOT_INFO_OK);
	unmap_all();
	assert_int_equal(bi.module_count, 3);
	assert_string_equal(bi.modules[2].cmdline, "hc_basic.elf");
	assert_string_equal(bi.cmdline, "atoll.elf " BOOTARGS);

	write_mb1(1);
	assert_int_equal(
	    boot_info_parse(MB1_BOOTLOADER_MAGIC, 0x1000, phys_map, NULL, &bi),
	    BOOT_INFO_OK);
	unmap_all();
	assert_int_equal(bi.module_count, 1);
	assert_string_equal(bi.cmdline, "atoll.elf");

	write_mb1(0);
	pm.region_start = 0x1000; /* over the core */
	assert_int_equal(
	    boot_info_parse(MB1_BOOTLOADER_MAGIC, 0x1000, phys_map, NULL, &bi),
	    BOOT_INFO_ERR_PACKED);
	unmap_all();
	assert_int_equal(bi.module_count, 0);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
	    T(test_packed_modules),    T(test_nothing_packed),
	    T(test_magic_and_version), T(test_loader_modules_win),
	    T(test_command_line_rule), T(test_command_line_no_room),
	    T(test_bad_region),	       T(test_bad_modules),
	    T(test_bad_strings),       T(test_long_name),
	    T(test_unreadable),	       T(test_parse_hook),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
