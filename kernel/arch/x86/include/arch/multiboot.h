/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Multiboot: the headers the core carries so that loaders find it, and the
 * reader that turns a loader's information structure into one
 * loader-independent struct boot_info.
 *
 * GRUB boots the core through multiboot2 and QEMU's -kernel through
 * multiboot1. Both hand over a physical pointer to an information structure
 * that is outside input: every size, count and string is checked and a
 * problem yields an enum boot_info_error (or a dropped entry that is
 * counted), never a panic or a read outside what the loader described.
 *
 * Layouts follow the Multiboot Specification 0.6.96 (multiboot1) and the
 * Multiboot2 Specification 2.0. Everything above the __ASSEMBLER__ guard is
 * plain #defines so that boot.S can build its headers from them.
 */
#ifndef ARCH_MULTIBOOT_H
#define ARCH_MULTIBOOT_H

/* ---- Multiboot1 header (in the first 8 KiB of the image, 4-aligned) ---- */

#define MB1_HEADER_MAGIC      0x1BADB002
#define MB1_HEADER_SEARCH_LEN 8192
#define MB1_HEADER_ALIGN      4

/* Header flags: what the kernel asks of the loader. */
#define MB1_HEADER_PAGE_ALIGN  (1 << 0) /* modules on 4 KiB boundaries */
#define MB1_HEADER_MEMORY_INFO (1 << 1) /* fill mem_* and the mmap */
#define MB1_HEADER_VIDEO_MODE  (1 << 2) /* video mode fields are valid */
#define MB1_HEADER_AOUT_KLUDGE                                                 \
	(1 << 16) /* load addresses are in the header                          \
		   */

/*
 * What the core asks for: page-aligned modules (each domain image starts on
 * a frame) and the memory map. The image is ELF32, so no address fields.
 */
#define MB1_HEADER_FLAGS (MB1_HEADER_PAGE_ALIGN | MB1_HEADER_MEMORY_INFO)

/* ---- Multiboot2 header (in the first 32 KiB of the image, 8-aligned) ---- */

#define MB2_HEADER_MAGIC      0xe85250d6
#define MB2_HEADER_SEARCH_LEN 32768
#define MB2_HEADER_ALIGN      8
#define MB2_HEADER_ARCH_I386  0 /* 32-bit protected mode entry */
#define MB2_HEADER_ARCH_MIPS  4

/* Header tag types (u16 type, u16 flags, u32 size; 8-aligned). */
#define MB2_HEADER_TAG_END		   0
#define MB2_HEADER_TAG_INFORMATION_REQUEST 1
#define MB2_HEADER_TAG_ADDRESS		   2
#define MB2_HEADER_TAG_ENTRY_ADDRESS	   3
#define MB2_HEADER_TAG_CONSOLE_FLAGS	   4
#define MB2_HEADER_TAG_FRAMEBUFFER	   5
#define MB2_HEADER_TAG_MODULE_ALIGN	   6
#define MB2_HEADER_TAG_EFI_BS		   7
#define MB2_HEADER_TAG_ENTRY_ADDRESS_EFI32 8
#define MB2_HEADER_TAG_ENTRY_ADDRESS_EFI64 9
#define MB2_HEADER_TAG_RELOCATABLE	   10

/* Header tag flag: the loader may ignore a tag it does not understand. */
#define MB2_HEADER_TAG_OPTIONAL 1

/* ---- What the loader leaves in EAX ---- */

#define MB1_BOOTLOADER_MAGIC 0x2BADB002
#define MB2_BOOTLOADER_MAGIC 0x36d76289

/* ---- Multiboot1 information structure ---- */

/* Bits of mb1_info.flags: which fields the loader filled in. */
#define MB1_INFO_MEMORY		  (1 << 0) /* mem_lower, mem_upper */
#define MB1_INFO_BOOTDEV	  (1 << 1)
#define MB1_INFO_CMDLINE	  (1 << 2)
#define MB1_INFO_MODS		  (1 << 3)
#define MB1_INFO_AOUT_SYMS	  (1 << 4)
#define MB1_INFO_ELF_SHDR	  (1 << 5)
#define MB1_INFO_MEM_MAP	  (1 << 6)
#define MB1_INFO_DRIVE_INFO	  (1 << 7)
#define MB1_INFO_CONFIG_TABLE	  (1 << 8)
#define MB1_INFO_BOOT_LOADER_NAME (1 << 9)
#define MB1_INFO_APM_TABLE	  (1 << 10)
#define MB1_INFO_VBE_INFO	  (1 << 11)
#define MB1_INFO_FRAMEBUFFER_INFO (1 << 12)

