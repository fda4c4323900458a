// SPDX-License-Identifier: GPL-2.0-only
/*
 * ACPI table reader (see arch/acpi.h for the contract).
 *
 * Every table is mapped in two steps: first its header, to learn and bound
 * its length, then the whole table, whose checksum is verified before any
 * field past the header is read. All offsets are checked against that
 * verified length, so a corrupt table can make the reader fail but never
 * read outside what the accessor mapped.
 */
#include <atoll/string.h>
#include <atoll/panic.h>
#include <atoll/printk.h>
#include <arch/acpi.h>

#define TRY(expr)                                                              \
	do {                                                                   \
		enum acpi_error try_err_ = (expr);                             \
		if (try_err_ != ACPI_OK)                                       \
			return try_err_;                                       \
	} while (0)

struct reader {
	acpi_map_fn map;
	void *ctx;
};

/* A validated RSDT or XSDT. */
struct root_table {
	const uint8_t *entries;
	uint32_t count;
	uint32_t entry_size; /* ACPI_RSDT_ENTRY_SIZE or ACPI_XSDT_ENTRY_SIZE */
};

/* The tables the root table is searched for, and where each was found. */
enum wanted_table { WANT_MADT, WANT_MCFG, WANT_DMAR, WANT_COUNT };

static const char *const wanted_sig[WANT_COUNT] = {
    [WANT_MADT] = ACPI_SIG_MADT,
    [WANT_MCFG] = ACPI_SIG_MCFG,
    [WANT_DMAR] = ACPI_SIG_DMAR,
};

static const char *const acpi_error_str[ACPI_ERR_COUNT] = {
    [ACPI_OK] = "success",
    [ACPI_ERR_RSDP_LEN] = "RSDP too short or bad length field",
    [ACPI_ERR_RSDP_SIGNATURE] = "RSDP signature is not 'RSD PTR '",
    [ACPI_ERR_RSDP_CHECKSUM] = "RSDP checksum mismatch",
    [ACPI_ERR_RSDP_EXT_CHECKSUM] = "RSDP extended checksum mismatch",
    [ACPI_ERR_NO_ROOT] = "RSDP gives no RSDT or XSDT address",
    [ACPI_ERR_MAP] = "table memory cannot be mapped",
    [ACPI_ERR_SIGNATURE] = "unexpected table signature",
    [ACPI_ERR_TABLE_LEN] = "bad table length",
    [ACPI_ERR_CHECKSUM] = "table checksum mismatch",
    [ACPI_ERR_NOT_PRESENT] = "table not present",
    [ACPI_ERR_MADT_ENTRY_LEN] = "MADT entry length too small",
    [ACPI_ERR_MADT_ENTRY_OVERRUN] = "MADT entry runs past the table end",
    [ACPI_ERR_MCFG_BUS_RANGE] = "MCFG entry has a bad bus range or base",
    [ACPI_ERR_IRQ_RANGE] = "not an ISA IRQ",
    [ACPI_ERR_DMAR_ENTRY] = "DMAR structure too short or runs past the end",
    [ACPI_ERR_DMAR_SCOPE] = "DMAR device scope malformed",
    [ACPI_ERR_DMAR_UNIT] = "DMAR unit has a bad register base",
};

const char *acpi_strerror(enum acpi_error err)
{
	if ((unsigned)err >= ACPI_ERR_COUNT || !acpi_error_str[err])
		return "unknown error";
	return acpi_error_str[err];
}

static uint8_t checksum(const void *p, size_t len)
{
	const uint8_t *b = p;
	uint8_t sum = 0;

	for (size_t i = 0; i < len; i++)
		sum += b[i];
	return sum;
}

/* Map [pa, pa + len), refusing ranges that wrap the address space. */
static const void *map_range(const struct reader *r, uint64_t pa, uint64_t len)
{
	if (len == 0 || pa > UINT64_MAX - len)
		return NULL;
	return r->map(pa, len, r->ctx);
}

/*
 * Map the table at `pa`, check that its signature is `sig`, bound its length
 * and verify its checksum. On success *table covers *len bytes.
 */
