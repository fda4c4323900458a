// SPDX-License-Identifier: GPL-2.0-only
/*
 * The ELF64 loader (lib/elf) on synthetic images assembled here: a valid
 * two-segment executable (text RX, data RW with bss), then one change per
 * error path, the overflow edges, and every truncation of the valid image.
 * Each image is parsed from an exact-size heap copy, so ASan reports any
 * read past its end.
 *
 * `test_elf --write-seeds DIR` writes the fuzz seed corpus
 * (tests/fuzz/corpus/fuzz_elf/) with the same builder.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "elf.h"

#define IMG_MAX 4096
#define PHOFF	sizeof(struct elf64_ehdr)
#define PHSIZE	sizeof(struct elf64_phdr)

/* The window the valid image is placed in; also the fuzz target's. */
#define BASE   0x400000ull
#define WINDOW 0x2000ull
static const struct elf_limits window = {BASE, BASE + WINDOW};

#define RX (ELF_PF_R | ELF_PF_X)
#define RW (ELF_PF_R | ELF_PF_W)

/* The valid image: text, then data + bss one page up, then GNU_STACK. */
#define TEXT_OFF   0x100ull
#define TEXT_VADDR (BASE + TEXT_OFF)
#define TEXT_SIZE  0x40ull
#define DATA_OFF   (TEXT_OFF + TEXT_SIZE)
#define DATA_VADDR (BASE + 0x1000 + DATA_OFF)
#define DATA_FILE  0x20ull
#define DATA_MEM   0x100ull
#define ENTRY	   (TEXT_VADDR + 0x10)
#define VALID_SIZE (DATA_OFF + DATA_FILE)

struct seg_spec {
	uint32_t type;
	uint32_t flags;
	uint64_t offset;
	uint64_t vaddr;
	uint64_t filesz;
	uint64_t memsz;
};

struct image {
	uint8_t bytes[IMG_MAX];
	size_t size;
};

static const struct seg_spec valid_segs[] = {
    {ELF_PT_LOAD, RX, TEXT_OFF, TEXT_VADDR, TEXT_SIZE, TEXT_SIZE},
    {ELF_PT_LOAD, RW, DATA_OFF, DATA_VADDR, DATA_FILE, DATA_MEM},
    {ELF_PT_GNU_STACK, RW, 0, 0, 0, 0},
};
#define VALID_PHNUM 3