/* Full size of the structure in the specification (through the framebuffer
 * fields). The reader only reads the first MB1_INFO_READ_SIZE bytes. */
#define MB1_INFO_SIZE 116

/*
 * An mmap entry's `size` field does not count itself; the fields after it
 * (base, length, type) take 20 bytes, so a smaller size is malformed.
 */
#define MB1_MMAP_SIZE_FIELD_LEN 4
#define MB1_MMAP_ENTRY_MIN_SIZE 20

/* ---- Multiboot2 information structure ---- */

/* Info tag types (u32 type, u32 size; each tag starts 8-aligned). */
#define MB2_TAG_END		 0
#define MB2_TAG_CMDLINE		 1
#define MB2_TAG_BOOT_LOADER_NAME 2
#define MB2_TAG_MODULE		 3
#define MB2_TAG_BASIC_MEMINFO	 4
#define MB2_TAG_BOOTDEV		 5
#define MB2_TAG_MMAP		 6
#define MB2_TAG_VBE		 7
#define MB2_TAG_FRAMEBUFFER	 8
#define MB2_TAG_ELF_SECTIONS	 9
#define MB2_TAG_APM		 10
#define MB2_TAG_EFI32		 11
#define MB2_TAG_EFI64		 12
#define MB2_TAG_SMBIOS		 13
#define MB2_TAG_ACPI_OLD	 14 /* copy of an RSDP v1 (20 bytes) */
#define MB2_TAG_ACPI_NEW	 15 /* copy of an RSDP v2 (36 bytes) */
#define MB2_TAG_NETWORK		 16
#define MB2_TAG_EFI_MMAP	 17
#define MB2_TAG_EFI_BS		 18
#define MB2_TAG_EFI32_IH	 19
#define MB2_TAG_EFI64_IH	 20
#define MB2_TAG_LOAD_BASE_ADDR	 21

#define MB2_TAG_ALIGN  8
#define MB2_INFO_ALIGN 8

/* The fixed header (total_size, reserved) plus the 8-byte end tag. */
#define MB2_INFO_MIN_SIZE 16

/* mmap tag entries: at least base, length, type, reserved; 8-aligned. */
#define MB2_MMAP_ENTRY_MIN_SIZE 24
#define MB2_MMAP_ENTRY_ALIGN	8

/* ---- Memory described by mem_lower / mem_upper (both versions) ---- */

#define MB_MEM_LOWER_BASE 0x0
#define MB_MEM_UPPER_BASE 0x100000 /* mem_upper counts from 1 MiB */
#define MB_MEM_KIB	  1024	   /* mem_lower / mem_upper are in KiB */

/*
 * No loader comes near these; the bounds keep a corrupt size from making
 * the reader map and walk gigabytes.
 */
#define MB_INFO_MAX_SIZE (1 << 20) /* mb2 total_size */
#define MB_MMAP_MAX_LEN	 (1 << 20) /* mb1 mmap_length */

#ifndef __ASSEMBLER__

#include <atoll/types.h>
#include <atoll/compiler.h>
#include <arch/acpi.h>

/* ---- Raw layouts (little-endian, as the loader lays them out) ---- */

/* The part of the multiboot1 information structure the reader uses. */
struct mb1_info {
	uint32_t flags;	    /* MB1_INFO_* */
	uint32_t mem_lower; /* KiB from 0 (MB1_INFO_MEMORY) */
	uint32_t mem_upper; /* KiB from 1 MiB (MB1_INFO_MEMORY) */
	uint32_t boot_device;
	uint32_t cmdline; /* paddr of a NUL-terminated string */
	uint32_t mods_count;
	uint32_t mods_addr; /* paddr of mods_count struct mb1_module */
	uint32_t syms[4];
	uint32_t mmap_length; /* bytes */
	uint32_t mmap_addr;
	uint32_t drives_length;
	uint32_t drives_addr;
	uint32_t config_table;
	uint32_t boot_loader_name; /* paddr of a NUL-terminated string */
} __packed;
#define MB1_INFO_READ_SIZE 68
_Static_assert(sizeof(struct mb1_info) == MB1_INFO_READ_SIZE, "mb1 info");
_Static_assert(__builtin_offsetof(struct mb1_info, mmap_length) == 44,
	       "mb1 mmap_length");
_Static_assert(__builtin_offsetof(struct mb1_info, boot_loader_name) == 64,
	       "mb1 boot_loader_name");

