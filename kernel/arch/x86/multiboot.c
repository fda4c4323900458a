// SPDX-License-Identifier: GPL-2.0-only
/*
 * Multiboot information reader: multiboot1 (QEMU -kernel) and multiboot2
 * (GRUB) structures become one struct boot_info.
 *
 * The loader's memory is outside input. It is reached only through the
 * caller's mb_map_fn, every range is mapped with the length the reader is
 * about to read, and raw structures are copied into locals with memcpy
 * before use, so a mapping may sit at any alignment. Loops over tags and
 * entries advance by at least 8 bytes each step, so every walk ends.
 */
#include <atoll/types.h>
#include <atoll/compiler.h>
#include <atoll/addr.h>
#include <atoll/string.h>
#include <arch/acpi.h>
#include <arch/multiboot.h>
#include <arch/packed.h>

#define BOOT_TRY(expr)                                                         \
	do {                                                                   \
		enum boot_info_error err_ = (expr);                            \
		if (err_ != BOOT_INFO_OK)                                      \
			return err_;                                           \
	} while (0)

/* State of one parse. Tag handlers and the mb1 reader share it. */
struct mb_parser {
	mb_map_fn map;
	void *ctx;
	struct boot_info *bi;
	bool have_basic; /* mem_lower / mem_upper seen */
	uint32_t mem_lower_kib;
	uint32_t mem_upper_kib;
	bool have_rsdp_new; /* an MB2_TAG_ACPI_NEW was copied */
	/* Nothing is added to the map at or above this (mem_drop_from). */
	uint64_t mem_limit;
};

/* Maps [paddr, paddr + len); a range that wraps is unreadable by definition. */
static const uint8_t *mb_map(const struct mb_parser *p, uint64_t paddr,
			     uint64_t len)
{
	if (len == 0 || paddr + len < paddr)
		return NULL;
	return p->map(paddr, len, p->ctx);
}

/* ---- Strings ---- */

/*
 * Copy the NUL-terminated string at the start of src[0..src_len) into dst,
 * truncated to dst_size - 1 characters. Returns false, leaving dst alone,
 * if src holds no NUL.
 */
static bool copy_string_in(char *dst, size_t dst_size, const uint8_t *src,
			   size_t src_len)
{
	const uint8_t *nul = memchr(src, '\0', src_len);
	size_t n;

	if (!nul)
		return false;
	n = MIN((size_t)(nul - src), dst_size - 1);
	memcpy(dst, src, n);
	dst[n] = '\0';
	return true;
}

/*
 * Map as much of [paddr, paddr + *len) as can be read, halving the length
 * after each refusal; *len is updated. NULL if not even one byte can be.
 */
static const uint8_t *mb_map_prefix(const struct mb_parser *p, uint64_t paddr,
				    size_t *len)
{
	for (;;) {
		const uint8_t *src = mb_map(p, paddr, *len);

		if (src || *len == 1)
			return src;
		*len /= 2;
	}
}

/*
 * Copy the string at physical `paddr` (multiboot1 gives no length). It is
 * mapped a page at a time, never past what dst can hold, and a range that
 * can't be mapped is retried shorter: the copy succeeds exactly when the
 * bytes up to the NUL, or up to the truncation point, are readable.
 */
static enum boot_info_error mb_copy_phys_string(const struct mb_parser *p,
						uint64_t paddr, char *dst,
						size_t dst_size)
{
	size_t done = 0;

	while (done < dst_size - 1) {
		uint64_t in_page = PAGE_SIZE - (paddr & (PAGE_SIZE - 1));
		size_t chunk = MIN(in_page, dst_size - 1 - done);
		const uint8_t *src = mb_map_prefix(p, paddr, &chunk);
		const uint8_t *nul;

		if (!src)
			return BOOT_INFO_ERR_MAP;
		nul = memchr(src, '\0', chunk);
		if (nul)
			chunk = nul - src;
		memcpy(dst + done, src, chunk);
		done += chunk;
		if (nul)
			break;
		paddr += chunk;
	}
	dst[done] = '\0';
	return BOOT_INFO_OK;
}

/* ---- Memory map ---- */

