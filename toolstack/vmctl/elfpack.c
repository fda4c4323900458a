// SPDX-License-Identifier: GPL-2.0-only
/*
 * Packing boot modules into the core's ELF32 image (arch/packed.h,
 * docs/images.md). The core file is outside input like any other: every
 * header, table and offset is checked against the file's size before it is
 * read, and fields are read byte by byte (little-endian), so no alignment
 * is assumed.
 *
 * The result is the core file unchanged except for three things: one more
 * program header (in the unused space after the existing ones), the
 * packed-modules descriptor (in the section PACKED_SECTION), and the packed
 * region appended at the end of the file, page-aligned:
 *
 *	region_start (page above the core's last byte, bss included)
 *	  module 0: the manifest blob
 *	  module 1..: the images, each starting on a page
 *	  the modules' names, then the command line, NUL-terminated
 *	region_end (page-aligned)
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arch/packed.h>
#include "image.h"
#include "vmctl.h"

#define CMD "vmctl image pack"

/* ELF32 as the System V gABI lays it out: what this file touches. */
#define EHDR_SIZE	   52
#define PHDR_SIZE	   32
#define SHDR_SIZE	   40
#define EI_CLASS	   4
#define EI_DATA		   5
#define ELFCLASS32	   1
#define ELFCLASS64	   2
#define ELFDATA2LSB	   1
#define ET_EXEC		   2
#define EM_386		   3
#define PT_LOAD		   1
#define PF_R		   4
#define SHT_PROGBITS	   1
#define SHT_NOBITS	   8
#define E_TYPE		   16
#define E_MACHINE	   18
#define E_PHOFF		   28
#define E_SHOFF		   32
#define E_PHENTSIZE	   42
#define E_PHNUM		   44
#define E_SHENTSIZE	   46
#define E_SHNUM		   48
#define E_SHSTRNDX	   50
#define P_TYPE		   0
#define P_OFFSET	   4
#define P_VADDR		   8
#define P_PADDR		   12
#define P_FILESZ	   16
#define P_MEMSZ		   20
#define P_FLAGS		   24
#define P_ALIGN		   28
#define SH_NAME		   0
#define SH_TYPE		   4
#define SH_OFFSET	   16
#define SH_SIZE		   20
#define ELF32_ADDR_LIMIT   0x100000000ull
#define PACKED_MODULES_OFF 40 /* offsetof(struct packed_modules, modules) */

_Static_assert(__builtin_offsetof(struct packed_modules, modules) ==
		   PACKED_MODULES_OFF,
	       "descriptor layout");

/* The core file and what was found in it. */
struct core {
	const char *path;
	uint8_t *data;
	size_t size;
	uint32_t phoff, phnum, shoff, shnum;
	uint32_t desc_off; /* file offset of the descriptor */
	uint64_t end;	   /* physical end of the highest PT_LOAD */
};

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static void put32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void put64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static uint64_t align_up(uint64_t v, uint64_t a)
{
	return (v + a - 1) & ~(a - 1);
}

static int bad_core(const struct core *c, const char *why)
{
	fprintf(stderr, CMD ": %s: %s\n", c->path, why);
	return VMCTL_EXIT_FAIL;
}

/* Is [off, off + len) inside the file? */
static bool in_file(const struct core *c, uint64_t off, uint64_t len)
{
	return off <= c->size && len <= c->size - off;
}

static int check_header(struct core *c)
{
	const uint8_t *h = c->data;

	if (c->size < EHDR_SIZE || memcmp(h, "\177ELF", 4))
		return bad_core(c, "not an ELF file");
	if (h[EI_CLASS] == ELFCLASS64)
		return bad_core(c, "an ELF64 file: pack takes the ELF32 core "
				   "(atoll32.elf), which QEMU's -kernel loads");
	if (h[EI_CLASS] != ELFCLASS32 || h[EI_DATA] != ELFDATA2LSB ||
	    get16(h + E_TYPE) != ET_EXEC || get16(h + E_MACHINE) != EM_386)
		return bad_core(c, "not a little-endian ELF32 i386 executable");
	if (get16(h + E_PHENTSIZE) != PHDR_SIZE ||
	    get16(h + E_SHENTSIZE) != SHDR_SIZE)
		return bad_core(c, "unexpected program or section header size");
	c->phoff = get32(h + E_PHOFF);
	c->phnum = get16(h + E_PHNUM);
	c->shoff = get32(h + E_SHOFF);
	c->shnum = get16(h + E_SHNUM);
	if (!in_file(c, c->phoff, (uint64_t)c->phnum * PHDR_SIZE) ||
	    !in_file(c, c->shoff, (uint64_t)c->shnum * SHDR_SIZE))
		return bad_core(c, "headers run past the end of the file");
	return VMCTL_EXIT_OK;
}

static const uint8_t *shdr(const struct core *c, uint32_t i)
{
	return c->data + c->shoff + (size_t)i * SHDR_SIZE;
}