static enum acpi_error table_map(const struct reader *r, uint64_t pa,
				 const char *sig, const uint8_t **table,
				 uint32_t *len)
{
	const struct acpi_sdt_header *hdr;
	const uint8_t *t;
	uint32_t n;

	hdr = map_range(r, pa, sizeof(*hdr));
	if (!hdr)
		return ACPI_ERR_MAP;
	if (memcmp(hdr->signature, sig, ACPI_SIG_LEN) != 0)
		return ACPI_ERR_SIGNATURE;
	n = hdr->length;
	if (n < sizeof(*hdr) || n > ACPI_SDT_MAX_LEN)
		return ACPI_ERR_TABLE_LEN;
	t = map_range(r, pa, n);
	if (!t)
		return ACPI_ERR_MAP;
	/* Re-read through the full mapping: it is the one we checksum. */
	if (((const struct acpi_sdt_header *)t)->length != n)
		return ACPI_ERR_TABLE_LEN;
	if (checksum(t, n) != 0)
		return ACPI_ERR_CHECKSUM;
	*table = t;
	*len = n;
	return ACPI_OK;
}

/* Copy a firmware string for logging: fixed length, printable only. */
static void copy_id(char *dst, const char *src, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		char c = src[i];

		dst[i] = (c >= 0x20 && c < 0x7f) ? c : '?';
	}
	dst[len] = '\0';
}

/*
 * Validate the RSDP copy and return the root table addresses (0 = absent).
 * A revision >= 2 RSDP handed over as only its first 20 bytes (multiboot2's
 * "old RSDP" tag) is accepted and read as version 1.
 */
static enum acpi_error rsdp_read(const void *rsdp, size_t rsdp_len,
				 struct acpi_info *out, uint64_t *rsdt,
				 uint64_t *xsdt)
{
	const struct acpi_rsdp *p = rsdp;

	if (!rsdp || rsdp_len < ACPI_RSDP_V1_LEN)
		return ACPI_ERR_RSDP_LEN;
	if (memcmp(p->signature, ACPI_RSDP_SIGNATURE,
		   ACPI_RSDP_SIGNATURE_LEN) != 0)
		return ACPI_ERR_RSDP_SIGNATURE;
	if (checksum(p, ACPI_RSDP_V1_LEN) != 0)
		return ACPI_ERR_RSDP_CHECKSUM;
	copy_id(out->oem_id, p->oem_id, ACPI_OEM_ID_LEN);
	out->revision = p->revision;
	*rsdt = p->rsdt_addr;
	*xsdt = 0;
	if (p->revision < ACPI_RSDP_REV_XSDT || rsdp_len < ACPI_RSDP_V2_LEN)
		return ACPI_OK;
	if (p->length < ACPI_RSDP_V2_LEN || p->length > rsdp_len)
		return ACPI_ERR_RSDP_LEN;
	if (checksum(p, p->length) != 0)
		return ACPI_ERR_RSDP_EXT_CHECKSUM;
	*xsdt = p->xsdt_addr;
	return ACPI_OK;
}

static enum acpi_error root_map(const struct reader *r, uint64_t pa,
				const char *sig, uint32_t entry_size,
				struct root_table *root)
{
	const uint8_t *t;
	uint32_t len, body;

	TRY(table_map(r, pa, sig, &t, &len));
	body = len - sizeof(struct acpi_sdt_header);
	if (body % entry_size != 0)
		return ACPI_ERR_TABLE_LEN;
	root->entries = t + sizeof(struct acpi_sdt_header);
	root->count = body / entry_size;
	root->entry_size = entry_size;
	return ACPI_OK;
}

/* Prefer the XSDT; fall back to the RSDT if the XSDT is unusable. */
static enum acpi_error root_open(const struct reader *r, uint64_t rsdt,
				 uint64_t xsdt, struct acpi_info *out,
				 struct root_table *root)
{
	enum acpi_error err;

	if (xsdt) {
		err = root_map(r, xsdt, ACPI_SIG_XSDT, ACPI_XSDT_ENTRY_SIZE,
			       root);
		if (err == ACPI_OK) {
			out->xsdt = true;
			out->root_addr = pa_init(xsdt);
			return ACPI_OK;
		}
		out->xsdt_error = err;
		if (!rsdt)
			return err;
	}
	if (!rsdt)
		return ACPI_ERR_NO_ROOT;
	TRY(root_map(r, rsdt, ACPI_SIG_RSDT, ACPI_RSDT_ENTRY_SIZE, root));
	out->root_addr = pa_init(rsdt);
	return ACPI_OK;
}