struct mb1_module {
	uint32_t mod_start;
	uint32_t mod_end; /* exclusive */
	uint32_t string;  /* paddr of a NUL-terminated string, 0 for none */
	uint32_t reserved;
} __packed;
_Static_assert(sizeof(struct mb1_module) == 16, "mb1 module");

/* Entries are `size + 4` bytes apart; these are the fields every one has. */
struct mb1_mmap_entry {
	uint32_t size; /* of the entry, not counting this field */
	uint64_t base_addr;
	uint64_t length;
	uint32_t type;
} __packed;
_Static_assert(sizeof(struct mb1_mmap_entry) ==
		   MB1_MMAP_SIZE_FIELD_LEN + MB1_MMAP_ENTRY_MIN_SIZE,
	       "mb1 mmap entry");

struct mb2_info_header {
	uint32_t total_size; /* including this header and the end tag */
	uint32_t reserved;
} __packed;
_Static_assert(sizeof(struct mb2_info_header) == 8, "mb2 info header");

struct mb2_tag {
	uint32_t type; /* MB2_TAG_* */
	uint32_t size; /* including this header, not the padding after it */
} __packed;
_Static_assert(sizeof(struct mb2_tag) == 8, "mb2 tag");

/* Followed by the module's NUL-terminated string. */
struct mb2_tag_module {
	struct mb2_tag tag;
	uint32_t mod_start;
	uint32_t mod_end; /* exclusive */
} __packed;
_Static_assert(sizeof(struct mb2_tag_module) == 16, "mb2 module tag");

struct mb2_tag_basic_meminfo {
	struct mb2_tag tag;
	uint32_t mem_lower; /* KiB from 0 */
	uint32_t mem_upper; /* KiB from 1 MiB */
} __packed;
_Static_assert(sizeof(struct mb2_tag_basic_meminfo) == 16, "mb2 meminfo");

/* Followed by entries of entry_size bytes, each starting with the below. */
struct mb2_tag_mmap {
	struct mb2_tag tag;
	uint32_t entry_size;
	uint32_t entry_version; /* 0 */
} __packed;
_Static_assert(sizeof(struct mb2_tag_mmap) == 16, "mb2 mmap tag");

struct mb2_mmap_entry {
	uint64_t base_addr;
	uint64_t length;
	uint32_t type;
	uint32_t reserved;
} __packed;
_Static_assert(sizeof(struct mb2_mmap_entry) == MB2_MMAP_ENTRY_MIN_SIZE,
	       "mb2 mmap entry");

/* ---- The loader-independent description ---- */

/*
 * Memory types, normalised: multiboot1, multiboot2 and the BIOS E820 map
 * share these values, so a loader's type is kept when it is one of them
 * and any other value becomes BOOT_MEM_RESERVED.
 */
enum boot_mem_type {
	BOOT_MEM_AVAILABLE = 1,
	BOOT_MEM_RESERVED = 2,
	BOOT_MEM_ACPI_RECLAIMABLE = 3,
	BOOT_MEM_NVS = 4,
	BOOT_MEM_BAD = 5,
};

#define BOOT_CMDLINE_MAX	1024 /* bytes, including the NUL */
#define BOOT_LOADER_NAME_MAX	64
#define BOOT_MODULE_CMDLINE_MAX 128
#define BOOT_MAX_MEM_REGIONS	128
#define BOOT_MAX_MODULES	32

/* Boundary at which the BIOS areas are searched for an RSDP. */
#define BOOT_RSDP_SEARCH_ALIGN 16

struct boot_mem_region {
	uint64_t base;
	uint64_t length; /* never 0; base + length never wraps */
	uint32_t type;	 /* enum boot_mem_type */
};

struct boot_module {
	uint64_t start; /* physical, as the loader placed it */
	uint64_t end;	/* exclusive; start <= end */
	char cmdline[BOOT_MODULE_CMDLINE_MAX]; /* NUL-terminated, truncated */
};

/*
 * Everything the core needs from the loader, copied out of the loader's
 * memory, so the information structure may be reused once parsed.
 *
 * mem[] is sorted by base, its regions do not overlap and adjacent regions
 * of one type are merged. Where loader entries overlap, the more restrictive
 * type wins (available < ACPI reclaimable < reserved < NVS < bad). Entries
 * that do not fit are counted in mem_dropped; a dropped piece is memory the
 * map no longer describes, which the frame allocator treats as unusable.
 */
struct boot_info {
	const char *cmdline;	 /* points at cmdline_buf; "" if none */
	const char *loader_name; /* points at loader_buf; "" if none */
	unsigned mb_version;	 /* 1 or 2 */

