// SPDX-License-Identifier: GPL-2.0-only
/*
 * ELF64 loader (see elf.h for the contract and the rules an image must
 * follow).
 *
 * Fields are read byte by byte, little-endian, into local structs: the image
 * may sit at any alignment, and nothing here may depend on a libc (no
 * memcpy), nor on the host's byte order. Every offset and size is checked
 * against the file size, and every sum for overflow, before it is used, so a
 * hostile image can make elf_parse() fail but never read outside data.
 */
#include "elf.h"

#define TRY(expr)                                                              \
	do {                                                                   \
		enum elf_error try_err_ = (expr);                              \
		if (try_err_ != ELF_OK)                                        \
			return try_err_;                                       \
	} while (0)

#define ELF_PAGE_SHIFT 12
_Static_assert(ELF_PAGE_SIZE == 1u << ELF_PAGE_SHIFT, "page shift");

#define ELF_PF_RWX (ELF_PF_R | ELF_PF_W | ELF_PF_X)

static const char *const elf_error_str[ELF_ERR_COUNT] = {
    [ELF_OK] = "success",
    [ELF_ERR_TRUNCATED] = "file shorter than an ELF64 header",
    [ELF_ERR_MAGIC] = "not an ELF file (bad magic)",
    [ELF_ERR_CLASS] = "not a 64-bit ELF file",
    [ELF_ERR_DATA] = "not a little-endian ELF file",
    [ELF_ERR_VERSION] = "unknown ELF version",
    [ELF_ERR_TYPE_DYN] =
	"ET_DYN (PIE or shared object) not supported: "
	"images are loaded at fixed addresses, link as ET_EXEC",
    [ELF_ERR_TYPE] = "not an executable (e_type is not ET_EXEC)",
    [ELF_ERR_MACHINE] = "not an x86_64 ELF file",
    [ELF_ERR_PHENTSIZE] = "program header entry size is not 56",
    [ELF_ERR_PHNUM] = "too many program headers",
    [ELF_ERR_PHDRS_OUTSIDE] = "program headers extend past the end of file",
    [ELF_ERR_INTERP] = "dynamically linked (PT_INTERP) not supported",
    [ELF_ERR_EXEC_STACK] = "executable stack requested (PT_GNU_STACK has PF_X)",
    [ELF_ERR_NO_LOAD] = "no loadable (PT_LOAD) segment",
    [ELF_ERR_TOO_MANY_SEGMENTS] = "too many PT_LOAD segments",
    [ELF_ERR_FILESZ] = "segment file size larger than its memory size",
    [ELF_ERR_SEGMENT_OUTSIDE_FILE] =
	"segment data extends past the end of file",
    [ELF_ERR_VADDR_WRAP] = "segment wraps around the address space",
    [ELF_ERR_SEGMENT_LIMITS] = "segment outside the allowed address range",
    [ELF_ERR_ALIGN] = "segment address and file offset not congruent "
		      "modulo the page size",
    [ELF_ERR_WX] = "segment both writable and executable (W^X)",
    [ELF_ERR_OVERLAP] = "segments overlap",
    [ELF_ERR_PAGE_PERMS] = "segments with different permissions share a page",
    [ELF_ERR_ENTRY] = "entry point not in an executable segment",
};

const char *elf_strerror(enum elf_error err)
{
	if ((unsigned)err >= ELF_ERR_COUNT || !elf_error_str[err])
		return "unknown ELF error";
	return elf_error_str[err];
}

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)get16(p) | (uint32_t)get16(p + 2) << 16;
}

static uint64_t get64(const uint8_t *p)
{
	return (uint64_t)get32(p) | (uint64_t)get32(p + 4) << 32;
}

#define FIELD(p, type, field) ((p) + __builtin_offsetof(type, field))

/* The caller has checked that p has sizeof(struct elf64_ehdr) bytes. */
static void decode_ehdr(const uint8_t *p, struct elf64_ehdr *eh)
{
	for (unsigned i = 0; i < ELF_NIDENT; i++)
		eh->e_ident[i] = p[i];
	eh->e_type = get16(FIELD(p, struct elf64_ehdr, e_type));
	eh->e_machine = get16(FIELD(p, struct elf64_ehdr, e_machine));
	eh->e_version = get32(FIELD(p, struct elf64_ehdr, e_version));
	eh->e_entry = get64(FIELD(p, struct elf64_ehdr, e_entry));
	eh->e_phoff = get64(FIELD(p, struct elf64_ehdr, e_phoff));
	eh->e_phentsize = get16(FIELD(p, struct elf64_ehdr, e_phentsize));
	eh->e_phnum = get16(FIELD(p, struct elf64_ehdr, e_phnum));
	/* Section headers and e_flags play no part in loading. */
}