static uint64_t root_entry(const struct root_table *root, uint32_t i)
{
	const uint8_t *e = root->entries + (size_t)i * root->entry_size;
	uint32_t a32;
	uint64_t a64;

	/* Entries need not be naturally aligned (XSDT ones never are). */
	if (root->entry_size == ACPI_RSDT_ENTRY_SIZE) {
		memcpy(&a32, e, sizeof(a32));
		return a32;
	}
	memcpy(&a64, e, sizeof(a64));
	return a64;
}

/* Record the first address of each wanted table; count unreadable entries. */
static void root_scan(const struct reader *r, const struct root_table *root,
		      struct acpi_info *out, uint64_t found[WANT_COUNT])
{
	for (uint32_t i = 0; i < root->count; i++) {
		uint64_t pa = root_entry(root, i);
		const struct acpi_sdt_header *hdr;

		hdr = pa ? map_range(r, pa, sizeof(*hdr)) : NULL;
		if (!hdr) {
			out->root_skipped++;
			continue;
		}
		for (int w = 0; w < WANT_COUNT; w++) {
			if (!found[w] && memcmp(hdr->signature, wanted_sig[w],
						ACPI_SIG_LEN) == 0)
				found[w] = pa;
		}
	}
}

/*
 * Reserve the next slot of a fixed array: true with *index set, or false
 * (and one more dropped) when the array is full.
 */
static bool slot_take(uint32_t *count, uint32_t *dropped, size_t cap,
		      uint32_t *index)
{
	if (*count >= cap) {
		(*dropped)++;
		return false;
	}
	*index = (*count)++;
	return true;
}

static void madt_add_cpu(struct acpi_madt_info *m, uint32_t apic_id,
			 uint32_t uid, uint32_t flags, bool x2apic)
{
	uint32_t i;

	/* A CPU that can never be started is not worth a slot. */
	if (!(flags & (ACPI_MADT_CPU_ENABLED | ACPI_MADT_CPU_ONLINE_CAPABLE))) {
		m->cpu_unusable++;
		return;
	}
	if (!slot_take(&m->cpu_count, &m->cpu_dropped, ARRAY_SIZE(m->cpus), &i))
		return;
	m->cpus[i] = (struct acpi_cpu){
	    .apic_id = apic_id,
	    .uid = uid,
	    .enabled = flags & ACPI_MADT_CPU_ENABLED,
	    .online_capable = !(flags & ACPI_MADT_CPU_ENABLED) &&
			      (flags & ACPI_MADT_CPU_ONLINE_CAPABLE),
	    .x2apic = x2apic,
	};
}

static void madt_lapic(const void *entry, struct acpi_madt_info *m)
{
	const struct acpi_madt_lapic *e = entry;

	madt_add_cpu(m, e->apic_id, e->uid, e->flags, false);
}

static void madt_x2apic(const void *entry, struct acpi_madt_info *m)
{
	const struct acpi_madt_x2apic *e = entry;

	madt_add_cpu(m, e->x2apic_id, e->uid, e->flags, true);
}

static void madt_ioapic(const void *entry, struct acpi_madt_info *m)
{
	const struct acpi_madt_ioapic *e = entry;
	uint32_t i;

	if (!slot_take(&m->ioapic_count, &m->ioapic_dropped,
		       ARRAY_SIZE(m->ioapics), &i))
		return;
	m->ioapics[i] = (struct acpi_ioapic){
	    .id = e->id,
	    .addr = pa_init(e->addr),
	    .gsi_base = e->gsi_base,
	};
}

static void madt_override(const void *entry, struct acpi_madt_info *m)
{
	const struct acpi_madt_override *e = entry;
	uint32_t i;

	if (!slot_take(&m->override_count, &m->override_dropped,
		       ARRAY_SIZE(m->overrides), &i))
		return;
	m->overrides[i] = (struct acpi_override){
	    .bus = e->bus,
	    .source_irq = e->source,
	    .gsi = e->gsi,
	    .flags = e->flags,
	};
}

static void madt_nmi_source(const void *entry, struct acpi_madt_info *m)
{
	const struct acpi_madt_nmi_source *e = entry;
	uint32_t i;

	if (!slot_take(&m->nmi_source_count, &m->nmi_source_dropped,
		       ARRAY_SIZE(m->nmi_sources), &i))
		return;
	m->nmi_sources[i] = (struct acpi_nmi_source){
	    .gsi = e->gsi,
	    .flags = e->flags,
	};
}

