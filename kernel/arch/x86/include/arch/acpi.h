/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * ACPI table reader: from the RSDP copy that the boot loader hands over, read
 * the RSDT or XSDT, then the MADT (CPUs, IO APICs, interrupt overrides, NMI
 * wiring), the MCFG (PCI ECAM windows) and the DMAR (VT-d units and their
 * device scopes).
 *
 * Firmware tables are outside input: every length, checksum and count is
 * checked and a problem yields an enum acpi_error, never a panic or a read
 * past a table. Physical memory is reached only through a caller-supplied
 * acpi_map_fn, so the reader runs unchanged in host unit tests and fuzzers.
 *
 * Layouts follow the ACPI specification 6.5, sections 5.2.5 (RSDP), 5.2.6
 * (SDT header), 5.2.7/5.2.8 (RSDT/XSDT), 5.2.12 (MADT), and the PCI Firmware
 * specification 3.3 section 4.1.2 (MCFG), the Intel VT-d specification 4.1
 * chapter 8 (DMAR).
 */
#ifndef ARCH_ACPI_H
#define ARCH_ACPI_H

#include <atoll/types.h>
#include <atoll/compiler.h>
#include <atoll/addr.h>

/* ---- Signatures and sizes ---- */

#define ACPI_RSDP_SIGNATURE	"RSD PTR "
#define ACPI_RSDP_SIGNATURE_LEN 8
#define ACPI_SIG_LEN		4
#define ACPI_SIG_RSDT		"RSDT"
#define ACPI_SIG_XSDT		"XSDT"
#define ACPI_SIG_MADT		"APIC"
#define ACPI_SIG_MCFG		"MCFG"
#define ACPI_SIG_DMAR		"DMAR"
#define ACPI_OEM_ID_LEN		6
#define ACPI_OEM_TABLE_ID_LEN	8

/* The first RSDP revision whose extended fields (length, XSDT) exist. */
#define ACPI_RSDP_REV_XSDT 2

/*
 * No real table comes near this; the bound keeps a corrupt length from
 * making us map and checksum gigabytes.
 */
#define ACPI_SDT_MAX_LEN (1U << 20)

/* ---- MADT ---- */

#define ACPI_MADT_TYPE_LAPIC	  0
#define ACPI_MADT_TYPE_IOAPIC	  1
#define ACPI_MADT_TYPE_OVERRIDE	  2
#define ACPI_MADT_TYPE_NMI_SOURCE 3
#define ACPI_MADT_TYPE_LAPIC_NMI  4
#define ACPI_MADT_TYPE_LAPIC_ADDR 5
#define ACPI_MADT_TYPE_X2APIC	  9
#define ACPI_MADT_TYPE_X2APIC_NMI 10

/* MADT header flags: the PC-AT dual 8259 PICs are present (and must be
 * masked before the IO APICs are used). */
#define ACPI_MADT_PCAT_COMPAT (1U << 0)

/* Local APIC / x2APIC entry flags. */
#define ACPI_MADT_CPU_ENABLED	     (1U << 0)
#define ACPI_MADT_CPU_ONLINE_CAPABLE (1U << 1)

/* Processor UID in a local APIC NMI entry that means "every processor". */
#define ACPI_MADT_LAPIC_NMI_ALL_8 0xffU
#define ACPI_MADT_LAPIC_NMI_ALL	  0xffffffffU

/*
 * MPS INTI flags of overrides and NMI entries: polarity in bits 0-1, trigger
 * mode in bits 2-3. "Conforms" means the bus default (ISA: active high,
 * edge triggered).
 */
#define ACPI_INTI_POLARITY_MASK	    0x3U
#define ACPI_INTI_POLARITY_CONFORMS 0x0U
#define ACPI_INTI_POLARITY_HIGH	    0x1U
#define ACPI_INTI_POLARITY_LOW	    0x3U
#define ACPI_INTI_TRIGGER_MASK	    0xcU
#define ACPI_INTI_TRIGGER_CONFORMS  0x0U
#define ACPI_INTI_TRIGGER_EDGE	    0x4U
#define ACPI_INTI_TRIGGER_LEVEL	    0xcU

