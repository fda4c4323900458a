// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target for the multiboot reader. The input is "physical memory"
 * from address 0: it is read as a multiboot2 structure at 0, then as a
 * multiboot1 structure at 0 (whose pointers are offsets into the input),
 * searched for an RSDP, decoded as memory map entries whose
 * normalisation is checked against a model (fuzz_mmap), and read as a
 * packed-modules descriptor over the same memory (fuzz_packed).
 *
 * Each mapping is a fresh heap copy of exactly the requested range, so
 * AddressSanitizer reports any read past what the reader asked for, not
 * only past the input. A successful parse must produce a clean description;
 * anything else aborts.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <arch/multiboot.h>
#include <arch/packed.h>

/*
 * Far more mappings than one parse makes. The most is mb1: the structure,
 * the module list, the map, and for each of 34 strings about log2 of its
 * length (the reader shortens a mapping it is refused).
 */
#define FUZZ_MAX_MAPS 1024

struct fuzz_phys {
	const uint8_t *data;
	size_t size;
	void *maps[FUZZ_MAX_MAPS];
	unsigned map_count;
};

static const void *fuzz_map(uint64_t paddr, uint64_t len, void *ctx)
{
	struct fuzz_phys *ph = ctx;
	void *copy;

	if (len == 0 || ph->map_count == FUZZ_MAX_MAPS)
		abort(); /* the reader broke its own contract */
	if (paddr > ph->size || len > ph->size - paddr)
		return NULL;
	copy = malloc(len);
	if (!copy)
		abort();
	memcpy(copy, ph->data + paddr, len);
	ph->maps[ph->map_count++] = copy;
	return copy;
}

static void fuzz_unmap_all(struct fuzz_phys *ph)
{
	for (unsigned i = 0; i < ph->map_count; i++)
		free(ph->maps[i]);
	ph->map_count = 0;
}

static void check(bool ok)
{
	if (!ok)
		abort();
}

static void check_regions(const struct boot_info *bi)
{
	check(bi->mem_count <= BOOT_MAX_MEM_REGIONS);
	for (unsigned i = 0; i < bi->mem_count; i++) {
		const struct boot_mem_region *r = &bi->mem[i];
		const struct boot_mem_region *prev;

		check(r->length > 0 && r->base + r->length > r->base);
		check(r->type >= BOOT_MEM_AVAILABLE && r->type <= BOOT_MEM_BAD);
		if (i == 0)
			continue;
		prev = r - 1;
		check(prev->base + prev->length <= r->base);
		check(prev->base + prev->length != r->base ||
		      prev->type != r->type);
	}
}

static void check_info(const struct boot_info *bi, enum boot_info_error err)
{
	check(bi->cmdline == bi->cmdline_buf);
	check(bi->loader_name == bi->loader_buf);
	check(memchr(bi->cmdline_buf, 0, sizeof(bi->cmdline_buf)) != NULL);
	check(memchr(bi->loader_buf, 0, sizeof(bi->loader_buf)) != NULL);
	check(boot_info_strerror(err) != NULL);
	if (err != BOOT_INFO_OK) {
		check(bi->mem_count == 0 && bi->module_count == 0);
		return;
	}
	check(bi->mb_version == 1 || bi->mb_version == 2);
	check(bi->mem_count > 0);
	check_regions(bi);
	check(bi->module_count <= BOOT_MAX_MODULES);
	for (unsigned i = 0; i < bi->module_count; i++) {
		const struct boot_module *m = &bi->modules[i];

		check(m->start <= m->end);
		check(memchr(m->cmdline, 0, sizeof(m->cmdline)) != NULL);
	}
	check(bi->rsdp_len == 0 || bi->rsdp_len == ACPI_RSDP_V1_LEN ||
	      bi->rsdp_len == ACPI_RSDP_V2_LEN);
	check(bi->info_start <= bi->info_end);
}

static void fuzz_parse(struct fuzz_phys *ph, uint32_t magic)
{
	static struct boot_info bi;
	enum boot_info_error err;

	err = boot_info_parse(magic, 0, fuzz_map, ph, &bi);
	fuzz_unmap_all(ph);
	check_info(&bi, err);
}

static void fuzz_rsdp(const uint8_t *data, size_t size)
{
	size_t off = 0;

	if (boot_find_rsdp_in(data, size, &off))
		check(off < size && off % BOOT_RSDP_SEARCH_ALIGN == 0);
}