static void put(uint8_t *p, uint64_t v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

#define SET(p, type, field, v)                                                 \
	put((p) + offsetof(type, field), (v), sizeof(((type *)0)->field))
#define EH_SET(img, field, v) SET((img)->bytes, struct elf64_ehdr, field, v)
#define PH_SET(img, i, field, v)                                               \
	SET((img)->bytes + PHOFF + (i)*PHSIZE, struct elf64_phdr, field, v)

/* File contents are a function of the offset, so loaded bytes can be told. */
static uint8_t pattern(uint64_t off)
{
	return (uint8_t)(off * 7 + 3);
}

static void set_phdr(struct image *img, unsigned i, const struct seg_spec *s)
{
	PH_SET(img, i, p_type, s->type);
	PH_SET(img, i, p_flags, s->flags);
	PH_SET(img, i, p_offset, s->offset);
	PH_SET(img, i, p_vaddr, s->vaddr);
	PH_SET(img, i, p_paddr, s->vaddr);
	PH_SET(img, i, p_filesz, s->filesz);
	PH_SET(img, i, p_memsz, s->memsz);
	PH_SET(img, i, p_align, ELF_PAGE_SIZE);
}

/* Header, program headers at PHOFF, and each PT_LOAD's file bytes. */
static void build(struct image *img, const struct seg_spec *segs, unsigned n,
		  uint64_t entry)
{
	static const uint8_t ident[] = {
	    ELF_MAG0,	 ELF_MAG1,     ELF_MAG2,      ELF_MAG3,
	    ELF_CLASS64, ELF_DATA2LSB, ELF_EV_CURRENT};

	memset(img, 0, sizeof(*img));
	memcpy(img->bytes, ident, sizeof(ident));
	EH_SET(img, e_type, ELF_ET_EXEC);
	EH_SET(img, e_machine, ELF_EM_X86_64);
	EH_SET(img, e_version, ELF_EV_CURRENT);
	EH_SET(img, e_entry, entry);
	EH_SET(img, e_phoff, PHOFF);
	EH_SET(img, e_ehsize, PHOFF);
	EH_SET(img, e_phentsize, PHSIZE);
	EH_SET(img, e_phnum, n);
	img->size = PHOFF + n * PHSIZE;
	assert_true(img->size <= IMG_MAX);
	for (unsigned i = 0; i < n; i++)
		set_phdr(img, i, &segs[i]);
	for (unsigned i = 0; i < n; i++) {
		const struct seg_spec *s = &segs[i];

		if (s->type != ELF_PT_LOAD || !s->filesz)
			continue;
		/* Payload after the program headers, never over them. */
		assert_true(s->offset >= PHOFF + n * PHSIZE &&
			    s->offset + s->filesz <= IMG_MAX);
		for (uint64_t off = s->offset; off < s->offset + s->filesz;
		     off++)
			img->bytes[off] = pattern(off);
		if (s->offset + s->filesz > img->size)
			img->size = s->offset + s->filesz;
	}
}

static void build_valid(struct image *img)
{
	build(img, valid_segs, VALID_PHNUM, ENTRY);
	assert_int_equal(img->size, VALID_SIZE);
}

/* Parses the first size bytes of img from an exact-size heap copy. */
static enum elf_error parse_n(const struct image *img, size_t size,
			      const struct elf_limits *lim,
			      struct elf_image *out)
{
	uint8_t *copy = malloc(size ? size : 1);
	enum elf_error err;

	assert_non_null(copy);
	memcpy(copy, img->bytes, size);
	memset(out, 0xa5, sizeof(*out));
	err = elf_parse(copy, size, lim, out);
	free(copy);
	if (err != ELF_OK)
		assert_int_equal(out->segment_count, 0);
	return err;
}

static void expect(const struct image *img, const struct elf_limits *lim,
		   enum elf_error want)
{
	struct elf_image out;
	enum elf_error got = parse_n(img, img->size, lim, &out);

	if (got != want)
		fail_msg("want '%s', got '%s'", elf_strerror(want),
			 elf_strerror(got));
}

/* --- The valid image. --- */

static void check_segment(const struct elf_segment *s,
			  const struct seg_spec *want)
{
	assert_int_equal(s->vaddr, want->vaddr);
	assert_int_equal(s->memsz, want->memsz);
	assert_int_equal(s->file_offset, want->offset);
	assert_int_equal(s->filesz, want->filesz);
	assert_int_equal(s->flags, want->flags);
}

static void test_valid_parse(void **state)
{
	struct image img;
	struct elf_image out;

	build_valid(&img);
	assert_int_equal(parse_n(&img, img.size, &window, &out), ELF_OK);
	assert_int_equal(out.entry, ENTRY);
	assert_int_equal(out.segment_count, 2);
	check_segment(&out.segments[0], &valid_segs[0]);
	check_segment(&out.segments[1], &valid_segs[1]);
	assert_int_equal(out.lowest_vaddr, TEXT_VADDR);
	assert_int_equal(out.highest_vaddr_end, DATA_VADDR + DATA_MEM);

	/* No limits: the same image, same result. */
	assert_int_equal(parse_n(&img, img.size, NULL, &out), ELF_OK);
	assert_int_equal(out.segment_count, 2);
}

/* What elf_load() is given to write into: the window, and the source. */
struct load_ctx {
	uint8_t mem[WINDOW];
	const uint8_t *data;
	size_t size;
	unsigned copies;
	unsigned zeroes;
};

static uint8_t *window_at(struct load_ctx *c, uint64_t vaddr, uint64_t len)
{
	assert_true(len > 0);
	assert_true(vaddr >= BASE && len <= WINDOW &&
		    vaddr - BASE <= WINDOW - len);
	return &c->mem[vaddr - BASE];
}

static void load_copy(uint64_t vaddr, const void *src, uint64_t len, void *ctx)
{
	struct load_ctx *c = ctx;
	const uint8_t *s = src;

	assert_true(s >= c->data && len <= c->size &&
		    (size_t)(s - c->data) <= c->size - len);
	memcpy(window_at(c, vaddr, len), src, len);
	c->copies++;
}

static void load_zero(uint64_t vaddr, uint64_t len, void *ctx)
{
	struct load_ctx *c = ctx;

	memset(window_at(c, vaddr, len), 0, len);
	c->zeroes++;
}

/* Parses and loads img into a window filled with 0xaa. */
static void load(const struct image *img, struct load_ctx *c)
{
	uint8_t *data = malloc(img->size);
	struct elf_image out;

	assert_non_null(data);
	memcpy(data, img->bytes, img->size);
	assert_int_equal(elf_parse(data, img->size, &window, &out), ELF_OK);
	memset(c, 0, sizeof(*c));
	memset(c->mem, 0xaa, sizeof(c->mem));
	c->data = data;
	c->size = img->size;
	elf_load(&out, data, load_copy, load_zero, c);
	free(data);
}

static void test_valid_load(void **state)
{
	static struct load_ctx c;
	struct image img;

	build_valid(&img);
	load(&img, &c);
	assert_int_equal(c.copies, 2);
	assert_int_equal(c.zeroes, 1);
	for (uint64_t a = BASE; a < BASE + WINDOW; a++) {
		uint8_t got = c.mem[a - BASE];

		if (a >= TEXT_VADDR && a < TEXT_VADDR + TEXT_SIZE)
			assert_int_equal(got, pattern(a - BASE));
		else if (a >= DATA_VADDR && a < DATA_VADDR + DATA_FILE)
			assert_int_equal(got,
					 pattern(a - DATA_VADDR + DATA_OFF));
		else if (a >= DATA_VADDR && a < DATA_VADDR + DATA_MEM)
			assert_int_equal(got, 0);
		else
			assert_int_equal(got, 0xaa);
	}
}

/* A bss-only segment gets no copy; a segment without bss gets no zero. */
static void test_load_calls(void **state)
{
	static const struct seg_spec segs[] = {
	    {ELF_PT_LOAD, RX, TEXT_OFF, TEXT_VADDR, TEXT_SIZE, TEXT_SIZE},
	    {ELF_PT_LOAD, RW, 0, BASE + 0x1000, 0, 0x10},
	};
	static struct load_ctx c;
	struct image img;

	build(&img, segs, 2, ENTRY);
	load(&img, &c);
	assert_int_equal(c.copies, 1);
	assert_int_equal(c.zeroes, 1);
	assert_int_equal(c.mem[0x1000], 0);
	assert_int_equal(c.mem[0x100f], 0);
	assert_int_equal(c.mem[0x1010], 0xaa);
}

/* The program headers may sit at any offset, the image at any address. */
static void test_unaligned(void **state)
{
	struct image img;
	struct elf_image out;
	uint8_t *buf;

	build_valid(&img);
	memcpy(img.bytes + img.size + 1, img.bytes + PHOFF,
	       VALID_PHNUM * PHSIZE);
	EH_SET(&img, e_phoff, img.size + 1);
	img.size += 1 + VALID_PHNUM * PHSIZE;
	expect(&img, &window, ELF_OK);

	buf = malloc(img.size + 1);
	assert_non_null(buf);
	memcpy(buf + 1, img.bytes, img.size);
	assert_int_equal(elf_parse(buf + 1, img.size, &window, &out), ELF_OK);
	assert_int_equal(out.segment_count, 2);
	free(buf);
}

/* --- Truncation: every prefix of the valid image. --- */

static void test_truncated(void **state)
{
	struct image img;
	struct elf_image out;

	build_valid(&img);
	for (size_t len = 0; len < img.size; len++) {
		enum elf_error want = ELF_ERR_SEGMENT_OUTSIDE_FILE;

		if (len < PHOFF)
			want = ELF_ERR_TRUNCATED;
		else if (len < PHOFF + VALID_PHNUM * PHSIZE)
			want = ELF_ERR_PHDRS_OUTSIDE;
		assert_int_equal(parse_n(&img, len, &window, &out), want);
	}
	assert_int_equal(parse_n(&img, img.size, &window, &out), ELF_OK);
}

/* --- The ELF header. --- */

static void expect_ident(unsigned i, uint8_t v, enum elf_error want)
{
	struct image img;

	build_valid(&img);
	img.bytes[i] = v;
	expect(&img, &window, want);
}

static void test_ident(void **state)
{
	for (unsigned i = ELF_EI_MAG0; i <= ELF_EI_MAG3; i++)
		expect_ident(i, 0, ELF_ERR_MAGIC);
	expect_ident(ELF_EI_MAG0, 0x7e, ELF_ERR_MAGIC);
	expect_ident(ELF_EI_CLASS, 1, ELF_ERR_CLASS); /* ELFCLASS32 */
	expect_ident(ELF_EI_CLASS, 0, ELF_ERR_CLASS);
	expect_ident(ELF_EI_DATA, 2, ELF_ERR_DATA); /* big-endian */
	expect_ident(ELF_EI_DATA, 0, ELF_ERR_DATA);
	expect_ident(ELF_EI_VERSION, 0, ELF_ERR_VERSION);
	expect_ident(ELF_EI_VERSION, 2, ELF_ERR_VERSION);
	/* OS ABI and padding do not matter. */
	expect_ident(ELF_EI_OSABI, 3, ELF_OK);
	expect_ident(ELF_NIDENT - 1, 0xff, ELF_OK);
}

#define EXPECT_EH(field, v, want)                                              \
	do {                                                                   \
		struct image img_;                                             \
		build_valid(&img_);                                            \
		EH_SET(&img_, field, v);                                       \
		expect(&img_, &window, want);                                  \
	} while (0)

static void test_header_fields(void **state)
{
	EXPECT_EH(e_version, 0, ELF_ERR_VERSION);
	EXPECT_EH(e_version, 2, ELF_ERR_VERSION);
	EXPECT_EH(e_type, ELF_ET_DYN, ELF_ERR_TYPE_DYN);
	EXPECT_EH(e_type, 0, ELF_ERR_TYPE);	 /* ET_NONE */
	EXPECT_EH(e_type, 1, ELF_ERR_TYPE);	 /* ET_REL */
	EXPECT_EH(e_type, 4, ELF_ERR_TYPE);	 /* ET_CORE */
	EXPECT_EH(e_type, 0xfe00, ELF_ERR_TYPE); /* OS-specific */
	EXPECT_EH(e_machine, 0, ELF_ERR_MACHINE);
	EXPECT_EH(e_machine, 3, ELF_ERR_MACHINE); /* i386 */
	EXPECT_EH(e_machine, ELF_EM_X86_64 << 8, ELF_ERR_MACHINE);
	EXPECT_EH(e_phentsize, 0, ELF_ERR_PHENTSIZE);
	EXPECT_EH(e_phentsize, PHSIZE - 1, ELF_ERR_PHENTSIZE);
	EXPECT_EH(e_phentsize, PHSIZE + 1, ELF_ERR_PHENTSIZE);
	EXPECT_EH(e_phentsize, 64, ELF_ERR_PHENTSIZE);
	EXPECT_EH(e_phentsize, 0xffff, ELF_ERR_PHENTSIZE);
	/* Fields the loader does not use. */
	EXPECT_EH(e_ehsize, 0, ELF_OK);
	EXPECT_EH(e_shoff, UINT64_MAX, ELF_OK);
	EXPECT_EH(e_shnum, 0xffff, ELF_OK);
	EXPECT_EH(e_flags, 0xffffffff, ELF_OK);
}

/* Table bounds: e_phnum capped, e_phoff + e_phnum * 56 inside the file. */
static void test_phdr_table(void **state)
{
	EXPECT_EH(e_phnum, 0, ELF_ERR_NO_LOAD);
	EXPECT_EH(e_phnum, ELF_MAX_PHNUM + 1, ELF_ERR_PHNUM);
	EXPECT_EH(e_phnum, 0xffff, ELF_ERR_PHNUM); /* also PN_XNUM */
	EXPECT_EH(e_phnum, ELF_MAX_PHNUM, ELF_ERR_PHDRS_OUTSIDE);
	EXPECT_EH(e_phoff, VALID_SIZE, ELF_ERR_PHDRS_OUTSIDE);
	EXPECT_EH(e_phoff, VALID_SIZE - VALID_PHNUM * PHSIZE + 1,
		  ELF_ERR_PHDRS_OUTSIDE);
	EXPECT_EH(e_phoff, VALID_SIZE + 1, ELF_ERR_PHDRS_OUTSIDE);
	EXPECT_EH(e_phoff, UINT64_MAX, ELF_ERR_PHDRS_OUTSIDE);
	/* e_phoff + table size wraps to a small number. */
	EXPECT_EH(e_phoff, UINT64_MAX - PHSIZE + 2, ELF_ERR_PHDRS_OUTSIDE);
	EXPECT_EH(e_phoff, 1ull << 63, ELF_ERR_PHDRS_OUTSIDE);
}

/* The largest table that fits: ELF_MAX_PHNUM headers, ending at EOF. */
static void test_max_phnum(void **state)
{
	struct seg_spec segs[ELF_MAX_PHNUM];
	struct image img;

	for (unsigned i = 0; i < ELF_MAX_PHNUM; i++)
		segs[i] = (struct seg_spec){ELF_PT_NOTE, 0, 0, 0, 0, 0};
	segs[0] = (struct seg_spec){ELF_PT_LOAD, RX, 0, BASE, 0, 0x10};
	build(&img, segs, ELF_MAX_PHNUM, BASE);
	expect(&img, &window, ELF_OK);
	img.size--;
	expect(&img, &window, ELF_ERR_PHDRS_OUTSIDE);
}

/* --- Program headers of the valid image changed one field at a time. --- */

#define EXPECT_PH(i, field, v, lim, want)                                      \
	do {                                                                   \
		struct image img_;                                             \
		build_valid(&img_);                                            \
		PH_SET(&img_, i, field, v);                                    \
		expect(&img_, lim, want);                                      \
	} while (0)

static void test_segment_file(void **state)
{
	EXPECT_PH(1, p_filesz, DATA_MEM + 1, &window, ELF_ERR_FILESZ);
	EXPECT_PH(1, p_filesz, UINT64_MAX, &window, ELF_ERR_FILESZ);
	EXPECT_PH(1, p_filesz, DATA_FILE + 1, &window,
		  ELF_ERR_SEGMENT_OUTSIDE_FILE);
	EXPECT_PH(0, p_offset, TEXT_OFF + 0x1000, &window,
		  ELF_ERR_SEGMENT_OUTSIDE_FILE);
	EXPECT_PH(0, p_offset, UINT64_MAX, &window,
		  ELF_ERR_SEGMENT_OUTSIDE_FILE);
	EXPECT_PH(0, p_offset, (UINT64_MAX & ~0xfffull) + TEXT_OFF, &window,
		  ELF_ERR_SEGMENT_OUTSIDE_FILE);
	{
		struct image img;

		/* offset + filesz wraps to 0x100, inside the file. */
		build_valid(&img);
		PH_SET(&img, 0, p_offset, (UINT64_MAX & ~0xfffull) + TEXT_OFF);
		PH_SET(&img, 0, p_filesz, 0x1000);
		PH_SET(&img, 0, p_memsz, 0x1000);
		expect(&img, &window, ELF_ERR_SEGMENT_OUTSIDE_FILE);
	}
	EXPECT_PH(0, p_offset, 0, &window, ELF_ERR_ALIGN);
	/* Bss only: no file bytes, so the offset needs only congruence. */
	EXPECT_PH(1, p_filesz, 0, &window, ELF_OK);
	{
		struct image img;

		build_valid(&img);
		PH_SET(&img, 1, p_filesz, 0);
		PH_SET(&img, 1, p_offset, (UINT64_MAX & ~0xfffull) + DATA_OFF);
		expect(&img, &window, ELF_OK);
	}
}

static void test_segment_vaddr(void **state)
{
	/* Ends exactly at 2^64, or past it. */
	EXPECT_PH(1, p_vaddr, 0 - DATA_MEM, NULL, ELF_ERR_VADDR_WRAP);
	EXPECT_PH(1, p_vaddr, 0 - DATA_MEM + 1, NULL, ELF_ERR_VADDR_WRAP);
	EXPECT_PH(1, p_vaddr, UINT64_MAX, NULL, ELF_ERR_VADDR_WRAP);
	EXPECT_PH(1, p_memsz, UINT64_MAX, NULL, ELF_ERR_VADDR_WRAP);
	EXPECT_PH(1, p_memsz, UINT64_MAX - DATA_VADDR + 1, NULL,
		  ELF_ERR_VADDR_WRAP);
	/* Ends at UINT64_MAX, the highest end there is: fine, unbounded. */
	EXPECT_PH(1, p_memsz, UINT64_MAX - DATA_VADDR, NULL, ELF_OK);
	EXPECT_PH(1, p_memsz, UINT64_MAX - DATA_VADDR, &window,
		  ELF_ERR_SEGMENT_LIMITS);

	EXPECT_PH(1, p_vaddr, DATA_VADDR + 1, &window, ELF_ERR_ALIGN);
	EXPECT_PH(1, p_vaddr, DATA_VADDR + 0x800, &window, ELF_ERR_ALIGN);
	EXPECT_PH(1, p_offset, DATA_OFF - 1, &window, ELF_ERR_ALIGN);
	/* Congruent modulo the page, whatever p_align says. */
	EXPECT_PH(1, p_align, 0x200000, &window, ELF_OK);
	EXPECT_PH(1, p_align, 3, &window, ELF_OK);
}

static void test_segment_limits(void **state)
{
	static const struct elf_limits empty = {BASE + WINDOW, BASE};
	uint64_t data_max = BASE + WINDOW - DATA_VADDR;

	EXPECT_PH(1, p_memsz, data_max, &window, ELF_OK);
	EXPECT_PH(1, p_memsz, data_max + 1, &window, ELF_ERR_SEGMENT_LIMITS);
	EXPECT_PH(1, p_vaddr, DATA_VADDR + WINDOW, &window,
		  ELF_ERR_SEGMENT_LIMITS);
	EXPECT_PH(0, p_vaddr, TEXT_VADDR - 0x1000, &window,
		  ELF_ERR_SEGMENT_LIMITS);
	{
		struct image img;

		/* Text starting at the very bottom of the window. */
		build_valid(&img);
		PH_SET(&img, 0, p_vaddr, BASE);
		PH_SET(&img, 0, p_offset, 0);
		PH_SET(&img, 0, p_filesz, TEXT_OFF);
		PH_SET(&img, 0, p_memsz, TEXT_OFF);
		EH_SET(&img, e_entry, BASE);
		expect(&img, &window, ELF_OK);
		PH_SET(&img, 0, p_vaddr, BASE - ELF_PAGE_SIZE);
		expect(&img, &window, ELF_ERR_SEGMENT_LIMITS);
	}
	{
		struct image img;

		build_valid(&img);
		expect(&img, &empty, ELF_ERR_SEGMENT_LIMITS);
	}
}

static void test_wx(void **state)
{
	EXPECT_PH(1, p_flags, RW | ELF_PF_X, &window, ELF_ERR_WX);
	EXPECT_PH(0, p_flags, ELF_PF_W | ELF_PF_X, &window, ELF_ERR_WX);
	EXPECT_PH(2, p_flags, RW | ELF_PF_X, &window, ELF_ERR_EXEC_STACK);
	EXPECT_PH(2, p_flags, ELF_PF_X, &window, ELF_ERR_EXEC_STACK);
	/* X-only text is fine; unknown flag bits are dropped. */
	EXPECT_PH(0, p_flags, ELF_PF_X, &window, ELF_OK);
	{
		struct image img;
		struct elf_image out;

		build_valid(&img);
		PH_SET(&img, 0, p_flags, RX | 0xf0f00000u);
		assert_int_equal(parse_n(&img, img.size, &window, &out),
				 ELF_OK);
		assert_int_equal(out.segments[0].flags, RX);
	}
}

/* --- Segments against each other. --- */

static void expect_segs(const struct seg_spec *segs, unsigned n, uint64_t entry,
			const struct elf_limits *lim, enum elf_error want)
{
	struct image img;

	build(&img, segs, n, entry);
	expect(&img, lim, want);
}

static void test_overlap(void **state)
{
	const struct seg_spec text = valid_segs[0];
	struct seg_spec s[2] = {text, text};

	/* Identical, then overlapping by one byte either way. */
	expect_segs(s, 2, ENTRY, &window, ELF_ERR_OVERLAP);
	s[1] = (struct seg_spec){ELF_PT_LOAD,
				 RX,
				 TEXT_OFF + TEXT_SIZE - 1,
				 TEXT_VADDR + TEXT_SIZE - 1,
				 0,
				 8};
	expect_segs(s, 2, ENTRY, &window, ELF_ERR_OVERLAP);
	s[1].vaddr = TEXT_VADDR - 8;
	s[1].offset = TEXT_OFF - 8;
	s[1].memsz = 9;
	expect_segs(s, 2, ENTRY, &window, ELF_ERR_OVERLAP);
	/* One inside the other, in both orders, different flags. */
	s[1] = (struct seg_spec){ELF_PT_LOAD, RW, 0, BASE, 0, WINDOW};
	expect_segs(s, 2, ENTRY, &window, ELF_ERR_OVERLAP);
	s[0] = s[1];
	s[1] = text;
	expect_segs(s, 2, ENTRY, &window, ELF_ERR_OVERLAP);
	/* Adjacent with the same flags: fine. */
	s[0] = text;
	s[1] = (struct seg_spec){
	    ELF_PT_LOAD, RX, TEXT_OFF + TEXT_SIZE, TEXT_VADDR + TEXT_SIZE,
	    0,		 8};
	expect_segs(s, 2, ENTRY, &window, ELF_OK);
}

/* Different permissions may not share a page, whatever the byte gap. */
static void test_page_perms(void **state)
{
	const struct seg_spec text = valid_segs[0];
	struct seg_spec s[3] = {text, text, valid_segs[1]};

	/* Data right after text, in the same page. */
	s[1] = (struct seg_spec){
	    ELF_PT_LOAD, RW, TEXT_OFF + TEXT_SIZE, TEXT_VADDR + TEXT_SIZE,
	    0,		 8};
	expect_segs(s, 2, ENTRY, &window, ELF_ERR_PAGE_PERMS);
	/* Bss ending at the last byte of the text's page. */
	s[1] = (struct seg_spec){ELF_PT_LOAD, RW, 0xff0, BASE + 0xff0, 0, 0x10};
	expect_segs(s, 2, ENTRY, &window, ELF_ERR_PAGE_PERMS);
	/* Bss starting at the first byte of the text's page. */
	s[1] = (struct seg_spec){ELF_PT_LOAD, RW, 0, BASE, 0, 0x10};
	expect_segs(s, 2, ENTRY, &window, ELF_ERR_PAGE_PERMS);
	/* Read-only data next to text: R and RX differ too. */
	s[1] = (struct seg_spec){ELF_PT_LOAD, ELF_PF_R, 0, BASE, 0, 0x10};
	expect_segs(s, 2, ENTRY, &window, ELF_ERR_PAGE_PERMS);
	/* Bss on the next page, sharing a page with data of the same flags. */
	s[1] = (struct seg_spec){ELF_PT_LOAD, RW, 0, BASE + 0x1000, 0, 0x10};
	expect_segs(s, 3, ENTRY, &window, ELF_OK);
	/* ... or with data of different flags. */
	s[2].flags = ELF_PF_R;
	expect_segs(s, 3, ENTRY, &window, ELF_ERR_PAGE_PERMS);
}

/* --- Entry point. --- */

static void test_entry(void **state)
{
	EXPECT_EH(e_entry, TEXT_VADDR, ELF_OK);
	EXPECT_EH(e_entry, TEXT_VADDR + TEXT_SIZE - 1, ELF_OK);
	EXPECT_EH(e_entry, TEXT_VADDR + TEXT_SIZE, ELF_ERR_ENTRY);
	EXPECT_EH(e_entry, TEXT_VADDR - 1, ELF_ERR_ENTRY);
	EXPECT_EH(e_entry, DATA_VADDR, ELF_ERR_ENTRY); /* not executable */
	EXPECT_EH(e_entry, DATA_VADDR + DATA_FILE, ELF_ERR_ENTRY);
	EXPECT_EH(e_entry, 0, ELF_ERR_ENTRY);
	EXPECT_EH(e_entry, UINT64_MAX, ELF_ERR_ENTRY);
	/* In the bss of an executable segment: inside p_memsz counts. */
	{
		struct image img;

		build_valid(&img);
		PH_SET(&img, 0, p_memsz, TEXT_SIZE + 0x10);
		EH_SET(&img, e_entry, TEXT_VADDR + TEXT_SIZE);
		expect(&img, &window, ELF_OK);
	}
}

/* --- Program header types and counts. --- */

static void test_phdr_types(void **state)
{
	/* Types the loader ignores, even with nonsense fields. */
	static const uint32_t ignored[] = {0,
					   ELF_PT_NOTE,
					   2 /* DYNAMIC */,
					   7 /* TLS */,
					   0x6474e552 /* GNU_RELRO */,
					   0x6fffffff,
					   0xffffffff};

	EXPECT_PH(2, p_type, ELF_PT_INTERP, &window, ELF_ERR_INTERP);
	for (unsigned i = 0; i < sizeof(ignored) / sizeof(ignored[0]); i++) {
		struct image img;

		build_valid(&img);
		PH_SET(&img, 2, p_type, ignored[i]);
		PH_SET(&img, 2, p_flags, 0xffffffff);
		PH_SET(&img, 2, p_offset, UINT64_MAX);
		PH_SET(&img, 2, p_vaddr, UINT64_MAX);
		PH_SET(&img, 2, p_filesz, UINT64_MAX);
		PH_SET(&img, 2, p_memsz, 1);
		expect(&img, &window, ELF_OK);
	}
	/* No PT_LOAD at all. */
	{
		struct image img;

		build_valid(&img);
		PH_SET(&img, 0, p_type, ELF_PT_NOTE);
		PH_SET(&img, 1, p_type, ELF_PT_NOTE);
		expect(&img, &window, ELF_ERR_NO_LOAD);
	}
}

/* A PT_LOAD with p_memsz == 0 places nothing and is skipped. */
static void test_empty_load(void **state)
{
	struct image img;
	struct elf_image out;

	build_valid(&img);
	PH_SET(&img, 2, p_type, ELF_PT_LOAD);
	PH_SET(&img, 2, p_flags, RW | ELF_PF_X);
	PH_SET(&img, 2, p_vaddr, UINT64_MAX);
	PH_SET(&img, 2, p_offset, UINT64_MAX - 5);
	PH_SET(&img, 2, p_memsz, 0);
	assert_int_equal(parse_n(&img, img.size, &window, &out), ELF_OK);
	assert_int_equal(out.segment_count, 2);
	/* ... but its p_filesz must still fit in p_memsz. */
	PH_SET(&img, 2, p_filesz, 1);
	expect(&img, &window, ELF_ERR_FILESZ);
	/* Only empty PT_LOADs: nothing to load. */
	PH_SET(&img, 2, p_filesz, 0);
	PH_SET(&img, 0, p_memsz, 0);
	PH_SET(&img, 0, p_filesz, 0);
	PH_SET(&img, 1, p_memsz, 0);
	PH_SET(&img, 1, p_filesz, 0);
	expect(&img, &window, ELF_ERR_NO_LOAD);
}

/* n page-sized bss-only segments, one per page, text first. */
static void expect_load_count(unsigned n, enum elf_error want)
{
	struct seg_spec segs[ELF_MAX_SEGMENTS + 1];
	struct image img;
	struct elf_image out;

	for (unsigned i = 0; i < n; i++)
		segs[i] = (struct seg_spec){
		    ELF_PT_LOAD, i ? RW : RX,  0, BASE + i * ELF_PAGE_SIZE,
		    0,		 ELF_PAGE_SIZE};
	build(&img, segs, n, BASE);
	assert_int_equal(parse_n(&img, img.size, NULL, &out), want);
	if (want == ELF_OK) {
		assert_int_equal(out.segment_count, n);
		assert_int_equal(out.lowest_vaddr, BASE);
		assert_int_equal(out.highest_vaddr_end,
				 BASE + n * ELF_PAGE_SIZE);
	}
}

static void test_segment_count(void **state)
{
	expect_load_count(1, ELF_OK);
	expect_load_count(ELF_MAX_SEGMENTS, ELF_OK);
	expect_load_count(ELF_MAX_SEGMENTS + 1, ELF_ERR_TOO_MANY_SEGMENTS);
}

/* Bounds are the exact extremes whatever the segment order. */
static void test_bounds_order(void **state)
{
	const struct seg_spec s[2] = {valid_segs[1], valid_segs[0]};
	struct image img;
	struct elf_image out;

	build(&img, s, 2, ENTRY);
	assert_int_equal(parse_n(&img, img.size, &window, &out), ELF_OK);
	assert_int_equal(out.lowest_vaddr, TEXT_VADDR);
	assert_int_equal(out.highest_vaddr_end, DATA_VADDR + DATA_MEM);
	assert_int_equal(out.segments[0].vaddr, DATA_VADDR);
}

static void test_strerror(void **state)
{
	for (int i = 0; i < ELF_ERR_COUNT; i++) {
		const char *s = elf_strerror(i);

		assert_non_null(s);
		assert_string_not_equal(s, "unknown ELF error");
		for (int j = 0; j < i; j++)
			assert_string_not_equal(s, elf_strerror(j));
	}
	assert_string_equal(elf_strerror(ELF_ERR_COUNT), "unknown ELF error");
	assert_string_equal(elf_strerror((enum elf_error) - 1),
			    "unknown ELF error");
}

/* --- Fuzz seeds, written on request with the same builder. --- */

static void write_seed(const char *dir, const char *name,
		       const struct seg_spec *segs, unsigned n, uint64_t entry)
{
	struct image img;
	char path[4096];
	FILE *f;

	build(&img, segs, n, entry);
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (!f || fwrite(img.bytes, 1, img.size, f) != img.size ||
	    fclose(f) != 0) {
		perror(path);
		exit(1);
	}
}

static int write_seeds(const char *dir)
{
	static const struct seg_spec three[] = {
	    {ELF_PT_LOAD, ELF_PF_R, 0x200, BASE + 0x200, 0x100, 0x100},
	    {ELF_PT_LOAD, RX, 0x300, BASE + 0x1300, 0x80, 0x80},
	    {ELF_PT_LOAD, RW, 0x380, BASE + 0x2380, 0x40, 0x1000},
	    {ELF_PT_NOTE, ELF_PF_R, 0x200, BASE + 0x200, 0x20, 0x20},
	    {ELF_PT_GNU_STACK, RW, 0, 0, 0, 0},
	};
	static const struct seg_spec shared[] = {
	    {ELF_PT_LOAD, RX, 0x100, BASE + 0x100, 0x20, 0x20},
	    {ELF_PT_LOAD, RW, 0x120, BASE + 0x1120, 0x10, 0x10},
	    {ELF_PT_LOAD, RW, 0x140, BASE + 0x1140, 0, 0x800},
	};

	write_seed(dir, "two-segments", valid_segs, VALID_PHNUM, ENTRY);
	write_seed(dir, "three-segments-note", three, 5, BASE + 0x1300);
	write_seed(dir, "shared-page-bss", shared, 3, BASE + 0x100);
	return 0;
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_valid_parse),
	    cmocka_unit_test(test_valid_load),
	    cmocka_unit_test(test_load_calls),
	    cmocka_unit_test(test_unaligned),
	    cmocka_unit_test(test_truncated),
	    cmocka_unit_test(test_ident),
	    cmocka_unit_test(test_header_fields),
	    cmocka_unit_test(test_phdr_table),
	    cmocka_unit_test(test_max_phnum),
	    cmocka_unit_test(test_segment_file),
	    cmocka_unit_test(test_segment_vaddr),
	    cmocka_unit_test(test_segment_limits),
	    cmocka_unit_test(test_wx),
	    cmocka_unit_test(test_overlap),
	    cmocka_unit_test(test_page_perms),
	    cmocka_unit_test(test_entry),
	    cmocka_unit_test(test_phdr_types),
	    cmocka_unit_test(test_empty_load),
	    cmocka_unit_test(test_segment_count),
	    cmocka_unit_test(test_bounds_order),
	    cmocka_unit_test(test_strerror),
	};

	if (argc == 3 && !strcmp(argv[1], "--write-seeds"))
		return write_seeds(argv[2]);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