/* The bus number of an interrupt source override: always ISA. */
#define ACPI_BUS_ISA	   0
#define ACPI_ISA_IRQ_COUNT 16

/* ---- MCFG ---- */

/* Each bus has 32 devices x 8 functions x 4 KiB of ECAM space. */
#define ACPI_ECAM_BUS_SHIFT 20

/* ---- DMAR (Intel VT-d specification 4.1, chapter 8) ---- */

/* Remapping structure types; the others (ATSR, RHSA, ANDD, SATC) are
 * counted and skipped. */
#define ACPI_DMAR_TYPE_DRHD 0
#define ACPI_DMAR_TYPE_RMRR 1

/* DMAR header flags. */
#define ACPI_DMAR_INTR_REMAP (1U << 0)

/* DRHD flags: the unit covers every PCI device of its segment not claimed
 * by another unit's scope (at most one such unit per segment, listed last). */
#define ACPI_DMAR_DRHD_INCLUDE_PCI_ALL (1U << 0)

/* Device scope types. */
#define ACPI_DMAR_SCOPE_ENDPOINT  1 /* a PCI endpoint */
#define ACPI_DMAR_SCOPE_BRIDGE	  2 /* a bridge and everything below it */
#define ACPI_DMAR_SCOPE_IOAPIC	  3
#define ACPI_DMAR_SCOPE_HPET	  4
#define ACPI_DMAR_SCOPE_NAMESPACE 5

/* PCI devfn: device in bits 7:3, function in bits 2:0. */
#define ACPI_PCI_DEVICES   32
#define ACPI_PCI_FUNCTIONS 8

/* ---- Raw table layouts (little-endian, as firmware lays them out) ---- */

struct acpi_rsdp {
	char signature[ACPI_RSDP_SIGNATURE_LEN];
	uint8_t checksum; /* over the first ACPI_RSDP_V1_LEN bytes */
	char oem_id[ACPI_OEM_ID_LEN];
	uint8_t revision;
	uint32_t rsdt_addr;
	/* Present when revision >= ACPI_RSDP_REV_XSDT. */
	uint32_t length;
	uint64_t xsdt_addr;
	uint8_t ext_checksum; /* over `length` bytes */
	uint8_t reserved[3];
} __packed;

#define ACPI_RSDP_V1_LEN 20
#define ACPI_RSDP_V2_LEN 36
_Static_assert(__builtin_offsetof(struct acpi_rsdp, length) == ACPI_RSDP_V1_LEN,
	       "RSDP v1 part");
_Static_assert(sizeof(struct acpi_rsdp) == ACPI_RSDP_V2_LEN, "RSDP v2");

struct acpi_sdt_header {
	char signature[ACPI_SIG_LEN];
	uint32_t length; /* whole table, header included */
	uint8_t revision;
	uint8_t checksum; /* all `length` bytes sum to 0 */
	char oem_id[ACPI_OEM_ID_LEN];
	char oem_table_id[ACPI_OEM_TABLE_ID_LEN];
	uint32_t oem_revision;
	uint32_t creator_id;
	uint32_t creator_revision;
} __packed;
_Static_assert(sizeof(struct acpi_sdt_header) == 36, "SDT header");

/* The RSDT is followed by uint32_t entries, the XSDT by uint64_t ones. */
#define ACPI_RSDT_ENTRY_SIZE 4
#define ACPI_XSDT_ENTRY_SIZE 8

struct acpi_table_madt {
	struct acpi_sdt_header hdr;
	uint32_t lapic_addr;
	uint32_t flags; /* ACPI_MADT_PCAT_COMPAT */
	/* Variable-length entries follow, each starting with acpi_madt_entry.
	 */
} __packed;
_Static_assert(sizeof(struct acpi_table_madt) == 44, "MADT");