static void madt_add_lapic_nmi(struct acpi_madt_info *m, uint32_t uid,
			       uint16_t flags, uint8_t lint)
{
	uint32_t i;

	if (!slot_take(&m->lapic_nmi_count, &m->lapic_nmi_dropped,
		       ARRAY_SIZE(m->lapic_nmis), &i))
		return;
	m->lapic_nmis[i] = (struct acpi_lapic_nmi){
	    .uid = uid,
	    .flags = flags,
	    .lint = lint,
	};
}

static void madt_lapic_nmi(const void *entry, struct acpi_madt_info *m)
{
	const struct acpi_madt_lapic_nmi *e = entry;
	uint32_t uid = e->uid;

	/* Widen the 8-bit "all processors" value to the x2APIC one. */
	if (uid == ACPI_MADT_LAPIC_NMI_ALL_8)
		uid = ACPI_MADT_LAPIC_NMI_ALL;
	madt_add_lapic_nmi(m, uid, e->flags, e->lint);
}

static void madt_x2apic_nmi(const void *entry, struct acpi_madt_info *m)
{
	const struct acpi_madt_x2apic_nmi *e = entry;

	madt_add_lapic_nmi(m, e->uid, e->flags, e->lint);
}

static void madt_lapic_addr(const void *entry, struct acpi_madt_info *m)
{
	const struct acpi_madt_lapic_addr *e = entry;

	m->lapic_addr = pa_init(e->addr);
}

/* One row per MADT entry type we read; other types are skipped. */
static const struct madt_handler {
	uint8_t min_len;
	void (*parse)(const void *entry, struct acpi_madt_info *m);
} madt_handlers[] = {
    [ACPI_MADT_TYPE_LAPIC] = {sizeof(struct acpi_madt_lapic), madt_lapic},
    [ACPI_MADT_TYPE_IOAPIC] = {sizeof(struct acpi_madt_ioapic), madt_ioapic},
    [ACPI_MADT_TYPE_OVERRIDE] = {sizeof(struct acpi_madt_override),
				 madt_override},
    [ACPI_MADT_TYPE_NMI_SOURCE] = {sizeof(struct acpi_madt_nmi_source),
				   madt_nmi_source},
    [ACPI_MADT_TYPE_LAPIC_NMI] = {sizeof(struct acpi_madt_lapic_nmi),
				  madt_lapic_nmi},
    [ACPI_MADT_TYPE_LAPIC_ADDR] = {sizeof(struct acpi_madt_lapic_addr),
				   madt_lapic_addr},
    [ACPI_MADT_TYPE_X2APIC] = {sizeof(struct acpi_madt_x2apic), madt_x2apic},
    [ACPI_MADT_TYPE_X2APIC_NMI] = {sizeof(struct acpi_madt_x2apic_nmi),
				   madt_x2apic_nmi},
};

/*
 * Walk the entries of a checksummed MADT of `len` bytes. Each step advances
 * by at least 2 bytes and stays inside the table, so the walk ends.
 */
static enum acpi_error madt_walk(const uint8_t *t, uint32_t len,
				 struct acpi_madt_info *m)
{
	uint32_t off = sizeof(struct acpi_table_madt);

	while (off < len) {
		const struct acpi_madt_entry *e = (const void *)(t + off);
		const struct madt_handler *h = NULL;

		if (len - off < sizeof(*e))
			return ACPI_ERR_MADT_ENTRY_OVERRUN;
		if (e->length < sizeof(*e))
			return ACPI_ERR_MADT_ENTRY_LEN;
		if (e->length > len - off)
			return ACPI_ERR_MADT_ENTRY_OVERRUN;
		if (e->type < ARRAY_SIZE(madt_handlers))
			h = &madt_handlers[e->type];
		if (h && h->parse) {
			/* Longer entries are newer revisions: read our part. */
			if (e->length < h->min_len)
				return ACPI_ERR_MADT_ENTRY_LEN;
			h->parse(e, m);
		} else {
			m->unknown_count++;
		}
		off += e->length;
	}
	return ACPI_OK;
}

