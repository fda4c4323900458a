// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target for the ELF64 loader (lib/elf). The input, in an
 * exact-size heap buffer (so ASan sees any read past the end), goes through
 * elf_parse() twice: with no limits, and with a 64 KiB window at BASE. Any
 * image accepted must obey every rule elf.h promises; one accepted with the
 * window is also accepted without it, identically, and is loaded with
 * elf_load() into a buffer standing for the window. The load must make
 * exactly the calls elf.h describes, each inside the window with its source
 * inside the input, and leave the file's bytes and zeroed bss in place.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fake_core.h"
#include "../../lib/elf/elf.h"

#define CHECK(cond)                                                            \
	do {                                                                   \
		if (!(cond)) {                                                 \
			fprintf(stderr, "fuzz_elf: check '%s' failed\n",       \
				#cond);                                        \
			abort();                                               \
		}                                                              \
	} while (0)

/* The seeds (written by test_elf --write-seeds) are placed here. */
#define BASE   0x400000ull
#define WINDOW 0x10000ull
#define FILL   0xaa

static const struct elf_limits window_limits = {BASE, BASE + WINDOW};
static const struct elf_limits no_limits = {0, UINT64_MAX};

#define RWX	   (ELF_PF_R | ELF_PF_W | ELF_PF_X)
#define MAX_CALLS  (2 * ELF_MAX_SEGMENTS)
#define PAGE_SHIFT 12

struct call {
	uint64_t vaddr;
	uint64_t len;
	const uint8_t *src; /* NULL for zero() */
};

struct load_ctx {
	const uint8_t *data;
	size_t size;
	struct call calls[MAX_CALLS];
	unsigned call_count;
};

static uint8_t window[WINDOW];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fake_log_quiet = true;
	memset(window, FILL, sizeof(window));
	return 0;
}

static uint64_t end_of(const struct elf_segment *s)
{
	return s->vaddr + s->memsz;
}

static void check_segment(const struct elf_segment *s, size_t size,
			  const struct elf_limits *lim)
{
	CHECK(s->memsz > 0 && s->filesz <= s->memsz);
	CHECK(s->filesz == 0 ||
	      (s->file_offset <= size && s->filesz <= size - s->file_offset));
	CHECK(s->memsz <= UINT64_MAX - s->vaddr);
	CHECK(s->vaddr >= lim->min_vaddr && end_of(s) <= lim->max_vaddr_end);
	CHECK((s->flags & ~RWX) == 0);
	CHECK(!((s->flags & ELF_PF_W) && (s->flags & ELF_PF_X)));
	CHECK((s->vaddr ^ s->file_offset) % ELF_PAGE_SIZE == 0);
}

static void check_apart(const struct elf_segment *a,
			const struct elf_segment *b)
{
	CHECK(end_of(a) <= b->vaddr || end_of(b) <= a->vaddr);
	if (a->flags != b->flags)
		CHECK((end_of(a) - 1) >> PAGE_SHIFT < b->vaddr >> PAGE_SHIFT ||
		      (end_of(b) - 1) >> PAGE_SHIFT < a->vaddr >> PAGE_SHIFT);
}

/* Everything elf.h promises about an accepted image. */
static void check_image(const struct elf_image *img, size_t size,
			const struct elf_limits *lim)
{
	uint64_t low = UINT64_MAX, high = 0;
	bool entry_ok = false;

	CHECK(img->segment_count >= 1 &&
	      img->segment_count <= ELF_MAX_SEGMENTS);
	for (unsigned i = 0; i < img->segment_count; i++) {
		const struct elf_segment *s = &img->segments[i];

		check_segment(s, size, lim);
		for (unsigned j = 0; j < i; j++)
			check_apart(&img->segments[j], s);
		if ((s->flags & ELF_PF_X) && img->entry >= s->vaddr &&
		    img->entry - s->vaddr < s->memsz)
			entry_ok = true;
		low = s->vaddr < low ? s->vaddr : low;
		high = end_of(s) > high ? end_of(s) : high;
	}
	CHECK(entry_ok);
	CHECK(img->lowest_vaddr == low && img->highest_vaddr_end == high);
}

