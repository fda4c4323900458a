// SPDX-License-Identifier: GPL-2.0-only
/*
 * The multiboot reader against info structures built in a test buffer that
 * stands in for physical memory. Every mapping the reader asks for is
 * handed out as a fresh heap copy of exactly the requested length, so
 * AddressSanitizer catches any read past what the reader mapped.
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

#define PHYS_SIZE (256 * 1024)
#define MAX_MAPS  4096
#define FILL_BYTE 0x5a /* not NUL: unterminated strings stay unterminated */

struct phys {
	uint8_t mem[PHYS_SIZE];
	uint64_t limit; /* [0, limit) is readable */
	void *maps[MAX_MAPS];
	unsigned map_count;
	uint64_t mapped_bytes;
	uint64_t mapped_top; /* highest end of any mapping */
};

static struct phys ph;
static struct boot_info bi;

static const void *phys_map(uint64_t paddr, uint64_t len, void *ctx)
{
	struct phys *p = ctx;
	void *copy;

	assert_true(len > 0);
	if (paddr > p->limit || len > p->limit - paddr)
		return NULL;
	assert_true(p->map_count < MAX_MAPS);
	copy = malloc(len);
	assert_non_null(copy);
	memcpy(copy, p->mem + paddr, len);
	p->maps[p->map_count++] = copy;
	p->mapped_bytes += len;
	if (paddr + len > p->mapped_top)
		p->mapped_top = paddr + len;
	return copy;
}

static void phys_unmap_all(void)
{
	for (unsigned i = 0; i < ph.map_count; i++)
		free(ph.maps[i]);
	ph.map_count = 0;
}

static int setup(void **state)
{
	memset(ph.mem, FILL_BYTE, sizeof(ph.mem));
	ph.limit = PHYS_SIZE;
	ph.mapped_bytes = 0;
	ph.mapped_top = 0;
	memset(&bi, 0xcc, sizeof(bi));
	return 0;
}

/* What must hold after every parse, successful or not. */
static void check_invariants(const struct boot_info *b)
{
	assert_ptr_equal(b->cmdline, b->cmdline_buf);
	assert_ptr_equal(b->loader_name, b->loader_buf);
	assert_true(strnlen(b->cmdline_buf, BOOT_CMDLINE_MAX) <
		    BOOT_CMDLINE_MAX);
	assert_true(strnlen(b->loader_buf, BOOT_LOADER_NAME_MAX) <
		    BOOT_LOADER_NAME_MAX);
	assert_true(b->mem_count <= BOOT_MAX_MEM_REGIONS);
	for (unsigned i = 0; i < b->mem_count; i++) {
		const struct boot_mem_region *r = &b->mem[i];

		assert_true(r->length > 0);
		assert_true(r->base + r->length > r->base);
		assert_in_range(r->type, BOOT_MEM_AVAILABLE, BOOT_MEM_BAD);
		if (i == 0)
			continue;
		assert_true(b->mem[i - 1].base + b->mem[i - 1].length <=
			    r->base);
		/* Touching neighbours of one type must have been merged. */
		assert_false(b->mem[i - 1].base + b->mem[i - 1].length ==
				 r->base &&
			     b->mem[i - 1].type == r->type);
	}
	assert_true(b->module_count <= BOOT_MAX_MODULES);
	for (unsigned i = 0; i < b->module_count; i++) {
		assert_true(b->modules[i].start <= b->modules[i].end);
		assert_true(
		    strnlen(b->modules[i].cmdline, BOOT_MODULE_CMDLINE_MAX) <
		    BOOT_MODULE_CMDLINE_MAX);
	}
	assert_true(b->rsdp_len == 0 || b->rsdp_len == ACPI_RSDP_V1_LEN ||
		    b->rsdp_len == ACPI_RSDP_V2_LEN);
}

static void check_empty(const struct boot_info *b)
{
	assert_string_equal(b->cmdline, "");
	assert_string_equal(b->loader_name, "");
	assert_int_equal(b->mem_count, 0);
	assert_int_equal(b->module_count, 0);
	assert_int_equal(b->rsdp_len, 0);
}

static enum boot_info_error parse(uint32_t magic, uint64_t paddr)
{
	enum boot_info_error err;

	err = boot_info_parse(magic, paddr, phys_map, &ph, &bi);
	phys_unmap_all();
	check_invariants(&bi);
	if (err != BOOT_INFO_OK)
		check_empty(&bi);
	return err;
}

static void expect_region(unsigned i, uint64_t base, uint64_t length,
			  uint32_t type)
{
	assert_true(i < bi.mem_count);
	assert_int_equal(bi.mem[i].base, base);
	assert_int_equal(bi.mem[i].length, length);
	assert_int_equal(bi.mem[i].type, type);
}

/* ---- Multiboot2 builder ---- */

#define MB2_AT 0x10000

struct mb2 {
	uint64_t at;
	uint32_t off;
};

static struct mb2 mb2_begin(uint64_t at)
{
	return (struct mb2){.at = at, .off = sizeof(struct mb2_info_header)};
}

/* Append a tag of `size` bytes and return where its payload goes. */
static uint8_t *mb2_tag(struct mb2 *b, uint32_t type, uint32_t size)
{
	uint8_t *t = ph.mem + b->at + b->off;
	struct mb2_tag h = {.type = type, .size = size};

	memcpy(t, &h, sizeof(h));
	b->off += ALIGN_UP(size, MB2_TAG_ALIGN);
	return t + sizeof(h);
}

static void mb2_string(struct mb2 *b, uint32_t type, const char *s)
{
	size_t len = strlen(s) + 1;

	memcpy(mb2_tag(b, type, sizeof(struct mb2_tag) + len), s, len);
}

static void mb2_module(struct mb2 *b, uint32_t start, uint32_t end,
		       const char *s)
{
	size_t len = strlen(s) + 1;
	uint8_t *p =
	    mb2_tag(b, MB2_TAG_MODULE, sizeof(struct mb2_tag_module) + len);

	memcpy(p, &start, 4);
	memcpy(p + 4, &end, 4);
	memcpy(p + 8, s, len);
}

static void mb2_mmap_sized(struct mb2 *b, uint32_t entry_size,
			   const struct mb2_mmap_entry *e, unsigned n)
{
	uint8_t *p = mb2_tag(b, MB2_TAG_MMAP,
			     sizeof(struct mb2_tag_mmap) + n * entry_size);
	uint32_t version = 0;

	memcpy(p, &entry_size, 4);
	memcpy(p + 4, &version, 4);
	for (unsigned i = 0; i < n; i++)
		memcpy(p + 8 + i * entry_size, &e[i], sizeof(e[i]));
}

static void mb2_mmap(struct mb2 *b, const struct mb2_mmap_entry *e, unsigned n)
{
	mb2_mmap_sized(b, sizeof(*e), e, n);
}

static void mb2_meminfo(struct mb2 *b, uint32_t lower, uint32_t upper)
{
	uint8_t *p = mb2_tag(b, MB2_TAG_BASIC_MEMINFO,
			     sizeof(struct mb2_tag_basic_meminfo));

	memcpy(p, &lower, 4);
	memcpy(p + 4, &upper, 4);
}

static void mb2_set_total(struct mb2 *b, uint32_t total)
{
	memcpy(ph.mem + b->at, &total, sizeof(total));
}

static uint32_t mb2_finish(struct mb2 *b)
{
	mb2_tag(b, MB2_TAG_END, sizeof(struct mb2_tag));
	mb2_set_total(b, b->off);
	return b->off;
}

static const struct mb2_mmap_entry one_ram[] = {
    {0x100000, 0x1000000, BOOT_MEM_AVAILABLE, 0},
};