/* Higher rank wins where regions overlap: the more restrictive use. */
static unsigned mem_type_rank(uint32_t type)
{
	static const unsigned rank[] = {
	    [BOOT_MEM_AVAILABLE] = 1, [BOOT_MEM_ACPI_RECLAIMABLE] = 2,
	    [BOOT_MEM_RESERVED] = 3,  [BOOT_MEM_NVS] = 4,
	    [BOOT_MEM_BAD] = 5,
	};

	return type < ARRAY_SIZE(rank) ? rank[type] : 0;
}

static uint32_t mem_type_normalise(uint32_t type)
{
	return mem_type_rank(type) ? type : BOOT_MEM_RESERVED;
}

static uint64_t region_end(const struct boot_mem_region *r)
{
	return r->base + r->length;
}

/*
 * The array is full: forget everything from `base` up. Dropping only ever
 * happens at the top of the map, and nothing is added above mem_limit
 * afterwards, so a later, lower-ranked entry can't reclaim a range whose
 * reserved description was dropped: the map only loses memory.
 */
static void mem_drop_from(struct mb_parser *p, uint64_t base)
{
	p->bi->mem_dropped++;
	p->mem_limit = MIN(p->mem_limit, base);
}

/*
 * Insert [base, end) of `type` at index idx, keeping mem[] sorted. When the
 * array is full the highest region is dropped to make room, or the new one
 * if it would be the highest.
 */
static void mem_insert(struct mb_parser *p, unsigned idx, uint64_t base,
		       uint64_t end, uint32_t type)
{
	struct boot_info *bi = p->bi;

	if (idx > bi->mem_count) {
		mem_drop_from(p, base);
		return;
	}
	if (bi->mem_count == BOOT_MAX_MEM_REGIONS) {
		if (idx == bi->mem_count) {
			mem_drop_from(p, base);
			return;
		}
		mem_drop_from(p, bi->mem[--bi->mem_count].base);
	}
	memmove(&bi->mem[idx + 1], &bi->mem[idx],
		(bi->mem_count - idx) * sizeof(bi->mem[0]));
	bi->mem[idx] = (struct boot_mem_region){
	    .base = base, .length = end - base, .type = type};
	bi->mem_count++;
}

/*
 * Give [x, seg_end), which lies inside mem[i], the type `type`, splitting
 * mem[i] around it. Returns the index just after the piece given `type`.
 */
static unsigned mem_overwrite(struct mb_parser *p, unsigned i, uint64_t x,
			      uint64_t seg_end, uint32_t type)
{
	struct boot_mem_region old = p->bi->mem[i];

	if (old.base < x) {
		p->bi->mem[i].length = x - old.base;
		i++;
		mem_insert(p, i, x, seg_end, type);
	} else {
		p->bi->mem[i].length = seg_end - x;
		p->bi->mem[i].type = type;
	}
	if (seg_end < region_end(&old))
		mem_insert(p, i + 1, seg_end, region_end(&old), old.type);
	return i + 1;
}

/*
 * Lay [base, end) of `type` over the sorted map: gaps take the new type,
 * and so do the parts of existing regions that rank below it.
 */
static void mem_paint(struct mb_parser *p, uint64_t base, uint64_t end,
		      uint32_t type)
{
	struct boot_info *bi = p->bi;
	unsigned i = 0;
	uint64_t x = base;

	while (i < bi->mem_count && region_end(&bi->mem[i]) <= x)
		i++;
	for (;;) {
		uint64_t stop = MIN(end, p->mem_limit);
		const struct boot_mem_region *r;
		uint64_t seg_end;

		if (x >= stop)
			return;
		r = i < bi->mem_count ? &bi->mem[i] : NULL;
		if (!r || x < r->base) {
			seg_end = r ? MIN(stop, r->base) : stop;
			mem_insert(p, i, x, seg_end, type);
			i++;
		} else {
			seg_end = MIN(stop, region_end(r));
			if (mem_type_rank(type) > mem_type_rank(r->type))
				i = mem_overwrite(p, i, x, seg_end, type);
			else
				i++;
		}
		x = seg_end;
	}
}