struct acpi_madt_entry {
	uint8_t type;
	uint8_t length; /* whole entry; 0 or 1 is malformed */
} __packed;

struct acpi_madt_lapic {
	struct acpi_madt_entry h;
	uint8_t uid;
	uint8_t apic_id;
	uint32_t flags;
} __packed;
_Static_assert(sizeof(struct acpi_madt_lapic) == 8, "MADT type 0");

struct acpi_madt_ioapic {
	struct acpi_madt_entry h;
	uint8_t id;
	uint8_t reserved;
	uint32_t addr;
	uint32_t gsi_base;
} __packed;
_Static_assert(sizeof(struct acpi_madt_ioapic) == 12, "MADT type 1");

struct acpi_madt_override {
	struct acpi_madt_entry h;
	uint8_t bus;
	uint8_t source;
	uint32_t gsi;
	uint16_t flags;
} __packed;
_Static_assert(sizeof(struct acpi_madt_override) == 10, "MADT type 2");

struct acpi_madt_nmi_source {
	struct acpi_madt_entry h;
	uint16_t flags;
	uint32_t gsi;
} __packed;
_Static_assert(sizeof(struct acpi_madt_nmi_source) == 8, "MADT type 3");

struct acpi_madt_lapic_nmi {
	struct acpi_madt_entry h;
	uint8_t uid;
	uint16_t flags;
	uint8_t lint;
} __packed;
_Static_assert(sizeof(struct acpi_madt_lapic_nmi) == 6, "MADT type 4");

struct acpi_madt_lapic_addr {
	struct acpi_madt_entry h;
	uint16_t reserved;
	uint64_t addr;
} __packed;
_Static_assert(sizeof(struct acpi_madt_lapic_addr) == 12, "MADT type 5");

struct acpi_madt_x2apic {
	struct acpi_madt_entry h;
	uint16_t reserved;
	uint32_t x2apic_id;
	uint32_t flags;
	uint32_t uid;
} __packed;
_Static_assert(sizeof(struct acpi_madt_x2apic) == 16, "MADT type 9");

struct acpi_madt_x2apic_nmi {
	struct acpi_madt_entry h;
	uint16_t flags;
	uint32_t uid;
	uint8_t lint;
	uint8_t reserved[3];
} __packed;
_Static_assert(sizeof(struct acpi_madt_x2apic_nmi) == 12, "MADT type 10");

struct acpi_table_mcfg {
	struct acpi_sdt_header hdr;
	uint8_t reserved[8];
	/* struct acpi_mcfg_alloc entries fill the rest of the table. */
} __packed;
_Static_assert(sizeof(struct acpi_table_mcfg) == 44, "MCFG");

struct acpi_mcfg_alloc {
	uint64_t base; /* ECAM address of bus 0, even if start_bus > 0 */
	uint16_t segment;
	uint8_t start_bus;
	uint8_t end_bus;
	uint32_t reserved;
} __packed;
_Static_assert(sizeof(struct acpi_mcfg_alloc) == 16, "MCFG allocation");

struct acpi_table_dmar {
	struct acpi_sdt_header hdr;
	uint8_t host_addr_width; /* DMA address width - 1 */
	uint8_t flags;		 /* ACPI_DMAR_INTR_REMAP, ... */
	uint8_t reserved[10];
	/* Remapping structures follow, each starting with acpi_dmar_entry. */
} __packed;
_Static_assert(sizeof(struct acpi_table_dmar) == 48, "DMAR");

struct acpi_dmar_entry {
	uint16_t type;
	uint16_t length; /* whole structure, device scopes included */
} __packed;

struct acpi_dmar_drhd {
	struct acpi_dmar_entry h;
	uint8_t flags; /* ACPI_DMAR_DRHD_INCLUDE_PCI_ALL */
	uint8_t size;  /* register set: 2^size pages (0 in older tables) */
	uint16_t segment;
	uint64_t base; /* register base, 4 KiB aligned */
		       /* Device scopes follow. */
} __packed;
_Static_assert(sizeof(struct acpi_dmar_drhd) == 16, "DRHD");