/* A minimal valid structure: one memory region, then `finish`. */
static struct mb2 mb2_minimal(void)
{
	struct mb2 b = mb2_begin(MB2_AT);

	mb2_mmap(&b, one_ram, 1);
	return b;
}

/* RSDP copies; the reader copies them without judging them. */
static void make_rsdp(uint8_t *r, size_t len, uint8_t tagbyte)
{
	memset(r, tagbyte, len);
	memcpy(r, ACPI_RSDP_SIGNATURE, ACPI_RSDP_SIGNATURE_LEN);
}

/* ---- Multiboot2: well-formed input ---- */

static void test_mb2_full(void **state)
{
	static const struct mb2_mmap_entry map[] = {
	    {0x100000, 0x7ee0000, BOOT_MEM_AVAILABLE, 0},
	    {0x0, 0x9fc00, BOOT_MEM_AVAILABLE, 0},
	    {0xfffc0000, 0x40000, BOOT_MEM_RESERVED, 0},
	    {0x9fc00, 0x400, BOOT_MEM_RESERVED, 0},
	    {0x7fe0000, 0x20000, BOOT_MEM_ACPI_RECLAIMABLE, 0},
	};
	struct mb2 b = mb2_begin(MB2_AT);
	uint8_t rsdp[ACPI_RSDP_V2_LEN];
	uint32_t total;

	mb2_string(&b, MB2_TAG_CMDLINE, "console=com1 loglvl=debug");
	mb2_string(&b, MB2_TAG_BOOT_LOADER_NAME, "GRUB 2.06");
	mb2_module(&b, 0x200000, 0x234567, "/boot/manifest.dtb");
	mb2_module(&b, 0x235000, 0x235000, "");
	mb2_mmap(&b, map, ARRAY_SIZE(map));
	make_rsdp(rsdp, sizeof(rsdp), 0x22);
	memcpy(mb2_tag(&b, MB2_TAG_ACPI_NEW, 8 + sizeof(rsdp)), rsdp,
	       sizeof(rsdp));
	total = mb2_finish(&b);

	assert_int_equal(parse(MB2_BOOTLOADER_MAGIC, MB2_AT), BOOT_INFO_OK);
	assert_int_equal(bi.mb_version, 2);
	assert_string_equal(bi.cmdline, "console=com1 loglvl=debug");
	assert_string_equal(bi.loader_name, "GRUB 2.06");
	assert_int_equal(bi.module_count, 2);
	assert_int_equal(bi.modules_dropped, 0);
	assert_int_equal(bi.modules[0].start, 0x200000);
	assert_int_equal(bi.modules[0].end, 0x234567);
	assert_string_equal(bi.modules[0].cmdline, "/boot/manifest.dtb");
	assert_int_equal(bi.modules[1].start, 0x235000);
	assert_string_equal(bi.modules[1].cmdline, "");
	assert_int_equal(bi.mem_count, 5);
	expect_region(0, 0x0, 0x9fc00, BOOT_MEM_AVAILABLE);
	expect_region(1, 0x9fc00, 0x400, BOOT_MEM_RESERVED);
	expect_region(2, 0x100000, 0x7ee0000, BOOT_MEM_AVAILABLE);
	expect_region(3, 0x7fe0000, 0x20000, BOOT_MEM_ACPI_RECLAIMABLE);
	expect_region(4, 0xfffc0000, 0x40000, BOOT_MEM_RESERVED);
	assert_int_equal(bi.mem_dropped, 0);
	assert_int_equal(bi.rsdp_len, ACPI_RSDP_V2_LEN);
	assert_memory_equal(bi.rsdp, rsdp, sizeof(rsdp));
	assert_int_equal(bi.info_start, MB2_AT);
	assert_int_equal(bi.info_end, MB2_AT + total);
}

static void test_mb2_flash_region(void **state)
{
	static const struct mb2_mmap_entry map[] = {
	    {0xfffc0000, 0x40000, BOOT_MEM_RESERVED, 0},
	    {0x0, 0x9fc00, BOOT_MEM_AVAILABLE, 0},
	};
	struct mb2 b = mb2_begin(MB2_AT);

	mb2_mmap(&b, map, ARRAY_SIZE(map));
	mb2_finish(&b);
	assert_int_equal(parse(MB2_BOOTLOADER_MAGIC, MB2_AT), BOOT_INFO_OK);
	assert_int_equal(bi.mem_count, 2);
	expect_region(0, 0x0, 0x9fc00, BOOT_MEM_AVAILABLE);
	expect_region(1, 0xfffc0000, 0x40000, BOOT_MEM_RESERVED);
	/* No cmdline tag: empty strings, not garbage. */
	assert_string_equal(bi.cmdline, "");
	assert_string_equal(bi.loader_name, "");
	assert_int_equal(bi.rsdp_len, 0);
}

static void test_mb2_truncation(void **state)
{
	struct mb2 b = mb2_begin(MB2_AT);
	char long_cmd[2000], long_name[100], long_mod[300];

	memset(long_cmd, 'c', sizeof(long_cmd) - 1);
	long_cmd[sizeof(long_cmd) - 1] = '\0';
	memset(long_name, 'n', sizeof(long_name) - 1);
	long_name[sizeof(long_name) - 1] = '\0';
	memset(long_mod, 'm', sizeof(long_mod) - 1);
	long_mod[sizeof(long_mod) - 1] = '\0';
	mb2_string(&b, MB2_TAG_CMDLINE, long_cmd);
	mb2_string(&b, MB2_TAG_BOOT_LOADER_NAME, long_name);
	mb2_module(&b, 0x1000, 0x2000, long_mod);
	mb2_mmap(&b, one_ram, 1);
	mb2_finish(&b);

	assert_int_equal(parse(MB2_BOOTLOADER_MAGIC, MB2_AT), BOOT_INFO_OK);
	assert_int_equal(strlen(bi.cmdline), BOOT_CMDLINE_MAX - 1);
	assert_memory_equal(bi.cmdline, long_cmd, BOOT_CMDLINE_MAX - 1);
	assert_int_equal(strlen(bi.loader_name), BOOT_LOADER_NAME_MAX - 1);
	assert_int_equal(strlen(bi.modules[0].cmdline),
			 BOOT_MODULE_CMDLINE_MAX - 1);
}

static void test_mb2_rsdp_old_only(void **state)
{
	struct mb2 b = mb2_minimal();
	uint8_t old[ACPI_RSDP_V1_LEN];

	make_rsdp(old, sizeof(old), 0x11);
	memcpy(mb2_tag(&b, MB2_TAG_ACPI_OLD, 8 + sizeof(old)), old,
	       sizeof(old));
	mb2_finish(&b);
	assert_int_equal(parse(MB2_BOOTLOADER_MAGIC, MB2_AT), BOOT_INFO_OK);
	assert_int_equal(bi.rsdp_len, ACPI_RSDP_V1_LEN);
	assert_memory_equal(bi.rsdp, old, sizeof(old));
}

/* The new (ACPI 2.0+) copy wins whether it comes before or after. */
static void check_rsdp_preference(bool new_first)
{
	struct mb2 b = mb2_minimal();
	uint8_t old[ACPI_RSDP_V1_LEN], new[ACPI_RSDP_V2_LEN];

	make_rsdp(old, sizeof(old), 0x11);
	make_rsdp(new, sizeof(new), 0x22);
	if (new_first)
		memcpy(mb2_tag(&b, MB2_TAG_ACPI_NEW, 8 + sizeof(new)), new,
		       sizeof(new));
	memcpy(mb2_tag(&b, MB2_TAG_ACPI_OLD, 8 + sizeof(old)), old,
	       sizeof(old));
	if (!new_first)
		memcpy(mb2_tag(&b, MB2_TAG_ACPI_NEW, 8 + sizeof(new)), new,
		       sizeof(new));
	mb2_finish(&b);
	assert_int_equal(parse(MB2_BOOTLOADER_MAGIC, MB2_AT), BOOT_INFO_OK);
	assert_int_equal(bi.rsdp_len, ACPI_RSDP_V2_LEN);
	assert_memory_equal(bi.rsdp, new, sizeof(new));
}