/* Merge neighbours that touch and have one type. */
static void mem_coalesce(struct boot_info *bi)
{
	unsigned out = 0;

	for (unsigned i = 1; i < bi->mem_count; i++) {
		struct boot_mem_region *last = &bi->mem[out];

		if (last->type == bi->mem[i].type &&
		    region_end(last) == bi->mem[i].base)
			last->length += bi->mem[i].length;
		else
			bi->mem[++out] = bi->mem[i];
	}
	if (bi->mem_count)
		bi->mem_count = out + 1;
}

/*
 * Add one loader entry. Empty entries are ignored; one that runs past the
 * top of the address space is clipped there.
 */
static void mem_add(struct mb_parser *p, uint64_t base, uint64_t length,
		    uint32_t type)
{
	uint64_t end = base + length;

	if (end < base)
		end = UINT64_MAX;
	if (end == base)
		return;
	mem_paint(p, base, end, mem_type_normalise(type));
	mem_coalesce(p->bi);
}

/* The fallback when there is no memory map: two available ranges. */
static void mem_add_basic(struct mb_parser *p)
{
	mem_add(p, MB_MEM_LOWER_BASE, (uint64_t)p->mem_lower_kib * MB_MEM_KIB,
		BOOT_MEM_AVAILABLE);
	mem_add(p, MB_MEM_UPPER_BASE, (uint64_t)p->mem_upper_kib * MB_MEM_KIB,
		BOOT_MEM_AVAILABLE);
}

/* ---- Modules ---- */

/*
 * Claim the next module slot for [start, end). Returns NULL, counting the
 * module as dropped, if start > end or all slots are taken.
 */
static struct boot_module *module_claim(struct boot_info *bi, uint64_t start,
					uint64_t end)
{
	struct boot_module *m;

	if (start > end || bi->module_count == BOOT_MAX_MODULES) {
		bi->modules_dropped++;
		return NULL;
	}
	m = &bi->modules[bi->module_count++];
	m->start = start;
	m->end = end;
	m->cmdline[0] = '\0';
	return m;
}

/* ---- Multiboot1 ---- */

static enum boot_info_error mb1_parse_mmap(struct mb_parser *p,
					   const struct mb1_info *info)
{
	const uint8_t *buf;
	uint64_t off = 0;

	if (info->mmap_length > MB_MMAP_MAX_LEN)
		return BOOT_INFO_ERR_MMAP;
	if (info->mmap_length == 0)
		return BOOT_INFO_OK;
	buf = mb_map(p, info->mmap_addr, info->mmap_length);
	if (!buf)
		return BOOT_INFO_ERR_MAP;
	/* Trailing bytes too few for a size field are padding. */
	while (off + MB1_MMAP_SIZE_FIELD_LEN <= info->mmap_length) {
		struct mb1_mmap_entry e;
		uint64_t left =
		    info->mmap_length - off - MB1_MMAP_SIZE_FIELD_LEN;

		memcpy(&e.size, buf + off, sizeof(e.size));
		if (e.size < MB1_MMAP_ENTRY_MIN_SIZE || e.size > left)
			return BOOT_INFO_ERR_MMAP;
		memcpy(&e, buf + off, sizeof(e));
		mem_add(p, e.base_addr, e.length, e.type);
		off += MB1_MMAP_SIZE_FIELD_LEN + (uint64_t)e.size;
	}
	return BOOT_INFO_OK;
}

/*
 * Only the first BOOT_MAX_MODULES entries are mapped; the rest are counted
 * as dropped without being read, so a huge mods_count costs nothing.
 */
static enum boot_info_error mb1_parse_modules(struct mb_parser *p,
					      const struct mb1_info *info)
{
	uint32_t n = MIN(info->mods_count, (uint32_t)BOOT_MAX_MODULES);
	const uint8_t *buf;

	p->bi->modules_dropped += info->mods_count - n;
	if (n == 0)
		return BOOT_INFO_OK;
	buf =
	    mb_map(p, info->mods_addr, (uint64_t)n * sizeof(struct mb1_module));
	if (!buf)
		return BOOT_INFO_ERR_MAP;
	for (uint32_t i = 0; i < n; i++) {
		struct mb1_module raw;
		struct boot_module *m;

		memcpy(&raw, buf + i * sizeof(raw), sizeof(raw));
		m = module_claim(p->bi, raw.mod_start, raw.mod_end);
		if (m && raw.string)
			BOOT_TRY(mb_copy_phys_string(p, raw.string, m->cmdline,
						     sizeof(m->cmdline)));
	}
	return BOOT_INFO_OK;
}