/* The caller has checked that p has sizeof(struct elf64_phdr) bytes. */
static void decode_phdr(const uint8_t *p, struct elf64_phdr *ph)
{
	ph->p_type = get32(FIELD(p, struct elf64_phdr, p_type));
	ph->p_flags = get32(FIELD(p, struct elf64_phdr, p_flags));
	ph->p_offset = get64(FIELD(p, struct elf64_phdr, p_offset));
	ph->p_vaddr = get64(FIELD(p, struct elf64_phdr, p_vaddr));
	ph->p_filesz = get64(FIELD(p, struct elf64_phdr, p_filesz));
	ph->p_memsz = get64(FIELD(p, struct elf64_phdr, p_memsz));
	/* p_paddr and p_align are not used (see elf.h). */
}

/* Is [off, off + len) inside a file of size bytes? Overflow-safe. */
static bool in_file(uint64_t off, uint64_t len, uint64_t size)
{
	return off <= size && len <= size - off;
}

static enum elf_error check_ident(const uint8_t *ident)
{
	if (ident[ELF_EI_MAG0] != ELF_MAG0 || ident[ELF_EI_MAG1] != ELF_MAG1 ||
	    ident[ELF_EI_MAG2] != ELF_MAG2 || ident[ELF_EI_MAG3] != ELF_MAG3)
		return ELF_ERR_MAGIC;
	if (ident[ELF_EI_CLASS] != ELF_CLASS64)
		return ELF_ERR_CLASS;
	if (ident[ELF_EI_DATA] != ELF_DATA2LSB)
		return ELF_ERR_DATA;
	if (ident[ELF_EI_VERSION] != ELF_EV_CURRENT)
		return ELF_ERR_VERSION;
	/* EI_OSABI is not checked: SYSV and GNU (used with IFUNCs) load alike.
	 */
	return ELF_OK;
}

static enum elf_error check_ehdr(const struct elf64_ehdr *eh, uint64_t size)
{
	TRY(check_ident(eh->e_ident));
	if (eh->e_version != ELF_EV_CURRENT)
		return ELF_ERR_VERSION;
	if (eh->e_type == ELF_ET_DYN)
		return ELF_ERR_TYPE_DYN;
	if (eh->e_type != ELF_ET_EXEC)
		return ELF_ERR_TYPE;
	if (eh->e_machine != ELF_EM_X86_64)
		return ELF_ERR_MACHINE;
	if (eh->e_phentsize != sizeof(struct elf64_phdr))
		return ELF_ERR_PHENTSIZE;
	/* Bounding e_phnum first keeps the product below small. */
	if (eh->e_phnum > ELF_MAX_PHNUM)
		return ELF_ERR_PHNUM;
	if (!in_file(eh->e_phoff,
		     (uint64_t)eh->e_phnum * sizeof(struct elf64_phdr), size))
		return ELF_ERR_PHDRS_OUTSIDE;
	return ELF_OK;
}

/* Checks one non-empty PT_LOAD on its own, against the file and limits. */
static enum elf_error check_load(const struct elf64_phdr *ph, uint64_t size,
				 const struct elf_limits *lim)
{
	/* A bss-only segment reads nothing, so its p_offset is not bounded. */
	if (ph->p_filesz && !in_file(ph->p_offset, ph->p_filesz, size))
		return ELF_ERR_SEGMENT_OUTSIDE_FILE;
	if (ph->p_memsz > UINT64_MAX - ph->p_vaddr)
		return ELF_ERR_VADDR_WRAP;
	if (ph->p_vaddr < lim->min_vaddr ||
	    ph->p_vaddr + ph->p_memsz > lim->max_vaddr_end)
		return ELF_ERR_SEGMENT_LIMITS;
	if ((ph->p_vaddr ^ ph->p_offset) & (ELF_PAGE_SIZE - 1))
		return ELF_ERR_ALIGN;
	if ((ph->p_flags & ELF_PF_W) && (ph->p_flags & ELF_PF_X))
		return ELF_ERR_WX;
	return ELF_OK;
}

static uint64_t seg_end(const struct elf_segment *s)
{
	return s->vaddr + s->memsz;
}

/* Page numbers of a segment's first and last byte (no rounding overflow). */
static uint64_t first_page(const struct elf_segment *s)
{
	return s->vaddr >> ELF_PAGE_SHIFT;
}

static uint64_t last_page(const struct elf_segment *s)
{
	return (seg_end(s) - 1) >> ELF_PAGE_SHIFT;
}