static void test_mb2_rsdp_new_preferred(void **state)
{
	check_rsdp_preference(true);
	setup(NULL);
	check_rsdp_preference(false);
}

static void test_mb2_unknown_tags_skipped(void **state)
{
	struct mb2 b = mb2_begin(MB2_AT);

	memset(mb2_tag(&b, MB2_TAG_FRAMEBUFFER, 8 + 23), 0, 23);
	mb2_tag(&b, 99, 8);
	mb2_tag(&b, 0xffffffff, 8 + 5);
	mb2_tag(&b, MB2_TAG_EFI_MMAP, 8 + 40);
	mb2_mmap(&b, one_ram, 1);
	mb2_string(&b, MB2_TAG_CMDLINE, "after unknown tags");
	mb2_finish(&b);
	/* Tags after the end tag are never looked at. */
	mb2_tag(&b, MB2_TAG_CMDLINE, 3);

	assert_int_equal(parse(MB2_BOOTLOADER_MAGIC, MB2_AT), BOOT_INFO_OK);
	assert_string_equal(bi.cmdline, "after unknown tags");
	assert_int_equal(bi.mem_count, 1);
}

static void test_mb2_basic_meminfo_fallback(void **state)
{
	struct mb2 b = mb2_begin(MB2_AT);

	mb2_meminfo(&b, 639, 130048);
	mb2_finish(&b);
	assert_int_equal(parse(MB2_BOOTLOADER_MAGIC, MB2_AT), BOOT_INFO_OK);
	assert_int_equal(bi.mem_count, 2);
	expect_region(0, 0, 639 * 1024, BOOT_MEM_AVAILABLE);
	expect_region(1, 0x100000, 130048ULL * 1024, BOOT_MEM_AVAILABLE);
}

static void test_mb2_mmap_beats_meminfo(void **state)
{
	struct mb2 b = mb2_begin(MB2_AT);

	mb2_meminfo(&b, 639, 130048);
	mb2_mmap(&b, one_ram, 1);
	mb2_finish(&b);
	assert_int_equal(parse(MB2_BOOTLOADER_MAGIC, MB2_AT), BOOT_INFO_OK);
	assert_int_equal(bi.mem_count, 1);
	expect_region(0, 0x100000, 0x1000000, BOOT_MEM_AVAILABLE);
}

/* A later mmap version may have longer entries: step by entry_size. */
static void test_mb2_mmap_large_entries(void **state)
{
	static const struct mb2_mmap_entry map[] = {
	    {0x0, 0x1000, BOOT_MEM_AVAILABLE, 0},
	    {0x2000, 0x1000, BOOT_MEM_NVS, 0},
	    {0x4000, 0x1000, BOOT_MEM_BAD, 0},
	};
	struct mb2 b = mb2_begin(MB2_AT);

	mb2_mmap_sized(&b, 40, map, ARRAY_SIZE(map));
	mb2_finish(&b);
	assert_int_equal(parse(MB2_BOOTLOADER_MAGIC, MB2_AT), BOOT_INFO_OK);
	assert_int_equal(bi.mem_count, 3);
	expect_region(0, 0x0, 0x1000, BOOT_MEM_AVAILABLE);
	expect_region(1, 0x2000, 0x1000, BOOT_MEM_NVS);
	expect_region(2, 0x4000, 0x1000, BOOT_MEM_BAD);
}

static void test_mb2_too_many_modules(void **state)
{
	struct mb2 b = mb2_minimal();
	char name[16];

	for (unsigned i = 0; i < BOOT_MAX_MODULES + 5; i++) {
		snprintf(name, sizeof(name), "mod%u", i);
		mb2_module(&b, i * 0x1000, i * 0x1000 + 0x800, name);
	}
	mb2_finish(&b);
	assert_int_equal(parse(MB2_BOOTLOADER_MAGIC, MB2_AT), BOOT_INFO_OK);
	assert_int_equal(bi.module_count, BOOT_MAX_MODULES);
	assert_int_equal(bi.modules_dropped, 5);
	assert_string_equal(bi.modules[BOOT_MAX_MODULES - 1].cmdline, "mod31");
}

/* ---- Multiboot2: hostile input ---- */

static void test_mb2_bad_magic(void **state)
{
	struct mb2 b = mb2_minimal();

	mb2_finish(&b);
	assert_int_equal(parse(0, MB2_AT), BOOT_INFO_ERR_MAGIC);
	assert_int_equal(parse(MB2_HEADER_MAGIC, MB2_AT), BOOT_INFO_ERR_MAGIC);
	assert_int_equal(parse(MB1_HEADER_MAGIC, MB2_AT), BOOT_INFO_ERR_MAGIC);
}

static void test_mb2_total_size(void **state)
{
	static const uint32_t bad[] = {
	    0, 7, 8, 15, MB_INFO_MAX_SIZE + 1, 0xffffffff};
	struct mb2 b = mb2_minimal();

	mb2_finish(&b);
	for (unsigned i = 0; i < ARRAY_SIZE(bad); i++) {
		mb2_set_total(&b, bad[i]);
		assert_int_equal(parse(MB2_BOOTLOADER_MAGIC, MB2_AT),
				 BOOT_INFO_ERR_TOTAL_SIZE);
	}
	/* Plausible, but more than the readable memory. */
	mb2_set_total(&b, PHYS_SIZE);
	assert_int_equal(parse(MB2_BOOTLOADER_MAGIC, MB2_AT),
			 BOOT_INFO_ERR_MAP);
	/* Exactly 16: header and end tag only, but no memory. */
	b = mb2_begin(MB2_AT);
	assert_int_equal(mb2_finish(&b), MB2_INFO_MIN_SIZE);
	assert_int_equal(parse(MB2_BOOTLOADER_MAGIC, MB2_AT),
			 BOOT_INFO_ERR_NO_MEMORY);
}

static void test_mb2_unmapped_and_misaligned(void **state)
{
	struct mb2 b = mb2_minimal();

	mb2_finish(&b);
	ph.limit = MB2_AT + 4;
	assert_int_equal(parse(MB2_BOOTLOADER_MAGIC, MB2_AT),
			 BOOT_INFO_ERR_MAP);
	ph.limit = MB2_AT + 16;
	assert_int_equal(parse(MB2_BOOTLOADER_MAGIC, MB2_AT),
			 BOOT_INFO_ERR_MAP);
	ph.limit = PHYS_SIZE;
	assert_int_equal(parse(MB2_BOOTLOADER_MAGIC, MB2_AT + 4),
			 BOOT_INFO_ERR_ALIGN);
	assert_int_equal(parse(MB2_BOOTLOADER_MAGIC, UINT64_MAX - 7),
			 BOOT_INFO_ERR_MAP);
}