static enum boot_info_error mb1_parse(struct mb_parser *p, uint64_t paddr)
{
	struct boot_info *bi = p->bi;
	const uint8_t *raw = mb_map(p, paddr, sizeof(struct mb1_info));
	struct mb1_info info;

	if (!raw)
		return BOOT_INFO_ERR_MAP;
	memcpy(&info, raw, sizeof(info));
	bi->mb_version = 1;
	bi->info_start = paddr;
	bi->info_end = paddr + sizeof(info);
	if (info.flags & MB1_INFO_MEMORY) {
		p->have_basic = true;
		p->mem_lower_kib = info.mem_lower;
		p->mem_upper_kib = info.mem_upper;
	}
	if (info.flags & MB1_INFO_CMDLINE)
		BOOT_TRY(mb_copy_phys_string(p, info.cmdline, bi->cmdline_buf,
					     sizeof(bi->cmdline_buf)));
	if (info.flags & MB1_INFO_BOOT_LOADER_NAME)
		BOOT_TRY(mb_copy_phys_string(p, info.boot_loader_name,
					     bi->loader_buf,
					     sizeof(bi->loader_buf)));
	if (info.flags & MB1_INFO_MODS)
		BOOT_TRY(mb1_parse_modules(p, &info));
	if (info.flags & MB1_INFO_MEM_MAP)
		BOOT_TRY(mb1_parse_mmap(p, &info));
	return BOOT_INFO_OK;
}

/* ---- Multiboot2 tags ---- */

/*
 * Each handler gets a tag whose size is at least its table entry's
 * min_size and which lies wholly inside the structure.
 */
typedef enum boot_info_error (*mb2_tag_fn)(struct mb_parser *p,
					   const uint8_t *tag, uint32_t size);

static enum boot_info_error mb2_tag_cmdline(struct mb_parser *p,
					    const uint8_t *tag, uint32_t size)
{
	struct boot_info *bi = p->bi;

	if (!copy_string_in(bi->cmdline_buf, sizeof(bi->cmdline_buf),
			    tag + sizeof(struct mb2_tag),
			    size - sizeof(struct mb2_tag)))
		return BOOT_INFO_ERR_STRING;
	return BOOT_INFO_OK;
}

static enum boot_info_error
mb2_tag_loader_name(struct mb_parser *p, const uint8_t *tag, uint32_t size)
{
	struct boot_info *bi = p->bi;

	if (!copy_string_in(bi->loader_buf, sizeof(bi->loader_buf),
			    tag + sizeof(struct mb2_tag),
			    size - sizeof(struct mb2_tag)))
		return BOOT_INFO_ERR_STRING;
	return BOOT_INFO_OK;
}

/*
 * A module whose string is not terminated inside its tag, or whose start
 * lies above its end, is dropped and counted; the parse goes on.
 */
static enum boot_info_error mb2_tag_module(struct mb_parser *p,
					   const uint8_t *tag, uint32_t size)
{
	const uint8_t *str = tag + sizeof(struct mb2_tag_module);
	size_t str_len = size - sizeof(struct mb2_tag_module);
	struct mb2_tag_module raw;
	struct boot_module *m;

	memcpy(&raw, tag, sizeof(raw));
	if (!memchr(str, '\0', str_len)) {
		p->bi->modules_dropped++;
		return BOOT_INFO_OK;
	}
	m = module_claim(p->bi, raw.mod_start, raw.mod_end);
	if (m)
		copy_string_in(m->cmdline, sizeof(m->cmdline), str, str_len);
	return BOOT_INFO_OK;
}

static enum boot_info_error
mb2_tag_basic_meminfo(struct mb_parser *p, const uint8_t *tag, uint32_t size)
{
	struct mb2_tag_basic_meminfo raw;

	memcpy(&raw, tag, sizeof(raw));
	p->have_basic = true;
	p->mem_lower_kib = raw.mem_lower;
	p->mem_upper_kib = raw.mem_upper;
	return BOOT_INFO_OK;
}