static enum acpi_error madt_parse(const struct reader *r, uint64_t pa,
				  struct acpi_madt_info *m)
{
	const struct acpi_table_madt *madt;
	const uint8_t *t;
	uint32_t len;

	TRY(table_map(r, pa, ACPI_SIG_MADT, &t, &len));
	if (len < sizeof(*madt))
		return ACPI_ERR_TABLE_LEN;
	madt = (const void *)t;
	/* Set before the walk so that a type 5 entry overrides it. */
	m->lapic_addr = pa_init(madt->lapic_addr);
	m->flags = madt->flags;
	m->legacy_pics = madt->flags & ACPI_MADT_PCAT_COMPAT;
	return madt_walk(t, len, m);
}

static enum acpi_error mcfg_check_alloc(const struct acpi_mcfg_alloc *a)
{
	uint64_t span = (uint64_t)(a->end_bus + 1) << ACPI_ECAM_BUS_SHIFT;

	if (a->end_bus < a->start_bus)
		return ACPI_ERR_MCFG_BUS_RANGE;
	if (a->base == 0 || a->base > UINT64_MAX - span)
		return ACPI_ERR_MCFG_BUS_RANGE;
	return ACPI_OK;
}

/* All entries are checked before any is kept: a bad MCFG yields none. */
static enum acpi_error mcfg_parse(const struct reader *r, uint64_t pa,
				  struct acpi_mcfg_info *mc)
{
	const struct acpi_mcfg_alloc *a;
	const uint8_t *t;
	uint32_t len, body, n, slot;

	TRY(table_map(r, pa, ACPI_SIG_MCFG, &t, &len));
	if (len < sizeof(struct acpi_table_mcfg))
		return ACPI_ERR_TABLE_LEN;
	body = len - sizeof(struct acpi_table_mcfg);
	if (body % sizeof(*a) != 0)
		return ACPI_ERR_TABLE_LEN;
	n = body / sizeof(*a);
	a = (const void *)(t + sizeof(struct acpi_table_mcfg));
	for (uint32_t i = 0; i < n; i++)
		TRY(mcfg_check_alloc(&a[i]));
	for (uint32_t i = 0; i < n; i++) {
		if (!slot_take(&mc->segment_count, &mc->segment_dropped,
			       ARRAY_SIZE(mc->segments), &slot))
			continue;
		mc->segments[slot] = (struct acpi_mcfg_segment){
		    .base = pa_init(a[i].base),
		    .segment = a[i].segment,
		    .start_bus = a[i].start_bus,
		    .end_bus = a[i].end_bus,
		};
	}
	return ACPI_OK;
}

/*
 * One device scope at t[off], inside [off, end). Keeps it in u if it fits
 * (a path longer than ACPI_DMAR_MAX_PATH is dropped, not an error).
 * Returns its length through *step (>= the scope header).
 */
static enum acpi_error dmar_scope(const uint8_t *t, uint32_t off, uint32_t end,
				  struct acpi_dmar_unit *u, uint32_t *step)
{
	const struct acpi_dmar_scope_hdr *h = (const void *)(t + off);
	struct acpi_dmar_scope sc;
	uint32_t hops, i;

	if (end - off < sizeof(*h) || h->length < sizeof(*h) ||
	    h->length > end - off)
		return ACPI_ERR_DMAR_SCOPE;
	hops = (h->length - sizeof(*h)) / 2;
	if ((h->length - sizeof(*h)) % 2 != 0)
		return ACPI_ERR_DMAR_SCOPE;
	*step = h->length;
	for (i = 0; i < hops; i++) {
		uint8_t dev = t[off + sizeof(*h) + 2 * i];
		uint8_t fn = t[off + sizeof(*h) + 2 * i + 1];

		if (dev >= ACPI_PCI_DEVICES || fn >= ACPI_PCI_FUNCTIONS)
			return ACPI_ERR_DMAR_SCOPE;
		if (i < ACPI_DMAR_MAX_PATH)
			sc.path[i] = (uint8_t)(dev << 3 | fn);
	}
	/* PCI scopes need a path; IO APIC and HPET ones name a device too. */
	if (hops == 0 || hops > ACPI_DMAR_MAX_PATH) {
		u->scope_dropped++;
		return ACPI_OK;
	}
	sc.type = h->type;
	sc.enum_id = h->enum_id;
	sc.start_bus = h->start_bus;
	sc.path_len = (uint8_t)hops;
	if (slot_take(&u->scope_count, &u->scope_dropped, ARRAY_SIZE(u->scopes),
		      &i))
		u->scopes[i] = sc;
	return ACPI_OK;
}