/* Section i's name, or NULL if it does not lie in the string table. */
static const char *section_name(const struct core *c, uint32_t i)
{
	uint32_t strndx = get16(c->data + E_SHSTRNDX);
	const uint8_t *str;
	uint32_t off, size, name = get32(shdr(c, i) + SH_NAME);

	if (strndx >= c->shnum)
		return NULL;
	str = shdr(c, strndx);
	off = get32(str + SH_OFFSET);
	size = get32(str + SH_SIZE);
	if (!in_file(c, off, size) || name >= size ||
	    !memchr(c->data + off + name, '\0', size - name))
		return NULL;
	return (const char *)c->data + off + name;
}

/* The descriptor: as built (magic, version, nothing packed yet). */
static int find_descriptor(struct core *c)
{
	for (uint32_t i = 0; i < c->shnum; i++) {
		const char *name = section_name(c, i);
		const uint8_t *s = shdr(c, i), *d;

		if (!name || strcmp(name, PACKED_SECTION))
			continue;
		c->desc_off = get32(s + SH_OFFSET);
		if (get32(s + SH_TYPE) != SHT_PROGBITS ||
		    get32(s + SH_SIZE) != sizeof(struct packed_modules) ||
		    !in_file(c, c->desc_off, sizeof(struct packed_modules)))
			return bad_core(c, "section " PACKED_SECTION
					   " has the wrong type or size");
		d = c->data + c->desc_off;
		if (memcmp(d, PACKED_MAGIC, PACKED_MAGIC_LEN) ||
		    get32(d + 8) != PACKED_VERSION)
			return bad_core(c, "the packed-modules descriptor has "
					   "another magic or version");
		if (get32(d + 12) != 0)
			return bad_core(c, "already has packed modules");
		return VMCTL_EXIT_OK;
	}
	return bad_core(c, "no " PACKED_SECTION " section: not an Atoll "
			   "core, or one built before packing existed");
}

/*
 * The new program header goes right after the others: that space must be
 * in no segment's or section's bytes, nor in the section header table.
 */
static bool overlaps(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
	return alen && blen && a < b + blen && b < a + alen;
}

static int check_phdr_room(struct core *c)
{
	uint64_t at = c->phoff + (uint64_t)c->phnum * PHDR_SIZE;
	const char *full = "no room after the program headers for one more";

	if (c->phnum >= 0xffff || !in_file(c, at, PHDR_SIZE) ||
	    overlaps(at, PHDR_SIZE, 0, EHDR_SIZE) ||
	    overlaps(at, PHDR_SIZE, c->shoff, (uint64_t)c->shnum * SHDR_SIZE))
		return bad_core(c, full);
	for (uint32_t i = 0; i < c->phnum; i++) {
		const uint8_t *p = c->data + c->phoff + (size_t)i * PHDR_SIZE;

		if (overlaps(at, PHDR_SIZE, get32(p + P_OFFSET),
			     get32(p + P_FILESZ)))
			return bad_core(c, full);
	}
	for (uint32_t i = 0; i < c->shnum; i++) {
		const uint8_t *s = shdr(c, i);

		if (get32(s + SH_TYPE) != SHT_NOBITS &&
		    overlaps(at, PHDR_SIZE, get32(s + SH_OFFSET),
			     get32(s + SH_SIZE)))
			return bad_core(c, full);
	}
	return VMCTL_EXIT_OK;
}

/* The physical end of the image: the highest PT_LOAD's, bss included. */
static int find_end(struct core *c)
{
	c->end = 0;
	for (uint32_t i = 0; i < c->phnum; i++) {
		const uint8_t *p = c->data + c->phoff + (size_t)i * PHDR_SIZE;
		uint64_t end;

		if (get32(p + P_TYPE) != PT_LOAD)
			continue;
		end = (uint64_t)get32(p + P_PADDR) + get32(p + P_MEMSZ);
		if (end > c->end)
			c->end = end;
	}
	return c->end ? VMCTL_EXIT_OK : bad_core(c, "no PT_LOAD segment");
}

/* Where each piece goes, as offsets from the region's start. */
struct layout {
	uint64_t mod_off[PACKED_MAX_MODULES];
	uint64_t name_off[PACKED_MAX_MODULES];
	uint64_t cmdline_off;
	uint64_t used; /* bytes with content */
	uint64_t size; /* page-aligned */
};

static void plan_layout(const struct pack_module *mods, unsigned count,
			const char *cmdline, struct layout *l)
{
	uint64_t at = 0;

	for (unsigned i = 0; i < count; i++) {
		at = align_up(at, PACKED_ALIGN);
		l->mod_off[i] = at;
		at += mods[i].len;
	}
	for (unsigned i = 0; i < count; i++) {
		l->name_off[i] = at;
		at += strlen(mods[i].name) + 1;
	}
	l->cmdline_off = at;
	if (cmdline)
		at += strlen(cmdline) + 1;
	l->used = at;
	l->size = align_up(at, PACKED_ALIGN);
}