/* Entries may grow in later versions: step by entry_size, read the prefix. */
static enum boot_info_error mb2_tag_mmap(struct mb_parser *p,
					 const uint8_t *tag, uint32_t size)
{
	struct mb2_tag_mmap raw;
	uint32_t off = sizeof(raw);

	memcpy(&raw, tag, sizeof(raw));
	if (raw.entry_size < MB2_MMAP_ENTRY_MIN_SIZE ||
	    !IS_ALIGNED(raw.entry_size, MB2_MMAP_ENTRY_ALIGN))
		return BOOT_INFO_ERR_MMAP;
	while (raw.entry_size <= size - off) {
		struct mb2_mmap_entry e;

		memcpy(&e, tag + off, sizeof(e));
		mem_add(p, e.base_addr, e.length, e.type);
		off += raw.entry_size;
	}
	return BOOT_INFO_OK;
}

/* The ACPI 2.0+ copy is preferred, whichever order the tags come in. */
static enum boot_info_error mb2_tag_acpi(struct mb_parser *p,
					 const uint8_t *tag, uint32_t size)
{
	struct mb2_tag hdr;
	size_t len;

	memcpy(&hdr, tag, sizeof(hdr));
	if (hdr.type == MB2_TAG_ACPI_OLD && p->have_rsdp_new)
		return BOOT_INFO_OK;
	len =
	    hdr.type == MB2_TAG_ACPI_NEW ? ACPI_RSDP_V2_LEN : ACPI_RSDP_V1_LEN;
	memcpy(p->bi->rsdp, tag + sizeof(hdr), len);
	p->bi->rsdp_len = len;
	p->have_rsdp_new = hdr.type == MB2_TAG_ACPI_NEW;
	return BOOT_INFO_OK;
}

struct mb2_tag_handler {
	uint32_t min_size; /* a shorter tag of this type is malformed */
	mb2_tag_fn parse;
};

static const struct mb2_tag_handler mb2_tag_handlers[] = {
    [MB2_TAG_CMDLINE] = {sizeof(struct mb2_tag), mb2_tag_cmdline},
    [MB2_TAG_BOOT_LOADER_NAME] = {sizeof(struct mb2_tag), mb2_tag_loader_name},
    [MB2_TAG_MODULE] = {sizeof(struct mb2_tag_module), mb2_tag_module},
    [MB2_TAG_BASIC_MEMINFO] = {sizeof(struct mb2_tag_basic_meminfo),
			       mb2_tag_basic_meminfo},
    [MB2_TAG_MMAP] = {sizeof(struct mb2_tag_mmap), mb2_tag_mmap},
    [MB2_TAG_ACPI_OLD] = {sizeof(struct mb2_tag) + ACPI_RSDP_V1_LEN,
			  mb2_tag_acpi},
    [MB2_TAG_ACPI_NEW] = {sizeof(struct mb2_tag) + ACPI_RSDP_V2_LEN,
			  mb2_tag_acpi},
};

static enum boot_info_error mb2_parse_tag(struct mb_parser *p,
					  const uint8_t *tag, uint32_t type,
					  uint32_t size)
{
	const struct mb2_tag_handler *h;

	if (type >= ARRAY_SIZE(mb2_tag_handlers))
		return BOOT_INFO_OK;
	h = &mb2_tag_handlers[type];
	if (!h->parse)
		return BOOT_INFO_OK; /* a tag the core has no use for */
	if (size < h->min_size)
		return BOOT_INFO_ERR_TAG_SIZE;
	return h->parse(p, tag, size);
}

/* Walk the tags of the `total`-byte structure at `info` to the end tag. */
static enum boot_info_error mb2_walk_tags(struct mb_parser *p,
					  const uint8_t *info, uint32_t total)
{
	uint32_t off = sizeof(struct mb2_info_header);

	for (;;) {
		struct mb2_tag tag;

		if (total - off < sizeof(tag))
			return BOOT_INFO_ERR_NO_END_TAG;
		memcpy(&tag, info + off, sizeof(tag));
		if (tag.size < sizeof(tag) || tag.size > total - off)
			return BOOT_INFO_ERR_TAG_SIZE;
		if (tag.type == MB2_TAG_END)
			return BOOT_INFO_OK;
		BOOT_TRY(mb2_parse_tag(p, info + off, tag.type, tag.size));
		/* Both at most MB_INFO_MAX_SIZE: no overflow. */
		off += ALIGN_UP(tag.size, MB2_TAG_ALIGN);
		if (off > total)
			return BOOT_INFO_ERR_NO_END_TAG;
	}
}