static void test_mb2_tag_sizes(void **state)
{
	static const uint32_t bad[] = {0, 1, 4, 7};
	struct mb2 b;

	/* Size 0 would never advance; each small size is refused. */
	for (unsigned i = 0; i < ARRAY_SIZE(bad); i++) {
		b = mb2_minimal();
		mb2_tag(&b, MB2_TAG_CMDLINE, bad[i]);
		b.off += 8;
		mb2_finish(&b);
		assert_int_equal(parse(MB2_BOOTLOADER_MAGIC, MB2_AT),
				 BOOT_INFO_ERR_TAG_SIZE);
	}
	/* A tag running past total_size (the bytes after it exist). */
	b = mb2_minimal();
	mb2_tag(&b, 1234, 64);
	mb2_set_total(&b, b.off - 64 + 16);
	assert_int_equal(parse(MB2_BOOTLOADER_MAGIC, MB2_AT),
			 BOOT_INFO_ERR_TAG_SIZE);
	/* A huge size that would wrap a 32-bit offset. */
	b = mb2_minimal();
	{
		uint32_t at = b.off;

		mb2_tag(&b, 1234, 0xfffffff8);
		b.off = at + 8;
	}
	mb2_finish(&b);
	assert_int_equal(parse(MB2_BOOTLOADER_MAGIC, MB2_AT),
			 BOOT_INFO_ERR_TAG_SIZE);
}

static void test_mb2_known_tags_too_short(void **state)
{
	static const struct {
		uint32_t type, size;
	} bad[] = {
	    {MB2_TAG_MODULE, 12},	{MB2_TAG_BASIC_MEMINFO, 12},
	    {MB2_TAG_MMAP, 12},		{MB2_TAG_ACPI_OLD, 8 + 19},
	    {MB2_TAG_ACPI_NEW, 8 + 20},
	};

	for (unsigned i = 0; i < ARRAY_SIZE(bad); i++) {
		struct mb2 b = mb2_minimal();

		memset(mb2_tag(&b, bad[i].type, bad[i].size), 0,
		       bad[i].size - 8);
		mb2_finish(&b);
		assert_int_equal(parse(MB2_BOOTLOADER_MAGIC, MB2_AT),
				 BOOT_INFO_ERR_TAG_SIZE);
	}
}

static void test_mb2_no_end_tag(void **state)
{
	struct mb2 b = mb2_minimal();

	/* The tags just stop at total_size. */
	mb2_set_total(&b, b.off);
	assert_int_equal(parse(MB2_BOOTLOADER_MAGIC, MB2_AT),
			 BOOT_INFO_ERR_NO_END_TAG);
	/* A last tag that fits but whose padding does not. */
	b = mb2_minimal();
	mb2_tag(&b, 1234, 12);
	mb2_set_total(&b, b.off - 4);
	assert_int_equal(parse(MB2_BOOTLOADER_MAGIC, MB2_AT),
			 BOOT_INFO_ERR_NO_END_TAG);
	/* Room left, but less than a tag header. */
	b = mb2_minimal();
	mb2_set_total(&b, b.off + 4);
	assert_int_equal(parse(MB2_BOOTLOADER_MAGIC, MB2_AT),
			 BOOT_INFO_ERR_NO_END_TAG);
}

static void test_mb2_mmap_entry_size(void **state)
{
	static const uint32_t bad[] = {0, 8, 16, 20, 28, 33, 0xfffffffc};
	struct mb2 b;
	uint32_t huge = 0xfffffff8;

	for (unsigned i = 0; i < ARRAY_SIZE(bad); i++) {
		b = mb2_begin(MB2_AT);
		memcpy(mb2_tag(&b, MB2_TAG_MMAP, 16 + 48), &bad[i], 4);
		mb2_finish(&b);
		assert_int_equal(parse(MB2_BOOTLOADER_MAGIC, MB2_AT),
				 BOOT_INFO_ERR_MMAP);
	}
	/* Well-formed but larger than the tag: no entries, no memory. */
	b = mb2_begin(MB2_AT);
	memcpy(mb2_tag(&b, MB2_TAG_MMAP, 16 + 48), &huge, 4);
	mb2_finish(&b);
	assert_int_equal(parse(MB2_BOOTLOADER_MAGIC, MB2_AT),
			 BOOT_INFO_ERR_NO_MEMORY);
}

/* Entries that don't fill a whole entry_size are ignored, not read. */
static void test_mb2_mmap_ragged(void **state)
{
	struct mb2 b = mb2_begin(MB2_AT);
	uint8_t *p = mb2_tag(&b, MB2_TAG_MMAP, 16 + 24 + 20);
	uint32_t es = 24;

	memcpy(p, &es, 4);
	memset(p + 4, 0, 4);
	memcpy(p + 8, &one_ram[0], 24);
	mb2_finish(&b);
	assert_int_equal(parse(MB2_BOOTLOADER_MAGIC, MB2_AT), BOOT_INFO_OK);
	assert_int_equal(bi.mem_count, 1);
}

static void test_mb2_unterminated_strings(void **state)
{
	static const uint32_t types[] = {MB2_TAG_CMDLINE,
					 MB2_TAG_BOOT_LOADER_NAME};

	for (unsigned i = 0; i < ARRAY_SIZE(types); i++) {
		struct mb2 b = mb2_minimal();

		/* 5 bytes, no NUL; the padding after them holds a NUL. */
		memcpy(mb2_tag(&b, types[i], 8 + 5), "abcde", 5);
		memset(ph.mem + b.at + b.off - 3, 0, 3);
		mb2_finish(&b);
		assert_int_equal(parse(MB2_BOOTLOADER_MAGIC, MB2_AT),
				 BOOT_INFO_ERR_STRING);
		/* An empty payload has no NUL either. */
		b = mb2_minimal();
		mb2_tag(&b, types[i], 8);
		mb2_finish(&b);
		assert_int_equal(parse(MB2_BOOTLOADER_MAGIC, MB2_AT),
				 BOOT_INFO_ERR_STRING);
	}
}

static void test_mb2_bad_modules_dropped(void **state)
{
	struct mb2 b = mb2_minimal();
	uint8_t *p;
	uint32_t v;

	mb2_module(&b, 0x3000, 0x2000, "backwards");
	p = mb2_tag(&b, MB2_TAG_MODULE, 16 + 4);
	v = 0x1000;
	memcpy(p, &v, 4);
	v = 0x2000;
	memcpy(p + 4, &v, 4);
	memcpy(p + 8, "abcd", 4);	 /* no NUL inside the tag */
	mb2_tag(&b, MB2_TAG_MODULE, 16); /* no string at all */
	mb2_module(&b, 0x5000, 0x6000, "good");
	mb2_finish(&b);
	assert_int_equal(parse(MB2_BOOTLOADER_MAGIC, MB2_AT), BOOT_INFO_OK);
	assert_int_equal(bi.module_count, 1);
	assert_int_equal(bi.modules_dropped, 3);
	assert_string_equal(bi.modules[0].cmdline, "good");
}

static void test_mb2_error_resets_output(void **state)
{
	struct mb2 b = mb2_begin(MB2_AT);

	mb2_string(&b, MB2_TAG_CMDLINE, "set before the error");
	mb2_module(&b, 0x1000, 0x2000, "m");
	mb2_mmap(&b, one_ram, 1);
	mb2_tag(&b, MB2_TAG_MMAP, 16); /* entry_size 0x5a5a5a5a: bad */
	mb2_finish(&b);
	assert_int_equal(parse(MB2_BOOTLOADER_MAGIC, MB2_AT),
			 BOOT_INFO_ERR_MMAP);
	check_empty(&bi);
	assert_int_equal(bi.mb_version, 0);
}

/* ---- Memory map normalisation ---- */

static void parse_map(const struct mb2_mmap_entry *e, unsigned n)
{
	struct mb2 b = mb2_begin(MB2_AT);

	mb2_mmap(&b, e, n);
	mb2_finish(&b);
	assert_int_equal(parse(MB2_BOOTLOADER_MAGIC, MB2_AT), BOOT_INFO_OK);
}