static void same_image(const struct elf_image *a, const struct elf_image *b)
{
	CHECK(a->entry == b->entry && a->segment_count == b->segment_count);
	for (unsigned i = 0; i < a->segment_count; i++) {
		const struct elf_segment *x = &a->segments[i];
		const struct elf_segment *y = &b->segments[i];

		CHECK(x->vaddr == y->vaddr && x->memsz == y->memsz &&
		      x->file_offset == y->file_offset &&
		      x->filesz == y->filesz && x->flags == y->flags);
	}
}

static uint8_t *window_at(uint64_t vaddr, uint64_t len)
{
	CHECK(len > 0);
	CHECK(vaddr >= BASE && len <= WINDOW && vaddr - BASE <= WINDOW - len);
	return &window[vaddr - BASE];
}

static void record(struct load_ctx *c, uint64_t vaddr, uint64_t len,
		   const uint8_t *src)
{
	CHECK(c->call_count < MAX_CALLS);
	c->calls[c->call_count++] = (struct call){vaddr, len, src};
}

static void load_copy(uint64_t vaddr, const void *src, uint64_t len, void *ctx)
{
	struct load_ctx *c = ctx;
	const uint8_t *s = src;

	CHECK(s >= c->data && len <= c->size &&
	      (size_t)(s - c->data) <= c->size - len);
	memcpy(window_at(vaddr, len), src, len);
	record(c, vaddr, len, s);
}

static void load_zero(uint64_t vaddr, uint64_t len, void *ctx)
{
	struct load_ctx *c = ctx;

	memset(window_at(vaddr, len), 0, len);
	record(c, vaddr, len, NULL);
}

/* The calls match the segments, in order, and left the right bytes. */
static void check_load(const struct elf_image *img, const struct load_ctx *c)
{
	unsigned n = 0;

	for (unsigned i = 0; i < img->segment_count; i++) {
		const struct elf_segment *s = &img->segments[i];
		const uint8_t *mem = &window[s->vaddr - BASE];

		if (s->filesz) {
			CHECK(n < c->call_count);
			CHECK(c->calls[n].vaddr == s->vaddr &&
			      c->calls[n].len == s->filesz &&
			      c->calls[n].src == c->data + s->file_offset);
			CHECK(
			    !memcmp(mem, c->data + s->file_offset, s->filesz));
			n++;
		}
		if (s->memsz > s->filesz) {
			CHECK(n < c->call_count);
			CHECK(c->calls[n].vaddr == s->vaddr + s->filesz &&
			      c->calls[n].len == s->memsz - s->filesz &&
			      !c->calls[n].src);
			for (uint64_t k = s->filesz; k < s->memsz; k++)
				CHECK(mem[k] == 0);
			n++;
		}
	}
	CHECK(n == c->call_count);
}

/*
 * Loads img into the window and checks it. Only the calls' ranges were
 * written (window_at() bounds each one), so refilling those restores the
 * window for the next input without a 64 KiB memset each time.
 */
static void load_and_check(const struct elf_image *img, const uint8_t *data,
			   size_t size)
{
	struct load_ctx c = {.data = data, .size = size};

	elf_load(img, data, load_copy, load_zero, &c);
	check_load(img, &c);
	for (unsigned i = 0; i < c.call_count; i++)
		memset(&window[c.calls[i].vaddr - BASE], FILL, c.calls[i].len);
}

int LLVMFuzzerTestOneInput(const uint8_t *in, size_t size)
{
	uint8_t *data = malloc(size ? size : 1);
	struct elf_image open_img, img;
	enum elf_error open_err, err;

	if (!data)
		return 0;
	memcpy(data, in, size);

	open_err = elf_parse(data, size, NULL, &open_img);
	CHECK((unsigned)open_err < ELF_ERR_COUNT && elf_strerror(open_err));
	if (open_err == ELF_OK)
		check_image(&open_img, size, &no_limits);
	else
		CHECK(open_img.segment_count == 0);

	err = elf_parse(data, size, &window_limits, &img);
	CHECK((unsigned)err < ELF_ERR_COUNT);
	if (err == ELF_OK) {
		CHECK(open_err == ELF_OK);
		same_image(&img, &open_img);
		check_image(&img, size, &window_limits);
		load_and_check(&img, data, size);
	} else {
		CHECK(img.segment_count == 0);
	}
	free(data);
	return 0;
}