static enum elf_error check_apart(const struct elf_segment *a,
				  const struct elf_segment *b)
{
	if (a->vaddr < seg_end(b) && b->vaddr < seg_end(a))
		return ELF_ERR_OVERLAP;
	if (a->flags != b->flags && first_page(a) <= last_page(b) &&
	    first_page(b) <= last_page(a))
		return ELF_ERR_PAGE_PERMS;
	return ELF_OK;
}

static enum elf_error add_load(struct elf_image *img,
			       const struct elf64_phdr *ph, uint64_t size,
			       const struct elf_limits *lim)
{
	struct elf_segment *seg;

	if (ph->p_filesz > ph->p_memsz)
		return ELF_ERR_FILESZ;
	if (ph->p_memsz == 0)
		return ELF_OK; /* places nothing; see elf.h */
	TRY(check_load(ph, size, lim));
	if (img->segment_count == ELF_MAX_SEGMENTS)
		return ELF_ERR_TOO_MANY_SEGMENTS;

	seg = &img->segments[img->segment_count];
	seg->vaddr = ph->p_vaddr;
	seg->memsz = ph->p_memsz;
	seg->file_offset = ph->p_offset;
	seg->filesz = ph->p_filesz;
	seg->flags = ph->p_flags & ELF_PF_RWX;
	for (unsigned i = 0; i < img->segment_count; i++)
		TRY(check_apart(&img->segments[i], seg));
	img->segment_count++;
	return ELF_OK;
}

static enum elf_error add_phdr(struct elf_image *img,
			       const struct elf64_phdr *ph, uint64_t size,
			       const struct elf_limits *lim)
{
	switch (ph->p_type) {
	case ELF_PT_LOAD:
		return add_load(img, ph, size, lim);
	case ELF_PT_INTERP:
		return ELF_ERR_INTERP;
	case ELF_PT_GNU_STACK:
		/* The domain's runtime allocates the stack; it is never X. */
		return (ph->p_flags & ELF_PF_X) ? ELF_ERR_EXEC_STACK : ELF_OK;
	default:
		return ELF_OK;
	}
}

static enum elf_error check_entry(const struct elf_image *img)
{
	for (unsigned i = 0; i < img->segment_count; i++) {
		const struct elf_segment *s = &img->segments[i];

		if ((s->flags & ELF_PF_X) && img->entry >= s->vaddr &&
		    img->entry - s->vaddr < s->memsz)
			return ELF_OK;
	}
	return ELF_ERR_ENTRY;
}

static void set_bounds(struct elf_image *img)
{
	img->lowest_vaddr = UINT64_MAX;
	img->highest_vaddr_end = 0;
	for (unsigned i = 0; i < img->segment_count; i++) {
		const struct elf_segment *s = &img->segments[i];

		if (s->vaddr < img->lowest_vaddr)
			img->lowest_vaddr = s->vaddr;
		if (seg_end(s) > img->highest_vaddr_end)
			img->highest_vaddr_end = seg_end(s);
	}
}

static enum elf_error parse(const uint8_t *p, uint64_t size,
			    const struct elf_limits *lim, struct elf_image *img)
{
	struct elf64_ehdr eh;
	struct elf64_phdr ph;

	if (size < sizeof(struct elf64_ehdr))
		return ELF_ERR_TRUNCATED;
	decode_ehdr(p, &eh);
	TRY(check_ehdr(&eh, size));

	img->entry = eh.e_entry;
	for (unsigned i = 0; i < eh.e_phnum; i++) {
		decode_phdr(p + eh.e_phoff + i * sizeof(struct elf64_phdr),
			    &ph);
		TRY(add_phdr(img, &ph, size, lim));
	}
	if (img->segment_count == 0)
		return ELF_ERR_NO_LOAD;
	TRY(check_entry(img));
	set_bounds(img);
	return ELF_OK;
}

enum elf_error elf_parse(const void *data, size_t size,
			 const struct elf_limits *limits, struct elf_image *out)
{
	static const struct elf_limits no_limits = {0, UINT64_MAX};
	enum elf_error err;

	out->segment_count = 0;
	err = parse(data, size, limits ? limits : &no_limits, out);
	if (err != ELF_OK)
		out->segment_count = 0;
	return err;
}

void elf_load(const struct elf_image *img, const void *data, elf_copy_fn *copy,
	      elf_zero_fn *zero, void *ctx)
{
	const uint8_t *bytes = data;

	for (unsigned i = 0; i < img->segment_count; i++) {
		const struct elf_segment *s = &img->segments[i];

		if (s->filesz)
			copy(s->vaddr, bytes + s->file_offset, s->filesz, ctx);
		if (s->memsz > s->filesz)
			zero(s->vaddr + s->filesz, s->memsz - s->filesz, ctx);
	}
}