static void test_map_merge_adjacent(void **state)
{
	static const struct mb2_mmap_entry map[] = {
	    {0x3000, 0x1000, BOOT_MEM_AVAILABLE, 0},
	    {0x1000, 0x1000, BOOT_MEM_AVAILABLE, 0},
	    {0x2000, 0x1000, BOOT_MEM_AVAILABLE, 0},
	    {0x4000, 0x1000, BOOT_MEM_RESERVED, 0},
	    {0x1800, 0x2000, BOOT_MEM_AVAILABLE, 0}, /* same-type overlap */
	    {0x9000, 0, BOOT_MEM_RESERVED, 0},	     /* empty: ignored */
	};

	parse_map(map, ARRAY_SIZE(map));
	assert_int_equal(bi.mem_count, 2);
	expect_region(0, 0x1000, 0x3000, BOOT_MEM_AVAILABLE);
	expect_region(1, 0x4000, 0x1000, BOOT_MEM_RESERVED);
}

static void test_map_reserved_splits_available(void **state)
{
	static const struct mb2_mmap_entry map[] = {
	    {0x0, 0x10000, BOOT_MEM_AVAILABLE, 0},
	    {0x4000, 0x2000, BOOT_MEM_RESERVED, 0},
	};

	parse_map(map, ARRAY_SIZE(map));
	assert_int_equal(bi.mem_count, 3);
	expect_region(0, 0x0, 0x4000, BOOT_MEM_AVAILABLE);
	expect_region(1, 0x4000, 0x2000, BOOT_MEM_RESERVED);
	expect_region(2, 0x6000, 0xa000, BOOT_MEM_AVAILABLE);
}

/* Same input with the reserved entry first: the result must not change. */
static void test_map_available_never_overrides(void **state)
{
	static const struct mb2_mmap_entry map[] = {
	    {0x4000, 0x2000, BOOT_MEM_RESERVED, 0},
	    {0x0, 0x10000, BOOT_MEM_AVAILABLE, 0},
	    {0x5000, 0x4000, BOOT_MEM_AVAILABLE, 0},
	};

	parse_map(map, ARRAY_SIZE(map));
	assert_int_equal(bi.mem_count, 3);
	expect_region(0, 0x0, 0x4000, BOOT_MEM_AVAILABLE);
	expect_region(1, 0x4000, 0x2000, BOOT_MEM_RESERVED);
	expect_region(2, 0x6000, 0xa000, BOOT_MEM_AVAILABLE);
}

static void test_map_type_ranking(void **state)
{
	static const struct mb2_mmap_entry map[] = {
	    {0x0, 0x1000, BOOT_MEM_ACPI_RECLAIMABLE, 0},
	    {0x800, 0x1000, BOOT_MEM_RESERVED, 0},
	    {0x1000, 0x1000, BOOT_MEM_NVS, 0},
	    {0x1c00, 0x800, BOOT_MEM_BAD, 0},
	    {0x0, 0x3000, BOOT_MEM_AVAILABLE, 0},
	};

	parse_map(map, ARRAY_SIZE(map));
	assert_int_equal(bi.mem_count, 5);
	expect_region(0, 0x0, 0x800, BOOT_MEM_ACPI_RECLAIMABLE);
	expect_region(1, 0x800, 0x800, BOOT_MEM_RESERVED);
	expect_region(2, 0x1000, 0xc00, BOOT_MEM_NVS);
	expect_region(3, 0x1c00, 0x800, BOOT_MEM_BAD);
	expect_region(4, 0x2400, 0xc00, BOOT_MEM_AVAILABLE);
}

static void test_map_unknown_types_reserved(void **state)
{
	static const struct mb2_mmap_entry map[] = {
	    {0x0, 0x1000, 0, 0},
	    {0x1000, 0x1000, 7, 0}, /* persistent memory */
	    {0x2000, 0x1000, 0xffffffff, 0},
	    {0x0, 0x4000, BOOT_MEM_AVAILABLE, 0},
	};

	parse_map(map, ARRAY_SIZE(map));
	assert_int_equal(bi.mem_count, 2);
	expect_region(0, 0x0, 0x3000, BOOT_MEM_RESERVED);
	expect_region(1, 0x3000, 0x1000, BOOT_MEM_AVAILABLE);
}

static void test_map_wraps_clipped(void **state)
{
	static const struct mb2_mmap_entry map[] = {
	    {0xfffffffffffff000ULL, 0x2000, BOOT_MEM_RESERVED, 0},
	    {UINT64_MAX, UINT64_MAX, BOOT_MEM_RESERVED, 0},
	    {0x1000, UINT64_MAX, BOOT_MEM_AVAILABLE, 0},
	};

	parse_map(map, ARRAY_SIZE(map));
	assert_int_equal(bi.mem_count, 2);
	expect_region(0, 0x1000, 0xfffffffffffff000ULL - 0x1000,
		      BOOT_MEM_AVAILABLE);
	expect_region(1, 0xfffffffffffff000ULL, 0xfff, BOOT_MEM_RESERVED);
}

/*
 * Brute force: at each boundary point, the expected type is the highest
 * ranked among the entries covering it. When regions had to be dropped,
 * the result must be exact up to some point and empty from there on.
 */
static unsigned rank_of(uint32_t type)
{
	static const unsigned rank[] = {0, 1, 3, 2, 4, 5};

	return type >= 1 && type <= 5 ? rank[type] : rank[BOOT_MEM_RESERVED];
}

static uint32_t expected_type_at(const struct mb2_mmap_entry *e, unsigned n,
				 uint64_t x)
{
	uint32_t best = 0;

	for (unsigned i = 0; i < n; i++) {
		uint32_t t = rank_of(e[i].type) == rank_of(BOOT_MEM_RESERVED)
				 ? BOOT_MEM_RESERVED
				 : e[i].type;

		if (x >= e[i].base_addr && x < e[i].base_addr + e[i].length &&
		    (!best || rank_of(t) > rank_of(best)))
			best = t;
	}
	return best;
}

static uint32_t result_type_at(uint64_t x)
{
	for (unsigned i = 0; i < bi.mem_count; i++)
		if (x >= bi.mem[i].base &&
		    x < bi.mem[i].base + bi.mem[i].length)
			return bi.mem[i].type;
	return 0;
}

static void check_map_against(const struct mb2_mmap_entry *e, unsigned n)
{
	bool cut = false;

	for (unsigned i = 0; i < 2 * n; i++) {
		uint64_t x = i < n ? e[i].base_addr
				   : e[i - n].base_addr + e[i - n].length;
		uint32_t want = expected_type_at(e, n, x);
		uint32_t got = result_type_at(x);

		if (got == want)
			continue;
		assert_int_equal(got, 0);
		assert_true(bi.mem_dropped > 0);
		/* Everything from x up must be gone. */
		assert_true(bi.mem_count == 0 ||
			    bi.mem[bi.mem_count - 1].base +
				    bi.mem[bi.mem_count - 1].length <=
				x);
		cut = true;
	}
	if (!cut && n * 2 < BOOT_MAX_MEM_REGIONS)
		assert_int_equal(bi.mem_dropped, 0);
}

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

static uint32_t rng(uint32_t bound)
{
	rng_state = rng_state * 6364136223846793005ULL + 1442695040888963407ULL;
	return (uint32_t)(rng_state >> 33) % bound;
}

static void random_map_round(unsigned n, uint32_t span)
{
	struct mb2_mmap_entry e[300];

	for (unsigned i = 0; i < n; i++) {
		e[i].base_addr = rng(span) * 0x100ULL;
		e[i].length = (1 + rng(span / 4 + 1)) * 0x100ULL;
		e[i].type = rng(8);
		e[i].reserved = 0;
	}
	setup(NULL);
	parse_map(e, n);
	check_map_against(e, n);
}

