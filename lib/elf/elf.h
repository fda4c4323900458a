/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * ELF64 loader for x86_64 executables, shared by the hypervisor core (which
 * builds boot domains from boot modules), newlib domains and host tools. It
 * includes only the compiler's own headers and calls no library function, so
 * the same file builds freestanding, against newlib and on the host.
 *
 * The image is outside input (a boot module, a file a user gave the
 * toolstack): elf_parse() checks everything elf_load() will rely on and
 * returns an error code, never crashes, on anything malformed. What it
 * accepts:
 *
 *  - a little-endian ELF64 ET_EXEC for x86_64. ET_DYN (shared objects and
 *    PIE) is refused: segments are placed at their link addresses, and no
 *    relocation is done. PT_INTERP (a dynamically linked program) likewise.
 *  - 1..ELF_MAX_SEGMENTS PT_LOAD segments, each inside the caller's
 *    window [limits->min_vaddr, limits->max_vaddr_end), with
 *    p_vaddr % ELF_PAGE_SIZE == p_offset % ELF_PAGE_SIZE (what every linker
 *    produces). p_align is not otherwise looked at: the loader copies bytes,
 *    it never maps file pages, so it needs no stronger alignment.
 *  - no segment both writable and executable, and no PT_GNU_STACK asking for
 *    an executable stack: W^X holds for domains too.
 *  - segments never overlap; two segments may share a page only if they have
 *    the same permissions, because a page is mapped with one set of
 *    permissions.
 *  - the entry point inside an executable segment.
 *
 * PT_LOAD segments with p_memsz == 0 place nothing and are skipped. Other
 * program header types (PT_NOTE, PT_TLS, PT_GNU_RELRO, ...) are ignored.
 */
#ifndef ATOLL_LIB_ELF_H
#define ATOLL_LIB_ELF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* --- The ELF64 format (System V gABI), as far as the loader needs it. --- */

#define ELF_NIDENT 16

/* e_ident[] indices and values. */
#define ELF_EI_MAG0    0
#define ELF_EI_MAG1    1
#define ELF_EI_MAG2    2
#define ELF_EI_MAG3    3
#define ELF_EI_CLASS   4
#define ELF_EI_DATA    5
#define ELF_EI_VERSION 6
#define ELF_EI_OSABI   7

#define ELF_MAG0       0x7f
#define ELF_MAG1       'E'
#define ELF_MAG2       'L'
#define ELF_MAG3       'F'
#define ELF_CLASS64    2
#define ELF_DATA2LSB   1
#define ELF_EV_CURRENT 1

/* e_type */
#define ELF_ET_EXEC 2
#define ELF_ET_DYN  3

/* e_machine */
#define ELF_EM_X86_64 62

/* p_type */
#define ELF_PT_LOAD	 1
#define ELF_PT_INTERP	 3
#define ELF_PT_NOTE	 4
#define ELF_PT_GNU_STACK 0x6474e551

/* p_flags */
#define ELF_PF_X 0x1
#define ELF_PF_W 0x2
#define ELF_PF_R 0x4

struct elf64_ehdr {
	uint8_t e_ident[ELF_NIDENT];
	uint16_t e_type;
	uint16_t e_machine;
	uint32_t e_version;
	uint64_t e_entry;
	uint64_t e_phoff;
	uint64_t e_shoff;
	uint32_t e_flags;
	uint16_t e_ehsize;
	uint16_t e_phentsize;
	uint16_t e_phnum;
	uint16_t e_shentsize;
	uint16_t e_shnum;
	uint16_t e_shstrndx;
};

struct elf64_phdr {
	uint32_t p_type;
	uint32_t p_flags;
	uint64_t p_offset;
	uint64_t p_vaddr;
	uint64_t p_paddr;
	uint64_t p_filesz;
	uint64_t p_memsz;
	uint64_t p_align;
};

_Static_assert(sizeof(struct elf64_ehdr) == 64, "ELF64 header is 64 bytes");
_Static_assert(sizeof(struct elf64_phdr) == 56, "ELF64 phdr is 56 bytes");

/* --- The loader. --- */

/* Granule of permissions: segments with different flags never share one. */
#define ELF_PAGE_SIZE	 4096
/* PT_LOAD segments kept; more is an error (ELF_ERR_TOO_MANY_SEGMENTS). */
#define ELF_MAX_SEGMENTS 16
/* Program headers looked at; more is an error (ELF_ERR_PHNUM). */
#define ELF_MAX_PHNUM	 64