static enum boot_info_error mb2_parse(struct mb_parser *p, uint64_t paddr)
{
	struct mb2_info_header hdr;
	const uint8_t *raw;

	if (!IS_ALIGNED(paddr, MB2_INFO_ALIGN))
		return BOOT_INFO_ERR_ALIGN;
	raw = mb_map(p, paddr, sizeof(hdr));
	if (!raw)
		return BOOT_INFO_ERR_MAP;
	memcpy(&hdr, raw, sizeof(hdr));
	if (hdr.total_size < MB2_INFO_MIN_SIZE ||
	    hdr.total_size > MB_INFO_MAX_SIZE)
		return BOOT_INFO_ERR_TOTAL_SIZE;
	raw = mb_map(p, paddr, hdr.total_size);
	if (!raw)
		return BOOT_INFO_ERR_MAP;
	p->bi->mb_version = 2;
	p->bi->info_start = paddr;
	p->bi->info_end = paddr + hdr.total_size;
	return mb2_walk_tags(p, raw, hdr.total_size);
}

/* ---- Packed modules (arch/packed.h) ---- */

_Static_assert(PACKED_MAX_MODULES == BOOT_MAX_MODULES, "packed modules");
_Static_assert(PACKED_CMDLINE_MAX == BOOT_CMDLINE_MAX, "packed cmdline");
_Static_assert(PACKED_NAME_MAX == BOOT_MODULE_CMDLINE_MAX, "packed names");

/* The first word of a multiboot1 command line when the loader gave none. */
#define PACKED_ARG0 "atoll"

/*
 * The region is aligned, non-empty and above the core image; every module
 * is aligned, inside it, and after the one before, so none overlap.
 */
static bool packed_layout_ok(const struct packed_modules *pm, uint64_t core_end)
{
	uint64_t prev_end = pm->region_start;

	if (pm->module_count > PACKED_MAX_MODULES ||
	    !IS_ALIGNED(pm->region_start, PACKED_ALIGN) ||
	    !IS_ALIGNED(pm->region_end, PACKED_ALIGN) ||
	    pm->region_start < core_end || pm->region_start >= pm->region_end)
		return false;
	for (uint32_t i = 0; i < pm->module_count; i++) {
		const struct packed_module *m = &pm->modules[i];

		if (!IS_ALIGNED(m->start, PACKED_ALIGN) ||
		    m->start < prev_end || m->start > m->end ||
		    m->end > pm->region_end)
			return false;
		prev_end = m->end;
	}
	return true;
}

/*
 * Copy the string at paddr, which must start inside the region and end
 * there too, into dst (0 means none: ""). Longer than dst is truncated,
 * like the loader's strings.
 */
static enum boot_info_error packed_string(const struct mb_parser *p,
					  const struct packed_modules *pm,
					  uint64_t paddr, char *dst,
					  size_t dst_size)
{
	const uint8_t *src;
	uint64_t avail;
	size_t len;

	dst[0] = '\0';
	if (paddr == 0)
		return BOOT_INFO_OK;
	if (paddr < pm->region_start || paddr >= pm->region_end)
		return BOOT_INFO_ERR_PACKED;
	avail = pm->region_end - paddr;
	len = MIN(avail, (uint64_t)dst_size);
	src = mb_map(p, paddr, len);
	if (!src)
		return BOOT_INFO_ERR_MAP;
	if (copy_string_in(dst, dst_size, src, len))
		return BOOT_INFO_OK;
	if (avail <= len)
		return BOOT_INFO_ERR_PACKED; /* runs off the region's end */
	memcpy(dst, src, dst_size - 1);
	dst[dst_size - 1] = '\0';
	return BOOT_INFO_OK;
}