/* The device scopes filling [off, end) of a DRHD or RMRR. */
static enum acpi_error dmar_scopes(const uint8_t *t, uint32_t off, uint32_t end,
				   struct acpi_dmar_unit *u)
{
	while (off < end) {
		uint32_t step;

		TRY(dmar_scope(t, off, end, u, &step));
		off += step;
	}
	return ACPI_OK;
}

static enum acpi_error dmar_drhd(const uint8_t *t, uint32_t off, uint32_t end,
				 struct acpi_dmar_info *d)
{
	const struct acpi_dmar_drhd *e = (const void *)(t + off);
	struct acpi_dmar_unit u = {0};
	uint32_t i;

	if (end - off < sizeof(*e))
		return ACPI_ERR_DMAR_ENTRY;
	if (e->base == 0 || !IS_ALIGNED(e->base, 4096))
		return ACPI_ERR_DMAR_UNIT;
	u.base = pa_init(e->base);
	u.segment = e->segment;
	u.include_all = e->flags & ACPI_DMAR_DRHD_INCLUDE_PCI_ALL;
	u.size = e->size;
	TRY(dmar_scopes(t, off + sizeof(*e), end, &u));
	if (slot_take(&d->unit_count, &d->unit_dropped, ARRAY_SIZE(d->units),
		      &i))
		d->units[i] = u;
	return ACPI_OK;
}

/* RMRRs are checked like the rest, then only counted. */
static enum acpi_error dmar_rmrr(const uint8_t *t, uint32_t off, uint32_t end,
				 struct acpi_dmar_info *d)
{
	struct acpi_dmar_unit scratch = {0};

	if (end - off < sizeof(struct acpi_dmar_rmrr))
		return ACPI_ERR_DMAR_ENTRY;
	TRY(dmar_scopes(t, off + sizeof(struct acpi_dmar_rmrr), end, &scratch));
	d->rmrr_count++;
	return ACPI_OK;
}

static enum acpi_error dmar_walk(const uint8_t *t, uint32_t len,
				 struct acpi_dmar_info *d)
{
	uint32_t off = sizeof(struct acpi_table_dmar);

	while (off < len) {
		const struct acpi_dmar_entry *e = (const void *)(t + off);

		if (len - off < sizeof(*e) || e->length < sizeof(*e) ||
		    e->length > len - off)
			return ACPI_ERR_DMAR_ENTRY;
		if (e->type == ACPI_DMAR_TYPE_DRHD)
			TRY(dmar_drhd(t, off, off + e->length, d));
		else if (e->type == ACPI_DMAR_TYPE_RMRR)
			TRY(dmar_rmrr(t, off, off + e->length, d));
		else
			d->other_count++;
		off += e->length;
	}
	return ACPI_OK;
}

enum acpi_error acpi_dmar_parse(const void *table, uint32_t len,
				struct acpi_dmar_info *d)
{
	const struct acpi_table_dmar *h = table;
	enum acpi_error err;

	d->unit_count = d->unit_dropped = 0;
	d->rmrr_count = d->other_count = 0;
	if (len < sizeof(*h))
		return ACPI_ERR_TABLE_LEN;
	d->host_addr_width = (uint8_t)(h->host_addr_width + 1);
	d->flags = h->flags;
	err = dmar_walk(table, len, d);
	if (err != ACPI_OK)
		d->unit_count = 0;
	return err;
}

static enum acpi_error dmar_read(const struct reader *r, uint64_t pa,
				 struct acpi_dmar_info *d)
{
	const uint8_t *t;
	uint32_t len;

	TRY(table_map(r, pa, ACPI_SIG_DMAR, &t, &len));
	d->addr = pa_init(pa);
	d->length = len;
	TRY(acpi_dmar_parse(t, len, d));
	d->present = true;
	return ACPI_OK;
}