struct acpi_dmar_rmrr {
	struct acpi_dmar_entry h;
	uint16_t reserved;
	uint16_t segment;
	uint64_t base;
	uint64_t limit;
	/* Device scopes follow. */
} __packed;
_Static_assert(sizeof(struct acpi_dmar_rmrr) == 24, "RMRR");

struct acpi_dmar_scope_hdr {
	uint8_t type;	/* ACPI_DMAR_SCOPE_* */
	uint8_t length; /* 6 + 2 per path hop */
	uint16_t reserved;
	uint8_t enum_id; /* IO APIC / HPET id */
	uint8_t start_bus;
	/* Path: (device, function) byte pairs from start_bus down. */
} __packed;
_Static_assert(sizeof(struct acpi_dmar_scope_hdr) == 6, "DMAR scope");

/* ---- What the reader returns ---- */

enum acpi_error {
	ACPI_OK = 0,
	ACPI_ERR_RSDP_LEN,	    /* RSDP copy short, or bad length field */
	ACPI_ERR_RSDP_SIGNATURE,    /* not "RSD PTR " */
	ACPI_ERR_RSDP_CHECKSUM,	    /* first 20 bytes do not sum to 0 */
	ACPI_ERR_RSDP_EXT_CHECKSUM, /* extended (36-byte) checksum bad */
	ACPI_ERR_NO_ROOT,	    /* neither RSDT nor XSDT address given */
	ACPI_ERR_MAP,		    /* the accessor could not map a range */
	ACPI_ERR_SIGNATURE,	    /* table has an unexpected signature */
	ACPI_ERR_TABLE_LEN,	    /* length < header, > max, or ragged */
	ACPI_ERR_CHECKSUM,	    /* table bytes do not sum to 0 */
	ACPI_ERR_NOT_PRESENT,	    /* the root table lists no such table */
	ACPI_ERR_MADT_ENTRY_LEN,    /* entry length 0/1 or short for its type */
	ACPI_ERR_MADT_ENTRY_OVERRUN, /* entry runs past the end of the MADT */
	ACPI_ERR_MCFG_BUS_RANGE,     /* end < start bus, base 0, or wraps */
	ACPI_ERR_IRQ_RANGE,	     /* not an ISA IRQ (0-15) */
	ACPI_ERR_DMAR_ENTRY,	     /* DMAR structure short or overruns */
	ACPI_ERR_DMAR_SCOPE,	     /* device scope malformed or overruns */
	ACPI_ERR_DMAR_UNIT,	     /* DRHD register base 0 or unaligned */
	ACPI_ERR_COUNT
};

/* Never NULL; "unknown error" for values outside the enum. */
const char *acpi_strerror(enum acpi_error err);

#define ACPI_MAX_CPUS	     64
#define ACPI_MAX_IOAPICS     8
#define ACPI_MAX_OVERRIDES   16
#define ACPI_MAX_NMI_SOURCES 4
#define ACPI_MAX_LAPIC_NMIS  16
#define ACPI_MAX_MCFG	     4
#define ACPI_MAX_DRHD	     4
#define ACPI_DMAR_MAX_SCOPES 8 /* per DRHD */
#define ACPI_DMAR_MAX_PATH   4 /* hops below the start bus */

struct acpi_cpu {
	uint32_t apic_id;    /* x2APIC id when x2apic, else the 8-bit APIC id */
	uint32_t uid;	     /* ACPI processor UID */
	bool enabled;	     /* usable now */
	bool online_capable; /* disabled, but may be brought online later */
	bool x2apic;	     /* came from a type 9 entry */
};

struct acpi_ioapic {
	uint8_t id;
	paddr_t addr;
	uint32_t gsi_base;
};