/* Every module readable, then claimed with its name. */
static enum boot_info_error packed_claim(struct mb_parser *p,
					 const struct packed_modules *pm)
{
	for (uint32_t i = 0; i < pm->module_count; i++) {
		const struct packed_module *pmod = &pm->modules[i];

		if (pmod->end > pmod->start &&
		    !mb_map(p, pmod->start, pmod->end - pmod->start))
			return BOOT_INFO_ERR_MAP;
	}
	for (uint32_t i = 0; i < pm->module_count; i++) {
		const struct packed_module *pmod = &pm->modules[i];
		struct boot_module *m =
		    module_claim(p->bi, pmod->start, pmod->end);

		if (!m)
			return BOOT_INFO_ERR_PACKED; /* not reached: checked */
		BOOT_TRY(packed_string(p, pm, pmod->name, m->cmdline,
				       sizeof(m->cmdline)));
	}
	return BOOT_INFO_OK;
}

/* multiboot1 loaders put the kernel's path first (see boot.c). */
static bool loader_gave_arguments(const struct boot_info *bi)
{
	const char *args = bi->cmdline_buf;

	if (bi->mb_version == 1)
		while (*args && *args != ' ')
			args++;
	while (*args == ' ')
		args++;
	return *args != '\0';
}

/*
 * The packed command line applies when the loader gave no arguments; for
 * multiboot1 it goes after the kernel's path (or PACKED_ARG0), which the
 * core skips. On error the command line is left as it was.
 */
static enum boot_info_error packed_cmdline(struct mb_parser *p,
					   const struct packed_modules *pm)
{
	char *buf = p->bi->cmdline_buf;
	size_t was = strlen(buf), at = was;
	enum boot_info_error err;

	if (pm->cmdline == 0 || loader_gave_arguments(p->bi))
		return BOOT_INFO_OK;
	if (p->bi->mb_version == 1 && was == 0)
		memcpy(buf, PACKED_ARG0, sizeof(PACKED_ARG0));
	at = strlen(buf);
	if (at > 0 && buf[at - 1] != ' ')
		at++; /* a space after the path */
	if (at + 1 >= BOOT_CMDLINE_MAX)
		return BOOT_INFO_OK; /* no room: truncated to nothing */
	err =
	    packed_string(p, pm, pm->cmdline, buf + at, BOOT_CMDLINE_MAX - at);
	if (err != BOOT_INFO_OK)
		buf[was] = '\0';
	else if (at > 0 && buf[at - 1] == '\0')
		buf[at - 1] = ' ';
	return err;
}

enum boot_info_error boot_info_add_packed(struct boot_info *bi,
					  const struct packed_modules *pm,
					  uint64_t core_end, mb_map_fn map,
					  void *ctx)
{
	struct mb_parser p = {.map = map, .ctx = ctx, .bi = bi};
	enum boot_info_error err;

	if (memcmp(pm->magic, PACKED_MAGIC, PACKED_MAGIC_LEN) != 0 ||
	    pm->version != PACKED_VERSION)
		return BOOT_INFO_ERR_PACKED;
	if (pm->module_count == 0 || bi->module_count || bi->modules_dropped)
		return BOOT_INFO_OK; /* nothing packed, or the loader's win */
	if (!packed_layout_ok(pm, core_end))
		return BOOT_INFO_ERR_PACKED;
	err = packed_claim(&p, pm);
	if (err == BOOT_INFO_OK)
		err = packed_cmdline(&p, pm);
	if (err != BOOT_INFO_OK)
		bi->module_count = 0;
	return err;
}

/*
 * The core's own descriptor (packed.c). Weak because the host tests and
 * fuzz targets link this file without it: there the image packs nothing.
 */
const struct packed_modules *arch_packed_modules(uint64_t *core_end)
    __attribute__((weak));

static enum boot_info_error packed_read(struct mb_parser *p)
{
	const struct packed_modules *pm;
	uint64_t core_end;

	if (!arch_packed_modules)
		return BOOT_INFO_OK;
	pm = arch_packed_modules(&core_end);
	return boot_info_add_packed(p->bi, pm, core_end, p->map, p->ctx);
}

/* ---- Entry points ---- */

static void boot_info_reset(struct boot_info *out)
{
	memset(out, 0, sizeof(*out));
	out->cmdline = out->cmdline_buf;
	out->loader_name = out->loader_buf;
}