static void fill_region(uint8_t *region, const struct pack_module *mods,
			unsigned count, const char *cmdline,
			const struct layout *l)
{
	for (unsigned i = 0; i < count; i++) {
		memcpy(region + l->mod_off[i], mods[i].data, mods[i].len);
		strcpy((char *)region + l->name_off[i], mods[i].name);
	}
	if (cmdline)
		strcpy((char *)region + l->cmdline_off, cmdline);
}

/* Fills in the descriptor for a region at physical address base. */
static void fill_descriptor(uint8_t *d, uint64_t base,
			    const struct pack_module *mods, unsigned count,
			    const char *cmdline, const struct layout *l)
{
	put32(d + 12, count);
	put64(d + 16, base);
	put64(d + 24, base + l->size);
	put64(d + 32, cmdline ? base + l->cmdline_off : 0);
	for (unsigned i = 0; i < count; i++) {
		uint8_t *e =
		    d + PACKED_MODULES_OFF + i * sizeof(struct packed_module);

		put64(e, base + l->mod_off[i]);
		put64(e + 8, base + l->mod_off[i] + mods[i].len);
		put64(e + 16, base + l->name_off[i]);
	}
}

static void add_phdr(struct core *c, uint8_t *out, uint64_t file_off,
		     uint64_t base, uint64_t size)
{
	uint8_t *p = out + c->phoff + (size_t)c->phnum * PHDR_SIZE;

	memset(p, 0, PHDR_SIZE);
	put32(p + P_TYPE, PT_LOAD);
	put32(p + P_OFFSET, (uint32_t)file_off);
	put32(p + P_VADDR, (uint32_t)base);
	put32(p + P_PADDR, (uint32_t)base);
	put32(p + P_FILESZ, (uint32_t)size);
	put32(p + P_MEMSZ, (uint32_t)size);
	put32(p + P_FLAGS, PF_R);
	put32(p + P_ALIGN, PACKED_ALIGN);
	out[E_PHNUM] = (uint8_t)(c->phnum + 1);
	out[E_PHNUM + 1] = (uint8_t)((c->phnum + 1) >> 8);
}

static int read_core(struct core *c)
{
	struct vmctl_buf buf = {0};

	if (!vmctl_read_file(c->path, &buf)) {
		fprintf(stderr, CMD ": cannot read core '%s': %s\n", c->path,
			strerror(errno));
		free(buf.data);
		return VMCTL_EXIT_FAIL;
	}
	c->data = (uint8_t *)buf.data;
	c->size = buf.len;
	if (check_header(c) || find_descriptor(c) || check_phdr_room(c) ||
	    find_end(c))
		return VMCTL_EXIT_FAIL;
	return VMCTL_EXIT_OK;
}

static int write_packed(struct core *c, const char *out_path,
			const struct pack_module *mods, unsigned count,
			const char *cmdline)
{
	static struct layout l;
	uint64_t base = align_up(c->end, PACKED_ALIGN);
	uint64_t file_off = align_up(c->size, PACKED_ALIGN);
	uint8_t *out;
	bool ok;

	plan_layout(mods, count, cmdline, &l);
	if (base + l.size > ELF32_ADDR_LIMIT ||
	    file_off + l.size > ELF32_ADDR_LIMIT) {
		fprintf(stderr,
			CMD ": the modules (%llu bytes) do not fit "
			    "below 4 GiB\n",
			(unsigned long long)l.used);
		return VMCTL_EXIT_FAIL;
	}
	out = calloc(1, file_off + l.size);
	if (!out) {
		fprintf(stderr, CMD ": out of memory\n");
		return VMCTL_EXIT_FAIL;
	}
	memcpy(out, c->data, c->size);
	fill_region(out + file_off, mods, count, cmdline, &l);
	fill_descriptor(out + c->desc_off, base, mods, count, cmdline, &l);
	add_phdr(c, out, file_off, base, l.size);
	ok = vmctl_write_file(out_path, out, file_off + l.size);
	if (!ok)
		fprintf(stderr, CMD ": cannot write '%s': %s\n", out_path,
			strerror(errno));
	free(out);
	return ok ? VMCTL_EXIT_OK : VMCTL_EXIT_FAIL;
}

int elfpack_write(const char *core_path, const char *out_path,
		  const struct pack_module *mods, unsigned count,
		  const char *cmdline)
{
	struct core c = {.path = core_path};
	int rc;

	if (count == 0 || count > PACKED_MAX_MODULES) {
		fprintf(stderr, CMD ": %u modules: 1 to %u can be packed\n",
			count, PACKED_MAX_MODULES);
		return VMCTL_EXIT_FAIL;
	}
	if (cmdline && strlen(cmdline) >= PACKED_CMDLINE_MAX) {
		fprintf(stderr, CMD ": bootargs longer than %u bytes\n",
			PACKED_CMDLINE_MAX - 1);
		return VMCTL_EXIT_FAIL;
	}
	rc = read_core(&c);
	if (rc == VMCTL_EXIT_OK)
		rc = write_packed(&c, out_path, mods, count, cmdline);
	free(c.data);
	return rc;
}