/*
 * The memory map normaliser against a brute-force model. The input becomes
 * one mmap tag (see model_decode). At every entry boundary the result must
 * have the highest-ranked type covering it, except that once regions were
 * dropped the map may stop early: then nothing may lie at or above the
 * first point where it differs.
 */
#define FUZZ_MMAP_MAX 144

/* The reader's precedence, restated: 0 is "no entry", 5 wins. */
#define MODEL_RANK_COUNT 6

static unsigned model_rank(uint32_t type)
{
	static const unsigned rank[MODEL_RANK_COUNT] = {0, 1, 3, 2, 4, 5};

	return type >= 1 && type <= 5 ? rank[type] : rank[BOOT_MEM_RESERVED];
}

static uint64_t model_end(const struct mb2_mmap_entry *e)
{
	uint64_t end = e->base_addr + e->length;

	return end < e->base_addr ? UINT64_MAX : end;
}

/* Binary search: the regions are sorted (check_regions saw to that). */
static unsigned result_rank_at(const struct boot_info *bi, uint64_t x)
{
	unsigned lo = 0, hi = bi->mem_count;

	while (lo < hi) {
		unsigned mid = lo + (hi - lo) / 2;
		const struct boot_mem_region *r = &bi->mem[mid];

		if (x < r->base)
			hi = mid;
		else if (x - r->base >= r->length)
			lo = mid + 1;
		else
			return model_rank(r->type);
	}
	return 0;
}

/* A sweep over entry boundaries; counts[] holds the covering entries. */
struct model_event {
	uint64_t x;
	int delta;
	unsigned rank;
};

static int model_event_cmp(const void *a, const void *b)
{
	const struct model_event *ea = a, *eb = b;

	return ea->x < eb->x ? -1 : ea->x > eb->x;
}

static unsigned model_top_rank(const int *counts)
{
	for (unsigned r = MODEL_RANK_COUNT - 1; r > 0; r--)
		if (counts[r] > 0)
			return r;
	return 0;
}

static void check_against_model(const struct boot_info *bi,
				const struct mb2_mmap_entry *e, unsigned n)
{
	static struct model_event ev[2 * FUZZ_MMAP_MAX];
	const struct boot_mem_region *last = &bi->mem[bi->mem_count - 1];
	int counts[MODEL_RANK_COUNT] = {0};

	for (unsigned i = 0; i < n; i++) {
		unsigned rank = model_rank(e[i].type);

		ev[2 * i] = (struct model_event){e[i].base_addr, 1, rank};
		ev[2 * i + 1] =
		    (struct model_event){model_end(&e[i]), -1, rank};
	}
	qsort(ev, 2 * n, sizeof(ev[0]), model_event_cmp);
	for (unsigned i = 0; i < 2 * n;) {
		uint64_t x = ev[i].x;
		unsigned got = result_rank_at(bi, x);

		for (; i < 2 * n && ev[i].x == x; i++)
			counts[ev[i].rank] += ev[i].delta;
		if (got == model_top_rank(counts))
			continue;
		check(got == 0 && bi->mem_dropped > 0);
		check(last->base + last->length <= x);
	}
}

/*
 * Byte 0 picks a copy count (1-4); then 4 bytes an entry: base and length
 * in 256-byte units, type in bits 0-2, bit 7 to run to the top of the
 * address space. Each copy of the entries is shifted up 16 MiB, so a short
 * input can still overflow the map. Returns the entry count.
 */
static unsigned model_decode(const uint8_t *data, size_t size,
			     struct mb2_mmap_entry *e)
{
	unsigned copies = size ? 1 + data[0] % 4 : 0;
	unsigned k = size ? (size - 1) / 4 : 0;
	unsigned n = 0;

	for (unsigned c = 0; c < copies; c++) {
		for (unsigned i = 0; i < k && n < FUZZ_MMAP_MAX; i++, n++) {
			const uint8_t *d = data + 1 + 4 * i;

			e[n].base_addr = (d[0] | (uint64_t)d[1] << 8) << 8;
			e[n].base_addr += (uint64_t)c << 24;
			e[n].length = (uint64_t)d[2] << 8;
			if (d[3] & 0x80)
				e[n].length = UINT64_MAX - d[2];
			e[n].type = d[3] & 0x7;
			e[n].reserved = 0;
		}
	}
	return n;
}