static enum boot_info_error boot_info_read(struct mb_parser *p, uint32_t magic,
					   uint64_t info_paddr)
{
	if (magic == MB2_BOOTLOADER_MAGIC)
		BOOT_TRY(mb2_parse(p, info_paddr));
	else if (magic == MB1_BOOTLOADER_MAGIC)
		BOOT_TRY(mb1_parse(p, info_paddr));
	else
		return BOOT_INFO_ERR_MAGIC;
	BOOT_TRY(packed_read(p));
	/* A map that said nothing is as good as none. */
	if (p->bi->mem_count == 0 && p->have_basic)
		mem_add_basic(p);
	if (p->bi->mem_count == 0)
		return BOOT_INFO_ERR_NO_MEMORY;
	return BOOT_INFO_OK;
}

enum boot_info_error boot_info_parse(uint32_t magic, uint64_t info_paddr,
				     mb_map_fn map, void *ctx,
				     struct boot_info *out)
{
	struct mb_parser p = {
	    .map = map, .ctx = ctx, .bi = out, .mem_limit = UINT64_MAX};
	enum boot_info_error err;

	boot_info_reset(out);
	err = boot_info_read(&p, magic, info_paddr);
	if (err != BOOT_INFO_OK)
		boot_info_reset(out);
	return err;
}

const char *boot_info_strerror(enum boot_info_error err)
{
	static const char *const msg[BOOT_INFO_ERR_COUNT] = {
	    [BOOT_INFO_OK] = "success",
	    [BOOT_INFO_ERR_MAGIC] = "unknown boot loader magic",
	    [BOOT_INFO_ERR_MAP] = "loader data in unreadable memory",
	    [BOOT_INFO_ERR_ALIGN] = "multiboot2 info not 8-byte aligned",
	    [BOOT_INFO_ERR_TOTAL_SIZE] = "multiboot2 total_size out of range",
	    [BOOT_INFO_ERR_TAG_SIZE] = "multiboot2 tag has a bad size",
	    [BOOT_INFO_ERR_NO_END_TAG] = "multiboot2 end tag missing",
	    [BOOT_INFO_ERR_STRING] = "unterminated string in a tag",
	    [BOOT_INFO_ERR_MMAP] = "malformed memory map",
	    [BOOT_INFO_ERR_NO_MEMORY] = "loader gave no memory information",
	    [BOOT_INFO_ERR_PACKED] = "malformed packed-modules descriptor",
	};

	if ((unsigned)err >= ARRAY_SIZE(msg) || !msg[err])
		return "unknown error";
	return msg[err];
}

/* ---- RSDP search in the BIOS areas ---- */

static uint8_t byte_sum(const uint8_t *p, size_t len)
{
	uint8_t sum = 0;

	for (size_t i = 0; i < len; i++)
		sum += p[i];
	return sum;
}

/* Is there a valid RSDP at p, within the `avail` bytes readable there? */
static bool rsdp_valid_at(const uint8_t *p, size_t avail)
{
	struct acpi_rsdp rsdp;

	if (avail < ACPI_RSDP_V1_LEN ||
	    memcmp(p, ACPI_RSDP_SIGNATURE, ACPI_RSDP_SIGNATURE_LEN) != 0 ||
	    byte_sum(p, ACPI_RSDP_V1_LEN) != 0)
		return false;
	memcpy(&rsdp, p, ACPI_RSDP_V1_LEN);
	if (rsdp.revision < ACPI_RSDP_REV_XSDT)
		return true;
	if (avail < ACPI_RSDP_V2_LEN)
		return false;
	memcpy(&rsdp, p, ACPI_RSDP_V2_LEN);
	return rsdp.length >= ACPI_RSDP_V2_LEN && rsdp.length <= avail &&
	       byte_sum(p, rsdp.length) == 0;
}

bool boot_find_rsdp_in(const uint8_t *mem, size_t len, size_t *offset)
{
	for (size_t off = 0; off < len; off += BOOT_RSDP_SEARCH_ALIGN) {
		if (rsdp_valid_at(mem + off, len - off)) {
			*offset = off;
			return true;
		}
	}
	return false;
}