static void test_map_random_against_brute_force(void **state)
{
	for (unsigned round = 0; round < 400; round++)
		random_map_round(1 + rng(40), 64);
	/* Many more regions than fit: the kept part must still be exact. */
	for (unsigned round = 0; round < 40; round++)
		random_map_round(150 + rng(150), 2048);
}

/*
 * 200 reserved holes, then RAM over all of them. Only 128 regions fit:
 * whatever is kept is exact, and no hole that fell off the end comes back
 * as available memory.
 */
static void test_map_overflow_is_conservative(void **state)
{
	static struct mb2_mmap_entry e[201];

	for (unsigned i = 0; i < 200; i++)
		e[i] = (struct mb2_mmap_entry){i * 0x2000ULL + 0x1000, 0x1000,
					       BOOT_MEM_RESERVED, 0};
	e[200] =
	    (struct mb2_mmap_entry){0, 200 * 0x2000ULL, BOOT_MEM_AVAILABLE, 0};
	parse_map(e, 201);
	assert_int_equal(bi.mem_count, BOOT_MAX_MEM_REGIONS);
	assert_true(bi.mem_dropped > 0);
	check_map_against(e, 201);
	assert_int_equal(bi.mem[0].type, BOOT_MEM_AVAILABLE);
	assert_int_equal(bi.mem[1].type, BOOT_MEM_RESERVED);
}

/*
 * A full map whose top region gets a hole punched in it: neither the hole
 * nor the rest of the region above it fits, so the map ends below the hole.
 */
static void test_map_overflow_split_at_top(void **state)
{
	static struct mb2_mmap_entry e[BOOT_MAX_MEM_REGIONS + 1];
	const uint64_t top = (BOOT_MAX_MEM_REGIONS - 1) * 0x2000ULL;

	for (unsigned i = 0; i < BOOT_MAX_MEM_REGIONS; i++)
		e[i] = (struct mb2_mmap_entry){i * 0x2000ULL, 0x1000,
					       BOOT_MEM_AVAILABLE, 0};
	e[BOOT_MAX_MEM_REGIONS] =
	    (struct mb2_mmap_entry){top + 0x400, 0x400, BOOT_MEM_RESERVED, 0};
	parse_map(e, ARRAY_SIZE(e));
	assert_int_equal(bi.mem_count, BOOT_MAX_MEM_REGIONS);
	assert_int_equal(bi.mem_dropped, 2);
	expect_region(BOOT_MAX_MEM_REGIONS - 1, top, 0x400, BOOT_MEM_AVAILABLE);
	check_map_against(e, ARRAY_SIZE(e));
}

/* ---- Multiboot1 ---- */

#define MB1_AT	    0x1000
#define MB1_CMDLINE 0x2000
#define MB1_NAME    0x2800
#define MB1_MODS    0x3000
#define MB1_STRINGS 0x3800
#define MB1_MMAP    0x4000

static void put_string(uint64_t at, const char *s)
{
	memcpy(ph.mem + at, s, strlen(s) + 1);
}

static void put_mb1(const struct mb1_info *info)
{
	memcpy(ph.mem + MB1_AT, info, sizeof(*info));
}

/* Writes entries with the given size field; returns the mmap_length. */
static uint32_t put_mb1_mmap(uint64_t at, uint32_t size,
			     const struct mb2_mmap_entry *e, unsigned n)
{
	uint8_t *p = ph.mem + at;

	for (unsigned i = 0; i < n; i++) {
		struct mb1_mmap_entry m = {size, e[i].base_addr, e[i].length,
					   e[i].type};

		memcpy(p, &m, sizeof(m));
		p += 4 + size;
	}
	return n * (4 + size);
}

static void put_mb1_module(unsigned i, uint32_t start, uint32_t end,
			   uint32_t string)
{
	struct mb1_module m = {start, end, string, 0};

	memcpy(ph.mem + MB1_MODS + i * sizeof(m), &m, sizeof(m));
}

static void test_mb1_full(void **state)
{
	static const struct mb2_mmap_entry map[] = {
	    {0x100000, 0x7ee0000, BOOT_MEM_AVAILABLE, 0},
	    {0x9fc00, 0x400, BOOT_MEM_RESERVED, 0},
	    {0x0, 0x9fc00, BOOT_MEM_AVAILABLE, 0},
	    {0xf0000, 0x10000, BOOT_MEM_RESERVED, 0},
	};
	struct mb1_info info = {
	    .flags = MB1_INFO_MEMORY | MB1_INFO_CMDLINE | MB1_INFO_MODS |
		     MB1_INFO_MEM_MAP | MB1_INFO_BOOT_LOADER_NAME,
	    .mem_lower = 639,
	    .mem_upper = 1,
	    .cmdline = MB1_CMDLINE,
	    .mods_count = 2,
	    .mods_addr = MB1_MODS,
	    .mmap_addr = MB1_MMAP,
	    .boot_loader_name = MB1_NAME,
	};

	info.mmap_length = put_mb1_mmap(MB1_MMAP, 20, map, ARRAY_SIZE(map));
	put_string(MB1_CMDLINE, "atoll.elf console=com1");
	put_string(MB1_NAME, "qemu");
	put_string(MB1_STRINGS, "domain.elf arg");
	put_mb1_module(0, 0x200000, 0x210000, MB1_STRINGS);
	put_mb1_module(1, 0x210000, 0x211000, 0);
	put_mb1(&info);

	assert_int_equal(parse(MB1_BOOTLOADER_MAGIC, MB1_AT), BOOT_INFO_OK);
	assert_int_equal(bi.mb_version, 1);
	assert_string_equal(bi.cmdline, "atoll.elf console=com1");
	assert_string_equal(bi.loader_name, "qemu");
	assert_int_equal(bi.module_count, 2);
	assert_int_equal(bi.modules[0].start, 0x200000);
	assert_int_equal(bi.modules[0].end, 0x210000);
	assert_string_equal(bi.modules[0].cmdline, "domain.elf arg");
	assert_string_equal(bi.modules[1].cmdline, "");
	/* The mmap wins over mem_lower / mem_upper. */
	assert_int_equal(bi.mem_count, 4);
	expect_region(0, 0x0, 0x9fc00, BOOT_MEM_AVAILABLE);
	expect_region(1, 0x9fc00, 0x400, BOOT_MEM_RESERVED);
	expect_region(2, 0xf0000, 0x10000, BOOT_MEM_RESERVED);
	expect_region(3, 0x100000, 0x7ee0000, BOOT_MEM_AVAILABLE);
	assert_int_equal(bi.rsdp_len, 0); /* mb1 carries no RSDP */
	assert_int_equal(bi.info_start, MB1_AT);
	assert_int_equal(bi.info_end, MB1_AT + MB1_INFO_READ_SIZE);
}

static void test_mb1_meminfo_fallback(void **state)
{
	struct mb1_info info = {
	    .flags = MB1_INFO_MEMORY,
	    .mem_lower = 640,
	    .mem_upper = 0x3ffc00,
	};

	put_mb1(&info);
	assert_int_equal(parse(MB1_BOOTLOADER_MAGIC, MB1_AT), BOOT_INFO_OK);
	assert_int_equal(bi.mem_count, 2);
	expect_region(0, 0, 0xa0000, BOOT_MEM_AVAILABLE);
	expect_region(1, 0x100000, 0x3ffc00ULL * 1024, BOOT_MEM_AVAILABLE);
	assert_string_equal(bi.cmdline, "");
	assert_int_equal(bi.module_count, 0);
	/* An empty mmap and an empty module list: the fallback is used. */
	info.flags |= MB1_INFO_MEM_MAP | MB1_INFO_MODS;
	info.mmap_addr = PHYS_SIZE + 0x1000; /* never mapped: length 0 */
	info.mods_addr = PHYS_SIZE + 0x1000;
	put_mb1(&info);
	assert_int_equal(parse(MB1_BOOTLOADER_MAGIC, MB1_AT), BOOT_INFO_OK);
	assert_int_equal(bi.mem_count, 2);
	assert_int_equal(bi.module_count, 0);
	/* Without any memory flag there is nothing to go on. */
	info.flags = 0;
	put_mb1(&info);
	assert_int_equal(parse(MB1_BOOTLOADER_MAGIC, MB1_AT),
			 BOOT_INFO_ERR_NO_MEMORY);
}