struct acpi_override {
	uint8_t bus; /* ACPI_BUS_ISA */
	uint8_t source_irq;
	uint32_t gsi;
	uint16_t flags; /* ACPI_INTI_* */
};

struct acpi_nmi_source {
	uint32_t gsi;
	uint16_t flags; /* ACPI_INTI_* */
};

struct acpi_lapic_nmi {
	uint32_t uid;	/* ACPI_MADT_LAPIC_NMI_ALL for every processor */
	uint16_t flags; /* ACPI_INTI_* */
	uint8_t lint;	/* LINT0 or LINT1 */
};

/*
 * Each array keeps the first entries up to its limit; `*_dropped` counts the
 * ones that did not fit (reported, not an error).
 */
struct acpi_madt_info {
	enum acpi_error status; /* ACPI_OK, or why the fields are partial */
	paddr_t lapic_addr;	/* type 5 override applied */
	uint32_t flags;		/* raw MADT flags */
	bool legacy_pics;	/* ACPI_MADT_PCAT_COMPAT */
	struct acpi_cpu cpus[ACPI_MAX_CPUS];
	uint32_t cpu_count;
	uint32_t cpu_dropped;
	uint32_t cpu_unusable; /* neither enabled nor online-capable: skipped */
	struct acpi_ioapic ioapics[ACPI_MAX_IOAPICS];
	uint32_t ioapic_count;
	uint32_t ioapic_dropped;
	struct acpi_override overrides[ACPI_MAX_OVERRIDES];
	uint32_t override_count;
	uint32_t override_dropped;
	struct acpi_nmi_source nmi_sources[ACPI_MAX_NMI_SOURCES];
	uint32_t nmi_source_count;
	uint32_t nmi_source_dropped;
	struct acpi_lapic_nmi lapic_nmis[ACPI_MAX_LAPIC_NMIS];
	uint32_t lapic_nmi_count;
	uint32_t lapic_nmi_dropped;
	uint32_t unknown_count; /* entries of types we do not read */
};

struct acpi_mcfg_segment {
	paddr_t base; /* ECAM address of bus 0 of this segment */
	uint16_t segment;
	uint8_t start_bus;
	uint8_t end_bus;
};

struct acpi_mcfg_info {
	enum acpi_error status; /* ACPI_ERR_NOT_PRESENT is normal here */
	struct acpi_mcfg_segment segments[ACPI_MAX_MCFG];
	uint32_t segment_count;
	uint32_t segment_dropped;
};

/* A device scope as the firmware gives it: a path from start_bus. */
struct acpi_dmar_scope {
	uint8_t type; /* ACPI_DMAR_SCOPE_* */
	uint8_t enum_id;
	uint8_t start_bus;
	uint8_t path_len;		  /* 1 .. ACPI_DMAR_MAX_PATH hops */
	uint8_t path[ACPI_DMAR_MAX_PATH]; /* devfn of each hop */
};

/* One DMA remapping hardware unit (DRHD). */
struct acpi_dmar_unit {
	paddr_t base; /* register set */
	uint16_t segment;
	bool include_all; /* ACPI_DMAR_DRHD_INCLUDE_PCI_ALL */
	uint8_t size;	  /* register set: 2^size pages */
	struct acpi_dmar_scope scopes[ACPI_DMAR_MAX_SCOPES];
	uint32_t scope_count;
	uint32_t scope_dropped; /* over the limit or paths too long */
};

/*
 * The DMAR: its DRHD units with their device scopes. A malformed table
 * yields status != ACPI_OK, present false and no units: the core then
 * programs no IOMMU rather than one it misunderstood.
 */
struct acpi_dmar_info {
	enum acpi_error status; /* ACPI_ERR_NOT_PRESENT is normal here */
	bool present;		/* status == ACPI_OK */
	paddr_t addr;
	uint32_t length;
	uint8_t host_addr_width; /* bits, from the header (+1 applied) */
	uint8_t flags;		 /* ACPI_DMAR_INTR_REMAP, ... */
	struct acpi_dmar_unit units[ACPI_MAX_DRHD];
	uint32_t unit_count;
	uint32_t unit_dropped;
	uint32_t rmrr_count;  /* reserved regions: not honoured (blocked) */
	uint32_t other_count; /* ATSR, RHSA, ANDD, SATC, unknown types */
};