	struct boot_mem_region mem[BOOT_MAX_MEM_REGIONS];
	unsigned mem_count;
	unsigned mem_dropped;

	/* In the loader's order; malformed or surplus modules are counted. */
	struct boot_module modules[BOOT_MAX_MODULES];
	unsigned module_count;
	unsigned modules_dropped;

	/* Copy of the RSDP from an mb2 ACPI tag; rsdp_len 0 if none. */
	uint8_t rsdp[ACPI_RSDP_V2_LEN];
	size_t rsdp_len;

	/*
	 * Physical range [info_start, info_end) of the loader's structure:
	 * the whole tag list for mb2, the fixed part the reader uses for mb1
	 * (whose memory map, module list and strings live elsewhere).
	 */
	uint64_t info_start;
	uint64_t info_end;

	char cmdline_buf[BOOT_CMDLINE_MAX];
	char loader_buf[BOOT_LOADER_NAME_MAX];
};

enum boot_info_error {
	BOOT_INFO_OK = 0,
	BOOT_INFO_ERR_MAGIC,	  /* EAX held neither loader magic */
	BOOT_INFO_ERR_MAP,	  /* the loader pointed at unreadable memory */
	BOOT_INFO_ERR_ALIGN,	  /* mb2 structure not 8-byte aligned */
	BOOT_INFO_ERR_TOTAL_SIZE, /* mb2 total_size < 16 or > 1 MiB */
	BOOT_INFO_ERR_TAG_SIZE,	  /* tag < 8 bytes, short for its type, or
				     running past total_size */
	BOOT_INFO_ERR_NO_END_TAG, /* tags ran out before the end tag */
	BOOT_INFO_ERR_STRING,	  /* cmdline or loader name not terminated
				     inside its tag */
	BOOT_INFO_ERR_MMAP,	  /* bad entry size or mmap length */
	BOOT_INFO_ERR_NO_MEMORY,  /* no memory map and no basic meminfo */
	BOOT_INFO_ERR_PACKED,	  /* the image's packed-modules descriptor
				     is malformed (arch/packed.h) */
	BOOT_INFO_ERR_COUNT
};

/*
 * Map `len` (> 0) bytes of physical memory at `paddr` for reading. Returns
 * NULL if any part of the range cannot be read. The pointer need not be
 * aligned and must stay valid until boot_info_parse() returns; several
 * mappings are live at once and the reader never writes through them.
 */
typedef const void *(*mb_map_fn)(uint64_t paddr, uint64_t len, void *ctx);

/*
 * Read the structure at `info_paddr` that a loader handed over with `magic`
 * into `*out`. Strings are copied and truncated to their buffers.
 *
 * Returns BOOT_INFO_OK, or the first problem found; on error `*out` is
 * reset to an empty description (empty strings, nothing else). `*out` must
 * not be copied by value: cmdline and loader_name point into it.
 */
enum boot_info_error __must_check boot_info_parse(uint32_t magic,
						  uint64_t info_paddr,
						  mb_map_fn map, void *ctx,
						  struct boot_info *out);

struct packed_modules;

/*
 * Present the modules packed into the core image (arch/packed.h) as boot
 * modules, if the loader gave none (no module, not even a dropped one);
 * core_end is the physical end of the core image, which the packed region
 * must lie above. Checks the descriptor's magic and version always, and
 * then everything it says: bounds, alignment, count, strings inside the
 * region. The packed command line replaces the loader's when the loader
 * gave no arguments (for multiboot1: nothing after the kernel's path).
 * boot_info_parse() calls this with the core's own descriptor.
 *
 * Returns BOOT_INFO_OK, BOOT_INFO_ERR_PACKED or BOOT_INFO_ERR_MAP; on error
 * no module is added and the command line is unchanged.
 */
enum boot_info_error __must_check
boot_info_add_packed(struct boot_info *bi, const struct packed_modules *pm,
		     uint64_t core_end, mb_map_fn map, void *ctx);

/* Never NULL; "unknown error" for values outside the enum. */
const char *boot_info_strerror(enum boot_info_error err);

/*
 * Search `len` bytes at `mem` (whose start must be 16-byte aligned in
 * physical memory, as the EBDA and the 0xE0000 BIOS area are) for an RSDP:
 * "RSD PTR " on a 16-byte boundary whose first 20 bytes sum to 0 and, for
 * revision >= 2, whose `length` bytes (>= 36, all inside `mem`) sum to 0.
 * Returns true and the offset of the first one found in `*offset`.
 */
bool boot_find_rsdp_in(const uint8_t *mem, size_t len, size_t *offset);

#endif /* __ASSEMBLER__ */
#endif