/* mmap entries may carry more than 20 bytes; `size` says how far to step. */
static void test_mb1_mmap_larger_entries(void **state)
{
	static const struct mb2_mmap_entry map[] = {
	    {0x0, 0x1000, BOOT_MEM_AVAILABLE, 0},
	    {0x1000, 0x1000, BOOT_MEM_NVS, 0},
	};
	struct mb1_info info = {.flags = MB1_INFO_MEM_MAP,
				.mmap_addr = MB1_MMAP};

	info.mmap_length = put_mb1_mmap(MB1_MMAP, 28, map, 2) + 3;
	put_mb1(&info);
	assert_int_equal(parse(MB1_BOOTLOADER_MAGIC, MB1_AT), BOOT_INFO_OK);
	assert_int_equal(bi.mem_count, 2);
	expect_region(1, 0x1000, 0x1000, BOOT_MEM_NVS);
}

static void test_mb1_bad_mmap(void **state)
{
	static const uint32_t bad_sizes[] = {0, 4, 19, 0xfffffffc};
	struct mb1_info info = {.flags = MB1_INFO_MEM_MAP,
				.mmap_addr = MB1_MMAP};

	for (unsigned i = 0; i < ARRAY_SIZE(bad_sizes); i++) {
		put_mb1_mmap(MB1_MMAP, 20, one_ram, 1);
		memcpy(ph.mem + MB1_MMAP, &bad_sizes[i], 4);
		info.mmap_length = 24;
		put_mb1(&info);
		assert_int_equal(parse(MB1_BOOTLOADER_MAGIC, MB1_AT),
				 BOOT_INFO_ERR_MMAP);
	}
	/* An entry that runs past mmap_length. */
	info.mmap_length = put_mb1_mmap(MB1_MMAP, 20, one_ram, 1) - 1;
	put_mb1(&info);
	assert_int_equal(parse(MB1_BOOTLOADER_MAGIC, MB1_AT),
			 BOOT_INFO_ERR_MMAP);
	/* An absurd length. */
	info.mmap_length = MB_MMAP_MAX_LEN + 1;
	put_mb1(&info);
	assert_int_equal(parse(MB1_BOOTLOADER_MAGIC, MB1_AT),
			 BOOT_INFO_ERR_MMAP);
	/* A map where nothing is readable. */
	info.mmap_length = 24;
	info.mmap_addr = PHYS_SIZE - 8;
	put_mb1(&info);
	assert_int_equal(parse(MB1_BOOTLOADER_MAGIC, MB1_AT),
			 BOOT_INFO_ERR_MAP);
}

static void test_mb1_unmapped(void **state)
{
	struct mb1_info info = {
	    .flags = MB1_INFO_MEMORY | MB1_INFO_CMDLINE,
	    .mem_upper = 1024,
	    .cmdline = PHYS_SIZE + 0x100,
	};

	put_mb1(&info);
	assert_int_equal(parse(MB1_BOOTLOADER_MAGIC, MB1_AT),
			 BOOT_INFO_ERR_MAP);
	/* The info structure itself cut short. */
	ph.limit = MB1_AT + MB1_INFO_READ_SIZE - 1;
	assert_int_equal(parse(MB1_BOOTLOADER_MAGIC, MB1_AT),
			 BOOT_INFO_ERR_MAP);
	assert_int_equal(parse(MB1_BOOTLOADER_MAGIC, UINT64_MAX - 3),
			 BOOT_INFO_ERR_MAP);
}

/*
 * A string whose NUL lies beyond readable memory is an error; one that is
 * cut at the buffer size is not, and nothing past the cut is mapped.
 */
static void test_mb1_string_at_end_of_memory(void **state)
{
	struct mb1_info info = {
	    .flags = MB1_INFO_MEMORY | MB1_INFO_BOOT_LOADER_NAME,
	    .mem_upper = 1024,
	    .boot_loader_name = PHYS_SIZE - 10,
	};

	put_mb1(&info);
	assert_int_equal(parse(MB1_BOOTLOADER_MAGIC, MB1_AT),
			 BOOT_INFO_ERR_MAP);
	/* Exactly 63 characters fit before the end; no NUL needed. */
	info.boot_loader_name = PHYS_SIZE - (BOOT_LOADER_NAME_MAX - 1);
	put_mb1(&info);
	assert_int_equal(parse(MB1_BOOTLOADER_MAGIC, MB1_AT), BOOT_INFO_OK);
	assert_int_equal(strlen(bi.loader_name), BOOT_LOADER_NAME_MAX - 1);
	/* A short terminated string right at the end. */
	info.boot_loader_name = PHYS_SIZE - 6;
	put_string(PHYS_SIZE - 6, "grub!");
	put_mb1(&info);
	assert_int_equal(parse(MB1_BOOTLOADER_MAGIC, MB1_AT), BOOT_INFO_OK);
	assert_string_equal(bi.loader_name, "grub!");
	/* Readable memory ending a few bytes after the NUL, mid-page. */
	ph.limit = 0x6000 + 100;
	info.boot_loader_name = 0x6000 + 50;
	put_string(0x6000 + 50, "ends 3 bytes before the limit");
	put_mb1(&info);
	assert_int_equal(parse(MB1_BOOTLOADER_MAGIC, MB1_AT), BOOT_INFO_OK);
	assert_string_equal(bi.loader_name, "ends 3 bytes before the limit");
	ph.limit = 0x6000 + 50 + 29;
	assert_int_equal(parse(MB1_BOOTLOADER_MAGIC, MB1_AT),
			 BOOT_INFO_ERR_MAP);
}

static void test_mb1_long_cmdline_across_pages(void **state)
{
	struct mb1_info info = {
	    .flags = MB1_INFO_MEMORY | MB1_INFO_CMDLINE,
	    .mem_upper = 1024,
	    .cmdline = 0x5ff0, /* 16 bytes before a page boundary */
	};

	put_mb1(&info);
	ph.mapped_top = 0;
	assert_int_equal(parse(MB1_BOOTLOADER_MAGIC, MB1_AT), BOOT_INFO_OK);
	assert_int_equal(strlen(bi.cmdline), BOOT_CMDLINE_MAX - 1);
	assert_int_equal(ph.mapped_top, 0x5ff0 + BOOT_CMDLINE_MAX - 1);
	/* A terminated string spanning the boundary. */
	memset(ph.mem + 0x5ff0, 'x', 20);
	ph.mem[0x5ff0 + 20] = '\0';
	assert_int_equal(parse(MB1_BOOTLOADER_MAGIC, MB1_AT), BOOT_INFO_OK);
	assert_int_equal(strlen(bi.cmdline), 20);
}