struct acpi_info {
	char oem_id[ACPI_OEM_ID_LEN + 1]; /* from the RSDP, NUL-terminated */
	uint8_t revision;		  /* RSDP revision: 0 = ACPI 1.0 */
	bool xsdt;			  /* tables were found via the XSDT */
	enum acpi_error xsdt_error;	  /* why an offered XSDT was not used */
	paddr_t root_addr;
	uint32_t root_skipped; /* root entries that were 0 or unmappable */
	struct acpi_madt_info madt;
	struct acpi_mcfg_info mcfg;
	struct acpi_dmar_info dmar;
};

/*
 * Map `len` bytes of physical memory at `paddr` for reading. Returns NULL if
 * any part of the range cannot be read. A returned pointer must stay valid
 * until acpi_parse() returns; the reader never writes through it.
 */
typedef const void *(*acpi_map_fn)(uint64_t paddr, uint64_t len, void *ctx);

/*
 * Read the ACPI tables reachable from `rsdp` (a copy of the RSDP: 20 bytes
 * for revision 0, 36 for revision >= 2) into `*out`, which is cleared first.
 * Only 20 bytes of a revision >= 2 RSDP (multiboot2's "old RSDP" tag) are
 * accepted too and read through the RSDT. The XSDT is preferred when offered;
 * if it is unusable the RSDT is used and out->xsdt_error says why.
 *
 * Returns ACPI_OK when the RSDP, the root table and the MADT are sound. An
 * RSDP or root-table error is returned as is; a missing or broken MADT
 * returns out->madt.status. The MCFG and DMAR are optional: their problems
 * are recorded in out->mcfg.status / out->dmar.status and never fail the
 * call. On any result `*out` holds what could be read; the caller logs.
 */
enum acpi_error __must_check acpi_parse(const void *rsdp, size_t rsdp_len,
					acpi_map_fn map, void *ctx,
					struct acpi_info *out);

/*
 * Read the remapping structures of a DMAR table: `table` holds all `len`
 * bytes, whose checksum the caller has verified. Fills d's header fields,
 * units and counts (d's location fields are left alone); on an error d has
 * no units. Every structure and scope is bounded by its own length and by
 * the table's; units and scopes over the limits are counted as dropped.
 */
enum acpi_error __must_check acpi_dmar_parse(const void *table, uint32_t len,
					     struct acpi_dmar_info *d);

/*
 * Translate ISA IRQ `isa_irq` (0-15) to a global system interrupt, applying
 * the MADT's interrupt source overrides; identity with flags 0 (ISA default:
 * active high, edge) when none applies. `flags` is ACPI_INTI_*, see
 * acpi_inti_active_low() / acpi_inti_level(). Returns ACPI_ERR_IRQ_RANGE for
 * an IRQ outside 0-15 and leaves the outputs untouched.
 */
enum acpi_error __must_check acpi_irq_to_gsi(const struct acpi_info *info,
					     unsigned isa_irq, uint32_t *gsi,
					     uint16_t *flags);

/* Resolve "conforms to bus" INTI flags for an ISA source. */
static inline bool acpi_inti_active_low(uint16_t flags)
{
	return (flags & ACPI_INTI_POLARITY_MASK) == ACPI_INTI_POLARITY_LOW;
}

static inline bool acpi_inti_level(uint16_t flags)
{
	return (flags & ACPI_INTI_TRIGGER_MASK) == ACPI_INTI_TRIGGER_LEVEL;
}

/* Log a one-line summary and any MCFG/DMAR/MADT problem. */
void acpi_log(const struct acpi_info *info);

#endif