enum acpi_error acpi_parse(const void *rsdp, size_t rsdp_len, acpi_map_fn map,
			   void *ctx, struct acpi_info *out)
{
	const struct reader r = {.map = map, .ctx = ctx};
	uint64_t found[WANT_COUNT] = {0};
	struct root_table root;
	uint64_t rsdt, xsdt;

	ASSERT(map && out);
	memset(out, 0, sizeof(*out));
	out->madt.status = ACPI_ERR_NOT_PRESENT;
	out->mcfg.status = ACPI_ERR_NOT_PRESENT;
	out->dmar.status = ACPI_ERR_NOT_PRESENT;
	TRY(rsdp_read(rsdp, rsdp_len, out, &rsdt, &xsdt));
	TRY(root_open(&r, rsdt, xsdt, out, &root));
	root_scan(&r, &root, out, found);
	if (found[WANT_MADT])
		out->madt.status = madt_parse(&r, found[WANT_MADT], &out->madt);
	if (found[WANT_MCFG])
		out->mcfg.status = mcfg_parse(&r, found[WANT_MCFG], &out->mcfg);
	if (found[WANT_DMAR])
		out->dmar.status = dmar_read(&r, found[WANT_DMAR], &out->dmar);
	return out->madt.status;
}

enum acpi_error acpi_irq_to_gsi(const struct acpi_info *info, unsigned isa_irq,
				uint32_t *gsi, uint16_t *flags)
{
	const struct acpi_madt_info *m = &info->madt;

	if (isa_irq >= ACPI_ISA_IRQ_COUNT)
		return ACPI_ERR_IRQ_RANGE;
	for (uint32_t i = 0; i < m->override_count; i++) {
		const struct acpi_override *o = &m->overrides[i];

		if (o->bus == ACPI_BUS_ISA && o->source_irq == isa_irq) {
			*gsi = o->gsi;
			*flags = o->flags;
			return ACPI_OK;
		}
	}
	*gsi = isa_irq;
	*flags = 0;
	return ACPI_OK;
}

static void acpi_log_madt(const struct acpi_madt_info *m)
{
	if (m->status != ACPI_OK)
		pr_err("ACPI: MADT: %s\n", acpi_strerror(m->status));
	pr_info("ACPI: %u CPUs, %u IO APICs, %u overrides, LAPIC 0x%llx%s\n",
		m->cpu_count, m->ioapic_count, m->override_count,
		(unsigned long long)pa_addr(m->lapic_addr),
		m->legacy_pics ? ", 8259 PICs" : "");
	if (m->cpu_dropped || m->ioapic_dropped || m->override_dropped ||
	    m->nmi_source_dropped || m->lapic_nmi_dropped)
		pr_warn("ACPI: MADT entries over the limits dropped: "
			"%u CPUs, %u IO APICs, %u overrides, %u NMIs\n",
			m->cpu_dropped, m->ioapic_dropped, m->override_dropped,
			m->nmi_source_dropped + m->lapic_nmi_dropped);
}

static void acpi_log_optional(const char *sig, enum acpi_error status)
{
	if (status != ACPI_OK && status != ACPI_ERR_NOT_PRESENT)
		pr_warn("ACPI: %s ignored: %s\n", sig, acpi_strerror(status));
}

void acpi_log(const struct acpi_info *info)
{
	/* No root table: acpi_parse() failed early and returned why. */
	if (pa_addr(info->root_addr) == 0) {
		pr_warn("ACPI: no tables read\n");
		return;
	}
	pr_info("ACPI: revision %u, OEM '%s', %s at 0x%llx\n", info->revision,
		info->oem_id, info->xsdt ? ACPI_SIG_XSDT : ACPI_SIG_RSDT,
		(unsigned long long)pa_addr(info->root_addr));
	if (info->xsdt_error != ACPI_OK)
		pr_warn("ACPI: XSDT unusable (%s), using the RSDT\n",
			acpi_strerror(info->xsdt_error));
	if (info->root_skipped)
		pr_warn("ACPI: %u root table entries unreadable\n",
			info->root_skipped);
	acpi_log_madt(&info->madt);
	acpi_log_optional(ACPI_SIG_MCFG, info->mcfg.status);
	acpi_log_optional(ACPI_SIG_DMAR, info->dmar.status);
	if (info->mcfg.segment_dropped)
		pr_warn("ACPI: %u MCFG segments over the limit dropped\n",
			info->mcfg.segment_dropped);
	if (info->dmar.unit_dropped)
		pr_warn("ACPI: %u DMAR units over the limit dropped\n",
			info->dmar.unit_dropped);
}