enum elf_error {
	ELF_OK,
	ELF_ERR_TRUNCATED,	      /* shorter than the ELF header */
	ELF_ERR_MAGIC,		      /* no \x7fELF */
	ELF_ERR_CLASS,		      /* not ELF64 */
	ELF_ERR_DATA,		      /* not little-endian */
	ELF_ERR_VERSION,	      /* e_ident or e_version not EV_CURRENT */
	ELF_ERR_TYPE_DYN,	      /* ET_DYN: needs relocation */
	ELF_ERR_TYPE,		      /* neither ET_EXEC nor ET_DYN */
	ELF_ERR_MACHINE,	      /* not x86_64 */
	ELF_ERR_PHENTSIZE,	      /* e_phentsize != 56 */
	ELF_ERR_PHNUM,		      /* e_phnum > ELF_MAX_PHNUM */
	ELF_ERR_PHDRS_OUTSIDE,	      /* program headers past the file's end */
	ELF_ERR_INTERP,		      /* PT_INTERP: dynamically linked */
	ELF_ERR_EXEC_STACK,	      /* PT_GNU_STACK with PF_X */
	ELF_ERR_NO_LOAD,	      /* no PT_LOAD with p_memsz > 0 */
	ELF_ERR_TOO_MANY_SEGMENTS,    /* more than ELF_MAX_SEGMENTS PT_LOADs */
	ELF_ERR_FILESZ,		      /* p_filesz > p_memsz */
	ELF_ERR_SEGMENT_OUTSIDE_FILE, /* file bytes past the file's end */
	ELF_ERR_VADDR_WRAP,	      /* p_vaddr + p_memsz overflows */
	ELF_ERR_SEGMENT_LIMITS,	      /* outside the caller's window */
	ELF_ERR_ALIGN,		      /* p_vaddr, p_offset not congruent */
	ELF_ERR_WX,		      /* segment writable and executable */
	ELF_ERR_OVERLAP,	      /* two segments share bytes */
	ELF_ERR_PAGE_PERMS,	      /* page shared with different flags */
	ELF_ERR_ENTRY,		      /* entry not in an executable segment */
	ELF_ERR_COUNT		      /* not an error: number of values */
};

/* Where the segments may be placed: [min_vaddr, max_vaddr_end). */
struct elf_limits {
	uint64_t min_vaddr;
	uint64_t max_vaddr_end;
};

/* One PT_LOAD segment: memsz bytes at vaddr, the first filesz from the file. */
struct elf_segment {
	uint64_t vaddr;
	uint64_t memsz; /* > 0 */
	uint64_t file_offset;
	uint64_t filesz; /* <= memsz; the rest is zeroed (bss) */
	uint32_t flags; /* ELF_PF_R | ELF_PF_W | ELF_PF_X, other bits dropped */
};

/* A checked image: its segments in program header order. */
struct elf_image {
	uint64_t entry;
	struct elf_segment segments[ELF_MAX_SEGMENTS];
	unsigned segment_count;
	/* Exact bounds of all segments (not rounded to pages). */
	uint64_t lowest_vaddr;
	uint64_t highest_vaddr_end;
};

/* A static description of err, or "unknown ELF error"; never NULL. */
const char *elf_strerror(enum elf_error err);

/*
 * Checks the ELF image data[0..size) against the rules at the top of this
 * file and describes it in *out. limits may be NULL: no bound but the
 * address space. data may have any alignment; it is only read.
 *
 * Returns ELF_OK, or the first problem found (one of the ELF_ERR_* above),
 * in which case *out has segment_count == 0 and its other fields are
 * unspecified.
 */
enum elf_error elf_parse(const void *data, size_t size,
			 const struct elf_limits *limits, struct elf_image *out)
    __attribute__((warn_unused_result));

typedef void elf_copy_fn(uint64_t vaddr, const void *src, uint64_t len,
			 void *ctx);
typedef void elf_zero_fn(uint64_t vaddr, uint64_t len, void *ctx);

/*
 * Places the image: for each segment, in order, copy() its filesz file bytes
 * to vaddr (skipped when filesz is 0), then zero() the memsz - filesz bytes
 * after them (skipped when there are none). Calls with len 0 never happen.
 * Bytes outside the segments, even in the same pages, are not touched: the
 * caller provides zeroed memory.
 *
 * img must come from a successful elf_parse() of the same data and size;
 * then every call lies within the segment (so within the limits given to
 * elf_parse()) and every src range within data.
 */
void elf_load(const struct elf_image *img, const void *data, elf_copy_fn *copy,
	      elf_zero_fn *zero, void *ctx);

#endif