static void test_mb1_modules_hostile(void **state)
{
	struct mb1_info info = {
	    .flags = MB1_INFO_MEMORY | MB1_INFO_MODS,
	    .mem_upper = 1024,
	    .mods_count = 0xffffffff,
	    /* Only 32 entries fit before the end of readable memory. */
	    .mods_addr = PHYS_SIZE - BOOT_MAX_MODULES * 16,
	};
	uint8_t *mods = ph.mem + info.mods_addr;

	for (unsigned i = 0; i < BOOT_MAX_MODULES; i++) {
		struct mb1_module m = {0x1000 * i, 0x1000 * i + 0x10, 0, 0};

		if (i == 3)
			m.mod_end = 0; /* start > end */
		memcpy(mods + i * sizeof(m), &m, sizeof(m));
	}
	put_mb1(&info);
	assert_int_equal(parse(MB1_BOOTLOADER_MAGIC, MB1_AT), BOOT_INFO_OK);
	assert_int_equal(bi.module_count, BOOT_MAX_MODULES - 1);
	assert_int_equal(bi.modules_dropped,
			 0xffffffffU - BOOT_MAX_MODULES + 1);
	assert_int_equal(bi.modules[3].start, 0x4000);

	/* A module string in unreadable memory. */
	info.mods_count = 1;
	info.mods_addr = MB1_MODS;
	put_mb1_module(0, 0x1000, 0x2000, PHYS_SIZE);
	put_mb1(&info);
	assert_int_equal(parse(MB1_BOOTLOADER_MAGIC, MB1_AT),
			 BOOT_INFO_ERR_MAP);
	/* A module list in unreadable memory. */
	info.mods_addr = PHYS_SIZE - 8;
	put_mb1(&info);
	assert_int_equal(parse(MB1_BOOTLOADER_MAGIC, MB1_AT),
			 BOOT_INFO_ERR_MAP);
}

/* ---- RSDP search ---- */

static void put_rsdp(uint8_t *p, uint8_t revision, uint32_t length)
{
	uint8_t sum = 0;

	memset(p, 0, ACPI_RSDP_V2_LEN);
	memcpy(p, ACPI_RSDP_SIGNATURE, ACPI_RSDP_SIGNATURE_LEN);
	memcpy(p + 9, "ATOLL ", 6);
	p[15] = revision;
	for (unsigned i = 0; i < ACPI_RSDP_V1_LEN; i++)
		sum += p[i];
	p[8] = -sum;
	if (revision < ACPI_RSDP_REV_XSDT)
		return;
	memcpy(p + 20, &length, 4);
	sum = 0;
	for (unsigned i = 0; i < ACPI_RSDP_V2_LEN; i++)
		sum += p[i];
	p[32] = -sum;
}

static bool find_in_copy(const uint8_t *src, size_t len, size_t *off)
{
	uint8_t *copy = malloc(len ? len : 1);
	bool found;

	memcpy(copy, src, len);
	found = boot_find_rsdp_in(copy, len, off);
	free(copy);
	return found;
}

static void test_rsdp_search(void **state)
{
	static uint8_t area[1024];
	size_t off = 12345;

	memset(area, 0, sizeof(area));
	assert_false(find_in_copy(area, sizeof(area), &off));
	assert_int_equal(off, 12345);
	assert_false(find_in_copy(area, 0, &off));

	/* Off the 16-byte grid: not found. */
	put_rsdp(area + 0x48, 0, 0);
	assert_false(find_in_copy(area, sizeof(area), &off));
	/* On it: found. */
	put_rsdp(area + 0x100, 0, 0);
	assert_true(find_in_copy(area, sizeof(area), &off));
	assert_int_equal(off, 0x100);
	/* A bad checksum earlier is passed over. */
	put_rsdp(area + 0x40, 0, 0);
	area[0x40 + 19] ^= 1;
	assert_true(find_in_copy(area, sizeof(area), &off));
	assert_int_equal(off, 0x100);
}

static void test_rsdp_search_v2(void **state)
{
	static uint8_t area[256];
	size_t off;

	memset(area, 0, sizeof(area));
	put_rsdp(area + 0x20, 2, ACPI_RSDP_V2_LEN);
	assert_true(find_in_copy(area, sizeof(area), &off));
	assert_int_equal(off, 0x20);
	/* Extended checksum wrong. */
	area[0x20 + 33] ^= 0x40;
	assert_false(find_in_copy(area, sizeof(area), &off));
	/* Extended length too short, or past the end of the area. */
	put_rsdp(area + 0x20, 2, ACPI_RSDP_V2_LEN - 1);
	assert_false(find_in_copy(area, sizeof(area), &off));
	put_rsdp(area + 0x20, 2, 0x10000);
	assert_false(find_in_copy(area, sizeof(area), &off));
	/* A v2 RSDP cut by the end of the area. */
	memset(area, 0, sizeof(area));
	put_rsdp(area + 0xd0, 2, ACPI_RSDP_V2_LEN);
	assert_false(find_in_copy(area, 0xd0 + 30, &off));
	assert_true(find_in_copy(area, 0xd0 + ACPI_RSDP_V2_LEN, &off));
	/* A v1 signature in the last 16 bytes is not read past the end. */
	memset(area, 0, sizeof(area));
	memcpy(area + 0xf0, ACPI_RSDP_SIGNATURE, 8);
	assert_false(find_in_copy(area, 0xf8, &off));
	assert_false(find_in_copy(area, 0x100, &off));
}

static void test_strerror(void **state)
{
	for (int e = 0; e < BOOT_INFO_ERR_COUNT; e++) {
		assert_non_null(boot_info_strerror(e));
		assert_string_not_equal(boot_info_strerror(e), "unknown error");
	}
	assert_string_equal(boot_info_strerror(BOOT_INFO_ERR_COUNT),
			    "unknown error");
	assert_string_equal(boot_info_strerror((enum boot_info_error) - 1),
			    "unknown error");
}

#define T(f) cmocka_unit_test_setup(f, setup)

int main(void)
{
	const struct CMUnitTest tests[] = {
	    T(test_mb2_full),
	    T(test_mb2_flash_region),
	    T(test_mb2_truncation),
	    T(test_mb2_rsdp_old_only),
	    T(test_mb2_rsdp_new_preferred),
	    T(test_mb2_unknown_tags_skipped),
	    T(test_mb2_basic_meminfo_fallback),
	    T(test_mb2_mmap_beats_meminfo),
	    T(test_mb2_mmap_large_entries),
	    T(test_mb2_too_many_modules),
	    T(test_mb2_bad_magic),
	    T(test_mb2_total_size),
	    T(test_mb2_unmapped_and_misaligned),
	    T(test_mb2_tag_sizes),
	    T(test_mb2_known_tags_too_short),
	    T(test_mb2_no_end_tag),
	    T(test_mb2_mmap_entry_size),
	    T(test_mb2_mmap_ragged),
	    T(test_mb2_unterminated_strings),
	    T(test_mb2_bad_modules_dropped),
	    T(test_mb2_error_resets_output),
	    T(test_map_merge_adjacent),
	    T(test_map_reserved_splits_available),
	    T(test_map_available_never_overrides),
	    T(test_map_type_ranking),
	    T(test_map_unknown_types_reserved),
	    T(test_map_wraps_clipped),
	    T(test_map_random_against_brute_force),
	    T(test_map_overflow_is_conservative),
	    T(test_map_overflow_split_at_top),
	    T(test_mb1_full),
	    T(test_mb1_meminfo_fallback),
	    T(test_mb1_mmap_larger_entries),
	    T(test_mb1_bad_mmap),
	    T(test_mb1_unmapped),
	    T(test_mb1_string_at_end_of_memory),
	    T(test_mb1_long_cmdline_across_pages),
	    T(test_mb1_modules_hostile),
	    T(test_rsdp_search),
	    T(test_rsdp_search_v2),
	    T(test_strerror),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