static void fuzz_mmap(const uint8_t *data, size_t size)
{
	static struct mb2_mmap_entry e[FUZZ_MMAP_MAX];
	static uint8_t blob[32 + FUZZ_MMAP_MAX * sizeof(e[0])];
	static struct boot_info bi;
	unsigned n = model_decode(data, size, e);
	struct mb2_tag_mmap tag = {
	    {MB2_TAG_MMAP, 16 + n * sizeof(e[0])}, sizeof(e[0]), 0};
	struct mb2_tag end = {MB2_TAG_END, sizeof(end)};
	struct mb2_info_header hdr = {8 + tag.tag.size + 8, 0};
	struct fuzz_phys ph = {.data = blob, .size = hdr.total_size};
	enum boot_info_error err;

	memcpy(blob, &hdr, sizeof(hdr));
	memcpy(blob + 8, &tag, sizeof(tag));
	memcpy(blob + 8 + sizeof(tag), e, n * sizeof(e[0]));
	memcpy(blob + 8 + tag.tag.size, &end, sizeof(end));
	err = boot_info_parse(MB2_BOOTLOADER_MAGIC, 0, fuzz_map, &ph, &bi);
	fuzz_unmap_all(&ph);
	check_info(&bi, err);
	if (err == BOOT_INFO_OK) {
		check_against_model(&bi, e, n);
		return;
	}
	check(err == BOOT_INFO_ERR_NO_MEMORY); /* only if all are empty */
	for (unsigned i = 0; i < n; i++)
		check(e[i].length == 0);
}

/*
 * The packed-modules descriptor: its first bytes come from the input (the
 * magic and version are set, or most inputs would stop there), the rest
 * of the input is physical memory from 0, and one byte picks the loader's
 * version and whether it gave a command line. On success every module
 * lies in the region, aligned, in order; on error nothing was added and
 * the command line is as it was.
 */
#define FUZZ_CORE_END 0x1000

static void check_packed(const struct boot_info *bi,
			 const struct packed_modules *pm)
{
	uint64_t prev_end = pm->region_start;

	check(bi->module_count == pm->module_count);
	for (unsigned i = 0; i < bi->module_count; i++) {
		const struct boot_module *m = &bi->modules[i];

		check(m->start % PACKED_ALIGN == 0 && m->start >= prev_end);
		check(m->start <= m->end && m->end <= pm->region_end);
		check(memchr(m->cmdline, 0, sizeof(m->cmdline)) != NULL);
		prev_end = m->end;
	}
	check(pm->region_start >= FUZZ_CORE_END);
}

static void fuzz_packed(const uint8_t *data, size_t size)
{
	static struct boot_info bi;
	static struct packed_modules pm;
	static char before[BOOT_CMDLINE_MAX];
	struct fuzz_phys ph = {.data = data, .size = size};
	enum boot_info_error err;

	if (size < sizeof(pm) + 1)
		return;
	memcpy(&pm, data, sizeof(pm));
	if (!(data[sizeof(pm)] & 0x80)) {
		memcpy(pm.magic, PACKED_MAGIC, PACKED_MAGIC_LEN);
		pm.version = PACKED_VERSION;
	}
	memset(&bi, 0, sizeof(bi));
	bi.cmdline = bi.cmdline_buf;
	bi.loader_name = bi.loader_buf;
	bi.mb_version = data[sizeof(pm)] & 1 ? 2 : 1;
	if (data[sizeof(pm)] & 2)
		memcpy(bi.cmdline_buf, "fuzz.elf", sizeof("fuzz.elf"));
	memcpy(before, bi.cmdline_buf, sizeof(before));
	err = boot_info_add_packed(&bi, &pm, FUZZ_CORE_END, fuzz_map, &ph);
	fuzz_unmap_all(&ph);
	check(memchr(bi.cmdline_buf, 0, sizeof(bi.cmdline_buf)) != NULL);
	check(boot_info_strerror(err) != NULL);
	if (err != BOOT_INFO_OK) {
		check(err == BOOT_INFO_ERR_PACKED || err == BOOT_INFO_ERR_MAP);
		check(bi.module_count == 0);
		check(!strcmp(before, bi.cmdline_buf));
	} else if (bi.module_count) {
		check_packed(&bi, &pm);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_phys ph = {.data = data, .size = size};

	fuzz_parse(&ph, MB2_BOOTLOADER_MAGIC);
	fuzz_parse(&ph, MB1_BOOTLOADER_MAGIC);
	fuzz_rsdp(data, size);
	fuzz_mmap(data, size);
	fuzz_packed(data, size);
	return 0;
}
