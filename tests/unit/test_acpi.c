// SPDX-License-Identifier: GPL-2.0-only
/*
 * The ACPI reader against synthetic firmware tables built in a host buffer
 * standing for physical memory. The accessor hands out an exact-size heap
 * copy of every range it maps, so ASan flags any read past what the reader
 * asked for.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <arch/acpi.h>
#include "fake_core.h"

#define IMG_BASE 0xe0000ULL
#define IMG_SIZE (64 * 1024)
#define MAX_MAPS 4096

struct image {
	uint8_t mem[IMG_SIZE];
	size_t used;
	size_t limit; /* the accessor maps nothing past IMG_BASE + limit */
	void *maps[MAX_MAPS];
	size_t map_count;
};

static struct image img;

static int setup(void **state)
{
	memset(&img, 0, sizeof(img));
	img.limit = IMG_SIZE;
	fake_log_clear();
	return 0;
}

static const void *img_map(uint64_t pa, uint64_t len, void *ctx)
{
	struct image *im = ctx;
	void *copy;

	/* The reader promises never to ask for an empty or wrapping range. */
	assert_true(len > 0);
	assert_true(pa + len > pa);
	if (pa < IMG_BASE || pa - IMG_BASE > im->limit ||
	    len > im->limit - (pa - IMG_BASE))
		return NULL;
	assert_true(im->map_count < MAX_MAPS);
	copy = malloc(len);
	assert_non_null(copy);
	memcpy(copy, im->mem + (pa - IMG_BASE), len);
	im->maps[im->map_count++] = copy;
	return copy;
}

static uint8_t *img_ptr(uint64_t pa)
{
	return img.mem + (pa - IMG_BASE);
}

static uint64_t img_alloc(size_t len)
{
	uint64_t pa = IMG_BASE + img.used;

	assert_true(img.used + len <= IMG_SIZE);
	img.used = (img.used + len + 15) & ~(size_t)15;
	return pa;
}

static uint8_t sum_bytes(const void *p, size_t len)
{
	const uint8_t *b = p;
	uint8_t s = 0;

	while (len--)
		s += *b++;
	return s;
}

static void table_fix(uint64_t pa)
{
	struct acpi_sdt_header *h = (void *)img_ptr(pa);

	h->checksum = 0;
	h->checksum = -sum_bytes(h, h->length);
}

static uint64_t put_table(const char *sig, const void *body, size_t body_len)
{
	struct acpi_sdt_header h = {0};
	uint64_t pa = img_alloc(sizeof(h) + body_len);

	memcpy(h.signature, sig, ACPI_SIG_LEN);
	h.length = sizeof(h) + body_len;
	h.revision = 1;
	memcpy(h.oem_id, "ATOLL ", ACPI_OEM_ID_LEN);
	memcpy(h.oem_table_id, "TESTTBL ", ACPI_OEM_TABLE_ID_LEN);
	memcpy(img_ptr(pa), &h, sizeof(h));
	memcpy(img_ptr(pa) + sizeof(h), body, body_len);
	table_fix(pa);
	return pa;
}

static uint64_t put_rsdt(const uint64_t *pas, size_t n)
{
	uint32_t e[64];

	for (size_t i = 0; i < n; i++)
		e[i] = (uint32_t)pas[i];
	return put_table(ACPI_SIG_RSDT, e, n * sizeof(e[0]));
}

static uint64_t put_xsdt(const uint64_t *pas, size_t n)
{
	return put_table(ACPI_SIG_XSDT, pas, n * sizeof(pas[0]));
}

static struct acpi_rsdp make_rsdp(uint8_t rev, uint64_t rsdt, uint64_t xsdt)
{
	struct acpi_rsdp r = {0};

	memcpy(r.signature, ACPI_RSDP_SIGNATURE, ACPI_RSDP_SIGNATURE_LEN);
	memcpy(r.oem_id, "BOCHS ", ACPI_OEM_ID_LEN);
	r.revision = rev;
	r.rsdt_addr = (uint32_t)rsdt;
	r.length = ACPI_RSDP_V2_LEN;
	r.xsdt_addr = xsdt;
	r.checksum = -sum_bytes(&r, ACPI_RSDP_V1_LEN);
	r.ext_checksum = -sum_bytes(&r, ACPI_RSDP_V2_LEN);
	return r;
}

/* Parse from an exact-size copy of the RSDP, then drop every mapping. */
static enum acpi_error parse(const struct acpi_rsdp *r, size_t len,
			     struct acpi_info *info)
{
	void *copy = malloc(len ? len : 1);
	enum acpi_error err;

	memcpy(copy, r, len);
	err = acpi_parse(copy, len, img_map, &img, info);
	free(copy);
	while (img.map_count)
		free(img.maps[--img.map_count]);
	return err;
}

/* ---- MADT builder ---- */

struct madt_buf {
	uint8_t b[4096];
	size_t len;
};

static void madt_begin(struct madt_buf *m, uint32_t lapic, uint32_t flags)
{
	memcpy(m->b, &lapic, 4);
	memcpy(m->b + 4, &flags, 4);
	m->len = 8;
}

static void madt_add(struct madt_buf *m, const void *e, size_t len)
{
	assert_true(m->len + len <= sizeof(m->b));
	memcpy(m->b + m->len, e, len);
	m->len += len;
}

static void add_lapic(struct madt_buf *m, uint8_t uid, uint8_t id,
		      uint32_t flags)
{
	struct acpi_madt_lapic e = {
	    .h = {ACPI_MADT_TYPE_LAPIC, sizeof(e)},
	    .uid = uid,
	    .apic_id = id,
	    .flags = flags,
	};
	madt_add(m, &e, sizeof(e));
}

static void add_x2apic(struct madt_buf *m, uint32_t uid, uint32_t id,
		       uint32_t flags)
{
	struct acpi_madt_x2apic e = {
	    .h = {ACPI_MADT_TYPE_X2APIC, sizeof(e)},
	    .x2apic_id = id,
	    .flags = flags,
	    .uid = uid,
	};
	madt_add(m, &e, sizeof(e));
}

static void add_ioapic(struct madt_buf *m, uint8_t id, uint32_t addr,
		       uint32_t gsi_base)
{
	struct acpi_madt_ioapic e = {
	    .h = {ACPI_MADT_TYPE_IOAPIC, sizeof(e)},
	    .id = id,
	    .addr = addr,
	    .gsi_base = gsi_base,
	};
	madt_add(m, &e, sizeof(e));
}

static void add_override(struct madt_buf *m, uint8_t irq, uint32_t gsi,
			 uint16_t flags)
{
	struct acpi_madt_override e = {
	    .h = {ACPI_MADT_TYPE_OVERRIDE, sizeof(e)},
	    .bus = ACPI_BUS_ISA,
	    .source = irq,
	    .gsi = gsi,
	    .flags = flags,
	};
	madt_add(m, &e, sizeof(e));
}

static uint64_t put_madt(const struct madt_buf *m)
{
	return put_table(ACPI_SIG_MADT, m->b, m->len);
}

/* Two CPUs, one IO APIC, QEMU's usual overrides, an NMI on LINT1. */
static uint64_t put_std_madt(void)
{
	struct madt_buf m;
	struct acpi_madt_lapic_nmi nmi = {
	    .h = {ACPI_MADT_TYPE_LAPIC_NMI, sizeof(nmi)},
	    .uid = ACPI_MADT_LAPIC_NMI_ALL_8,
	    .flags = 0,
	    .lint = 1,
	};

	madt_begin(&m, 0xfee00000, ACPI_MADT_PCAT_COMPAT);
	add_lapic(&m, 0, 0, ACPI_MADT_CPU_ENABLED);
	add_lapic(&m, 1, 1, ACPI_MADT_CPU_ENABLED);
	add_ioapic(&m, 0, 0xfec00000, 0);
	add_override(&m, 0, 2, 0);
	add_override(&m, 9, 9,
		     ACPI_INTI_POLARITY_HIGH | ACPI_INTI_TRIGGER_LEVEL);
	madt_add(&m, &nmi, sizeof(nmi));
	return put_madt(&m);
}

static uint64_t put_mcfg(const struct acpi_mcfg_alloc *a, size_t n)
{
	uint8_t body[8 + 16 * sizeof(*a)] = {0};

	assert_true(n <= 16);
	memcpy(body + 8, a, n * sizeof(*a));
	return put_table(ACPI_SIG_MCFG, body, 8 + n * sizeof(*a));
}

static uint64_t put_std_mcfg(void)
{
	const struct acpi_mcfg_alloc a[2] = {
	    {.base = 0xb0000000, .segment = 0, .start_bus = 0, .end_bus = 0xff},
	    {.base = 0x2000000000ULL,
	     .segment = 1,
	     .start_bus = 0x10,
	     .end_bus = 0x1f},
	};

	return put_mcfg(a, 2);
}

static uint64_t put_dmar(void)
{
	uint8_t body[12] = {38, 1}; /* host address width, flags, ... */

	return put_table(ACPI_SIG_DMAR, body, sizeof(body));
}

static void check_std_madt(const struct acpi_madt_info *m)
{
	assert_int_equal(m->status, ACPI_OK);
	assert_int_equal(pa_addr(m->lapic_addr), 0xfee00000);
	assert_true(m->legacy_pics);
	assert_int_equal(m->cpu_count, 2);
	assert_int_equal(m->cpus[1].apic_id, 1);
	assert_true(m->cpus[1].enabled);
	assert_int_equal(m->ioapic_count, 1);
	assert_int_equal(pa_addr(m->ioapics[0].addr), 0xfec00000);
	assert_int_equal(m->override_count, 2);
	assert_int_equal(m->lapic_nmi_count, 1);
	assert_int_equal(m->lapic_nmis[0].uid, ACPI_MADT_LAPIC_NMI_ALL);
	assert_int_equal(m->lapic_nmis[0].lint, 1);
}

/* ---- Root tables and RSDP ---- */

static void test_v1_rsdt(void **state)
{
	uint64_t t[2] = {put_std_madt(), put_std_mcfg()};
	uint64_t rsdt = put_rsdt(t, 2);
	struct acpi_rsdp r = make_rsdp(0, rsdt, 0);
	struct acpi_info info;

	assert_int_equal(parse(&r, ACPI_RSDP_V1_LEN, &info), ACPI_OK);
	assert_string_equal(info.oem_id, "BOCHS ");
	assert_int_equal(info.revision, 0);
	assert_false(info.xsdt);
	assert_int_equal(pa_addr(info.root_addr), rsdt);
	assert_int_equal(info.root_skipped, 0);
	check_std_madt(&info.madt);
	assert_int_equal(info.mcfg.status, ACPI_OK);
	assert_int_equal(info.mcfg.segment_count, 2);
	assert_int_equal(info.dmar.status, ACPI_ERR_NOT_PRESENT);
	assert_false(info.dmar.present);
}

static void test_v2_xsdt_preferred(void **state)
{
	uint64_t t[2] = {put_std_madt(), put_std_mcfg()};
	/* The RSDT lists only the MADT: finding the MCFG proves the XSDT. */
	uint64_t rsdt = put_rsdt(t, 1);
	uint64_t xsdt = put_xsdt(t, 2);
	struct acpi_rsdp r = make_rsdp(2, rsdt, xsdt);
	struct acpi_info info;

	assert_int_equal(parse(&r, ACPI_RSDP_V2_LEN, &info), ACPI_OK);
	assert_int_equal(info.revision, 2);
	assert_true(info.xsdt);
	assert_int_equal(info.xsdt_error, ACPI_OK);
	assert_int_equal(pa_addr(info.root_addr), xsdt);
	check_std_madt(&info.madt);
	assert_int_equal(info.mcfg.segment_count, 2);
}

static void test_v2_xsdt_only(void **state)
{
	uint64_t t[1] = {put_std_madt()};
	struct acpi_rsdp r = make_rsdp(2, 0, put_xsdt(t, 1));
	struct acpi_info info;

	assert_int_equal(parse(&r, ACPI_RSDP_V2_LEN, &info), ACPI_OK);
	assert_true(info.xsdt);
	check_std_madt(&info.madt);
}

static void test_v2_rsdp_short_copy_uses_rsdt(void **state)
{
	uint64_t t[1] = {put_std_madt()};
	uint64_t rsdt = put_rsdt(t, 1);
	struct acpi_rsdp r = make_rsdp(2, rsdt, put_xsdt(t, 1));
	struct acpi_info info;

	/* multiboot2's "old RSDP" tag: only 20 bytes of a v2 RSDP. */
	assert_int_equal(parse(&r, ACPI_RSDP_V1_LEN, &info), ACPI_OK);
	assert_false(info.xsdt);
	assert_int_equal(pa_addr(info.root_addr), rsdt);
}

static void test_v2_zero_xsdt_uses_rsdt(void **state)
{
	uint64_t t[1] = {put_std_madt()};
	struct acpi_rsdp r = make_rsdp(2, put_rsdt(t, 1), 0);
	struct acpi_info info;

	assert_int_equal(parse(&r, ACPI_RSDP_V2_LEN, &info), ACPI_OK);
	assert_false(info.xsdt);
	assert_int_equal(info.xsdt_error, ACPI_OK);
}

static void test_bad_xsdt_falls_back_to_rsdt(void **state)
{
	uint64_t t[1] = {put_std_madt()};
	uint64_t rsdt = put_rsdt(t, 1);
	uint64_t xsdt = put_xsdt(t, 1);
	struct acpi_rsdp r = make_rsdp(2, rsdt, xsdt);
	struct acpi_info info;

	img_ptr(xsdt)[9] ^= 0x55; /* break the XSDT checksum */
	assert_int_equal(parse(&r, ACPI_RSDP_V2_LEN, &info), ACPI_OK);
	assert_false(info.xsdt);
	assert_int_equal(info.xsdt_error, ACPI_ERR_CHECKSUM);
	check_std_madt(&info.madt);

	/* With no RSDT to fall back on, the XSDT's error is the result. */
	r = make_rsdp(2, 0, xsdt);
	assert_int_equal(parse(&r, ACPI_RSDP_V2_LEN, &info), ACPI_ERR_CHECKSUM);
}

static void test_bad_rsdp(void **state)
{
	uint64_t t[1] = {put_std_madt()};
	uint64_t rsdt = put_rsdt(t, 1);
	struct acpi_rsdp good = make_rsdp(2, rsdt, put_xsdt(t, 1));
	struct acpi_rsdp r;
	struct acpi_info info;

	r = good;
	r.signature[0] = 'X';
	assert_int_equal(parse(&r, ACPI_RSDP_V2_LEN, &info),
			 ACPI_ERR_RSDP_SIGNATURE);
	assert_int_equal(info.madt.status, ACPI_ERR_NOT_PRESENT);

	r = good;
	r.rsdt_addr++; /* first checksum no longer holds */
	assert_int_equal(parse(&r, ACPI_RSDP_V2_LEN, &info),
			 ACPI_ERR_RSDP_CHECKSUM);

	r = good;
	r.xsdt_addr++; /* only the extended checksum covers this */
	assert_int_equal(parse(&r, ACPI_RSDP_V2_LEN, &info),
			 ACPI_ERR_RSDP_EXT_CHECKSUM);

	r = good;
	assert_int_equal(parse(&r, 19, &info), ACPI_ERR_RSDP_LEN);
	assert_int_equal(acpi_parse(NULL, 36, img_map, &img, &info),
			 ACPI_ERR_RSDP_LEN);

	/* Extended length field larger than the copy, or too small. */
	r = make_rsdp(2, rsdt, 0);
	r.length = 64;
	r.ext_checksum = 0;
	r.ext_checksum = -sum_bytes(&r, ACPI_RSDP_V2_LEN);
	assert_int_equal(parse(&r, ACPI_RSDP_V2_LEN, &info), ACPI_ERR_RSDP_LEN);
	r.length = 20;
	r.ext_checksum = 0;
	r.ext_checksum = -sum_bytes(&r, ACPI_RSDP_V2_LEN);
	assert_int_equal(parse(&r, ACPI_RSDP_V2_LEN, &info), ACPI_ERR_RSDP_LEN);
}

static void test_bad_root(void **state)
{
	uint64_t t[1] = {put_std_madt()};
	uint64_t rsdt = put_rsdt(t, 1);
	struct acpi_rsdp r;
	struct acpi_info info;

	r = make_rsdp(0, 0, 0);
	assert_int_equal(parse(&r, ACPI_RSDP_V1_LEN, &info), ACPI_ERR_NO_ROOT);

	/* The RSDT address points at the MADT. */
	r = make_rsdp(0, t[0], 0);
	assert_int_equal(parse(&r, ACPI_RSDP_V1_LEN, &info),
			 ACPI_ERR_SIGNATURE);

	/* Outside mappable memory. */
	r = make_rsdp(0, 0x1000, 0);
	assert_int_equal(parse(&r, ACPI_RSDP_V1_LEN, &info), ACPI_ERR_MAP);

	/* Bad checksum. */
	img_ptr(rsdt)[20] ^= 1;
	r = make_rsdp(0, rsdt, 0);
	assert_int_equal(parse(&r, ACPI_RSDP_V1_LEN, &info), ACPI_ERR_CHECKSUM);

	/* A length that is not header + whole entries. */
	img_ptr(rsdt)[20] ^= 1;
	((struct acpi_sdt_header *)img_ptr(rsdt))->length = 36 + 3;
	table_fix(rsdt);
	assert_int_equal(parse(&r, ACPI_RSDP_V1_LEN, &info),
			 ACPI_ERR_TABLE_LEN);
}

static void test_root_entries_unreadable(void **state)
{
	uint64_t t[5] = {0, 0xfffffffffffffff0ULL, 0x1000, put_std_madt(),
			 put_std_mcfg()};
	struct acpi_rsdp r = make_rsdp(2, 0, put_xsdt(t, 5));
	struct acpi_info info;

	/* Null, wrapping and unmapped entries are skipped, not fatal. */
	assert_int_equal(parse(&r, ACPI_RSDP_V2_LEN, &info), ACPI_OK);
	assert_int_equal(info.root_skipped, 3);
	check_std_madt(&info.madt);
	assert_int_equal(info.mcfg.segment_count, 2);
}

static void test_duplicate_table_first_wins(void **state)
{
	struct madt_buf m;
	uint64_t t[2];
	struct acpi_rsdp r;
	struct acpi_info info;

	t[0] = put_std_madt();
	madt_begin(&m, 0xfee00000, 0);
	add_lapic(&m, 0, 7, ACPI_MADT_CPU_ENABLED);
	t[1] = put_madt(&m);
	r = make_rsdp(0, put_rsdt(t, 2), 0);
	assert_int_equal(parse(&r, ACPI_RSDP_V1_LEN, &info), ACPI_OK);
	check_std_madt(&info.madt);
}

/* ---- MADT ---- */

static void add_nmi_entries(struct madt_buf *m)
{
	struct acpi_madt_nmi_source src = {
	    .h = {ACPI_MADT_TYPE_NMI_SOURCE, sizeof(src)},
	    .flags = ACPI_INTI_POLARITY_LOW | ACPI_INTI_TRIGGER_LEVEL,
	    .gsi = 23,
	};
	struct acpi_madt_lapic_nmi lnmi = {
	    .h = {ACPI_MADT_TYPE_LAPIC_NMI, sizeof(lnmi)},
	    .uid = 3,
	    .flags = ACPI_INTI_POLARITY_HIGH,
	    .lint = 0,
	};
	struct acpi_madt_x2apic_nmi xnmi = {
	    .h = {ACPI_MADT_TYPE_X2APIC_NMI, sizeof(xnmi)},
	    .flags = 0,
	    .uid = 300,
	    .lint = 1,
	};

	madt_add(m, &src, sizeof(src));
	madt_add(m, &lnmi, sizeof(lnmi));
	madt_add(m, &xnmi, sizeof(xnmi));
}

/* One entry of every type read, plus an unknown and a long entry. */
static uint64_t put_all_types_madt(void)
{
	struct madt_buf m;
	struct acpi_madt_lapic_addr lao = {
	    .h = {ACPI_MADT_TYPE_LAPIC_ADDR, sizeof(lao)},
	    .addr = 0x100fee00000ULL,
	};
	uint8_t unknown[8] = {0x7f, 8, 1, 2, 3, 4, 5, 6};
	/* A LAPIC entry from a later revision, longer than we know. */
	uint8_t long_lapic[12] = {ACPI_MADT_TYPE_LAPIC, 12, 9, 0x22, 1};

	madt_begin(&m, 0xfee00000, 0);
	add_lapic(&m, 0, 0, ACPI_MADT_CPU_ENABLED);
	add_lapic(&m, 1, 2, ACPI_MADT_CPU_ONLINE_CAPABLE);
	add_lapic(&m, 2, 4, 0); /* unusable: skipped */
	add_x2apic(&m, 300, 0x1234, ACPI_MADT_CPU_ENABLED);
	madt_add(&m, &lao, sizeof(lao));
	add_ioapic(&m, 8, 0xfec00000, 0);
	add_ioapic(&m, 9, 0xfec01000, 24);
	add_override(&m, 0, 2, 0);
	add_nmi_entries(&m);
	madt_add(&m, unknown, sizeof(unknown));
	madt_add(&m, long_lapic, sizeof(long_lapic));
	return put_madt(&m);
}

static void check_all_types_cpus(const struct acpi_madt_info *mi)
{
	assert_int_equal(mi->cpu_count, 4);
	assert_int_equal(mi->cpu_unusable, 1);
	assert_true(mi->cpus[0].enabled && !mi->cpus[0].online_capable);
	assert_false(mi->cpus[0].x2apic);
	assert_int_equal(mi->cpus[1].apic_id, 2);
	assert_int_equal(mi->cpus[1].uid, 1);
	assert_true(!mi->cpus[1].enabled && mi->cpus[1].online_capable);
	assert_int_equal(mi->cpus[2].apic_id, 0x1234);
	assert_int_equal(mi->cpus[2].uid, 300);
	assert_true(mi->cpus[2].x2apic && mi->cpus[2].enabled);
	assert_int_equal(mi->cpus[3].apic_id, 0x22);
	assert_int_equal(mi->cpus[3].uid, 9);
}

static void test_madt_all_entry_types(void **state)
{
	uint64_t t[1] = {put_all_types_madt()};
	struct acpi_rsdp r = make_rsdp(0, put_rsdt(t, 1), 0);
	struct acpi_info info;
	const struct acpi_madt_info *mi = &info.madt;

	assert_int_equal(parse(&r, ACPI_RSDP_V1_LEN, &info), ACPI_OK);
	/* The type 5 entry wins over the 32-bit header field. */
	assert_int_equal(pa_addr(mi->lapic_addr), 0x100fee00000ULL);
	assert_false(mi->legacy_pics);
	check_all_types_cpus(mi);
	assert_int_equal(mi->ioapic_count, 2);
	assert_int_equal(mi->ioapics[1].id, 9);
	assert_int_equal(pa_addr(mi->ioapics[1].addr), 0xfec01000);
	assert_int_equal(mi->ioapics[1].gsi_base, 24);
	assert_int_equal(mi->override_count, 1);
	assert_int_equal(mi->overrides[0].gsi, 2);
	assert_int_equal(mi->nmi_source_count, 1);
	assert_int_equal(mi->nmi_sources[0].gsi, 23);
	assert_true(acpi_inti_active_low(mi->nmi_sources[0].flags));
	assert_true(acpi_inti_level(mi->nmi_sources[0].flags));
	assert_int_equal(mi->lapic_nmi_count, 2);
	assert_int_equal(mi->lapic_nmis[0].uid, 3);
	assert_int_equal(mi->lapic_nmis[0].lint, 0);
	assert_int_equal(mi->lapic_nmis[1].uid, 300);
	assert_int_equal(mi->lapic_nmis[1].lint, 1);
	assert_int_equal(mi->unknown_count, 1);
}

static enum acpi_error parse_madt_body(struct madt_buf *m,
				       struct acpi_info *info)
{
	uint64_t t[1] = {put_madt(m)};
	struct acpi_rsdp r = make_rsdp(0, put_rsdt(t, 1), 0);

	return parse(&r, ACPI_RSDP_V1_LEN, info);
}

static void test_madt_entry_len_zero(void **state)
{
	struct madt_buf m;
	uint8_t zero[4] = {ACPI_MADT_TYPE_LAPIC, 0, 0, 0};
	struct acpi_info info;

	madt_begin(&m, 0xfee00000, 0);
	add_lapic(&m, 0, 0, ACPI_MADT_CPU_ENABLED);
	madt_add(&m, zero, sizeof(zero));
	add_lapic(&m, 1, 1, ACPI_MADT_CPU_ENABLED);
	assert_int_equal(parse_madt_body(&m, &info), ACPI_ERR_MADT_ENTRY_LEN);
	assert_int_equal(info.madt.status, ACPI_ERR_MADT_ENTRY_LEN);
	/* The walk stopped at the bad entry. */
	assert_int_equal(info.madt.cpu_count, 1);
}

static void test_madt_entry_len_one(void **state)
{
	struct madt_buf m;
	uint8_t one[2] = {0x7f, 1};
	struct acpi_info info;

	madt_begin(&m, 0xfee00000, 0);
	madt_add(&m, one, sizeof(one));
	assert_int_equal(parse_madt_body(&m, &info), ACPI_ERR_MADT_ENTRY_LEN);
}

static void test_madt_entry_short_for_type(void **state)
{
	struct madt_buf m;
	uint8_t short_ioapic[6] = {ACPI_MADT_TYPE_IOAPIC, 6, 1, 0, 0, 0};
	struct acpi_info info;

	madt_begin(&m, 0xfee00000, 0);
	madt_add(&m, short_ioapic, sizeof(short_ioapic));
	assert_int_equal(parse_madt_body(&m, &info), ACPI_ERR_MADT_ENTRY_LEN);
	assert_int_equal(info.madt.ioapic_count, 0);
}

static void test_madt_entry_overrun(void **state)
{
	struct madt_buf m;
	uint8_t tail[4] = {ACPI_MADT_TYPE_X2APIC, 16, 0, 0};
	uint8_t stray[1] = {ACPI_MADT_TYPE_LAPIC};
	struct acpi_info info;

	/* An entry claiming 16 bytes with only 4 left in the table. */
	madt_begin(&m, 0xfee00000, 0);
	add_lapic(&m, 0, 0, ACPI_MADT_CPU_ENABLED);
	madt_add(&m, tail, sizeof(tail));
	assert_int_equal(parse_madt_body(&m, &info),
			 ACPI_ERR_MADT_ENTRY_OVERRUN);
	assert_int_equal(info.madt.cpu_count, 1);

	/* A single stray byte after the last entry. */
	madt_begin(&m, 0xfee00000, 0);
	add_lapic(&m, 0, 0, ACPI_MADT_CPU_ENABLED);
	madt_add(&m, stray, sizeof(stray));
	assert_int_equal(parse_madt_body(&m, &info),
			 ACPI_ERR_MADT_ENTRY_OVERRUN);
}

static void test_madt_too_short(void **state)
{
	uint8_t body[4] = {0};
	uint64_t t[1] = {put_table(ACPI_SIG_MADT, body, sizeof(body))};
	struct acpi_rsdp r = make_rsdp(0, put_rsdt(t, 1), 0);
	struct acpi_info info;

	assert_int_equal(parse(&r, ACPI_RSDP_V1_LEN, &info),
			 ACPI_ERR_TABLE_LEN);
}

static void test_madt_empty(void **state)
{
	struct madt_buf m;
	struct acpi_info info;

	madt_begin(&m, 0xfee00000, ACPI_MADT_PCAT_COMPAT);
	assert_int_equal(parse_madt_body(&m, &info), ACPI_OK);
	assert_int_equal(info.madt.cpu_count, 0);
	assert_true(info.madt.legacy_pics);
}

static void test_too_many_entries(void **state)
{
	struct madt_buf m;
	struct acpi_info info;

	madt_begin(&m, 0xfee00000, 0);
	for (int i = 0; i < ACPI_MAX_CPUS + 6; i++)
		add_lapic(&m, i, i, ACPI_MADT_CPU_ENABLED);
	for (int i = 0; i < ACPI_MAX_IOAPICS + 2; i++)
		add_ioapic(&m, i, 0xfec00000 + 0x1000 * i, 24 * i);
	for (int i = 0; i < ACPI_MAX_OVERRIDES + 1; i++)
		add_override(&m, i % 16, i, 0);
	assert_int_equal(parse_madt_body(&m, &info), ACPI_OK);
	assert_int_equal(info.madt.cpu_count, ACPI_MAX_CPUS);
	assert_int_equal(info.madt.cpu_dropped, 6);
	assert_int_equal(info.madt.cpus[ACPI_MAX_CPUS - 1].apic_id,
			 ACPI_MAX_CPUS - 1);
	assert_int_equal(info.madt.ioapic_count, ACPI_MAX_IOAPICS);
	assert_int_equal(info.madt.ioapic_dropped, 2);
	assert_int_equal(info.madt.override_count, ACPI_MAX_OVERRIDES);
	assert_int_equal(info.madt.override_dropped, 1);
}

static void test_missing_madt(void **state)
{
	uint64_t t[2] = {put_std_mcfg(), put_dmar()};
	struct acpi_rsdp r = make_rsdp(0, put_rsdt(t, 2), 0);
	struct acpi_info info;

	assert_int_equal(parse(&r, ACPI_RSDP_V1_LEN, &info),
			 ACPI_ERR_NOT_PRESENT);
	assert_int_equal(info.madt.status, ACPI_ERR_NOT_PRESENT);
	/* The other tables are still read. */
	assert_int_equal(info.mcfg.segment_count, 2);
	assert_true(info.dmar.present);
}

static void test_bad_madt_checksum(void **state)
{
	uint64_t t[2] = {put_std_madt(), put_std_mcfg()};
	struct acpi_rsdp r = make_rsdp(0, put_rsdt(t, 2), 0);
	struct acpi_info info;

	img_ptr(t[0])[40] ^= 0x80;
	assert_int_equal(parse(&r, ACPI_RSDP_V1_LEN, &info), ACPI_ERR_CHECKSUM);
	assert_int_equal(info.madt.cpu_count, 0);
	assert_int_equal(info.mcfg.segment_count, 2);
}

static void test_truncated_table(void **state)
{
	uint64_t t[1] = {0};
	uint64_t rsdt = put_rsdt(t, 1);
	struct acpi_rsdp r = make_rsdp(0, rsdt, 0);
	struct acpi_info info;
	uint32_t entry;

	/* The MADT goes last, so that the accessor's limit can cut it. */
	t[0] = put_std_madt();
	entry = (uint32_t)t[0];
	memcpy(img_ptr(rsdt) + sizeof(struct acpi_sdt_header), &entry, 4);
	table_fix(rsdt);

	/* Its header is readable, the rest of its declared length is not. */
	img.limit = t[0] - IMG_BASE + 40;
	assert_int_equal(parse(&r, ACPI_RSDP_V1_LEN, &info), ACPI_ERR_MAP);
	assert_int_equal(info.madt.status, ACPI_ERR_MAP);
	assert_int_equal(info.madt.cpu_count, 0);

	/* Not even the header is readable: the entry is skipped. */
	img.limit = t[0] - IMG_BASE + 20;
	assert_int_equal(parse(&r, ACPI_RSDP_V1_LEN, &info),
			 ACPI_ERR_NOT_PRESENT);
	assert_int_equal(info.root_skipped, 1);
}

static void test_table_length_bounds(void **state)
{
	uint64_t t[1] = {put_std_madt()};
	struct acpi_rsdp r = make_rsdp(0, put_rsdt(t, 1), 0);
	struct acpi_sdt_header *h = (void *)img_ptr(t[0]);
	uint32_t good = h->length;
	struct acpi_info info;

	/* Longer than the image: the accessor refuses the full range. */
	h->length = IMG_SIZE - (t[0] - IMG_BASE) + 1;
	assert_int_equal(parse(&r, ACPI_RSDP_V1_LEN, &info), ACPI_ERR_MAP);

	/* Absurdly long: refused before any attempt to map it. */
	h->length = ACPI_SDT_MAX_LEN + 1;
	assert_int_equal(parse(&r, ACPI_RSDP_V1_LEN, &info),
			 ACPI_ERR_TABLE_LEN);
	h->length = 0xffffffff;
	assert_int_equal(parse(&r, ACPI_RSDP_V1_LEN, &info),
			 ACPI_ERR_TABLE_LEN);

	/* Shorter than its own header. */
	h->length = 35;
	assert_int_equal(parse(&r, ACPI_RSDP_V1_LEN, &info),
			 ACPI_ERR_TABLE_LEN);
	h->length = 0;
	assert_int_equal(parse(&r, ACPI_RSDP_V1_LEN, &info),
			 ACPI_ERR_TABLE_LEN);

	h->length = good;
	assert_int_equal(parse(&r, ACPI_RSDP_V1_LEN, &info), ACPI_OK);
}

/* ---- MCFG, DMAR ---- */

static void test_mcfg_two_segments(void **state)
{
	uint64_t t[2] = {put_std_madt(), put_std_mcfg()};
	struct acpi_rsdp r = make_rsdp(0, put_rsdt(t, 2), 0);
	struct acpi_info info;
	const struct acpi_mcfg_segment *s = info.mcfg.segments;

	assert_int_equal(parse(&r, ACPI_RSDP_V1_LEN, &info), ACPI_OK);
	assert_int_equal(info.mcfg.status, ACPI_OK);
	assert_int_equal(info.mcfg.segment_count, 2);
	assert_int_equal(info.mcfg.segment_dropped, 0);
	assert_int_equal(pa_addr(s[0].base), 0xb0000000);
	assert_int_equal(s[0].segment, 0);
	assert_int_equal(s[0].start_bus, 0);
	assert_int_equal(s[0].end_bus, 0xff);
	assert_int_equal(pa_addr(s[1].base), 0x2000000000ULL);
	assert_int_equal(s[1].segment, 1);
	assert_int_equal(s[1].start_bus, 0x10);
	assert_int_equal(s[1].end_bus, 0x1f);
}

static void test_missing_mcfg(void **state)
{
	uint64_t t[1] = {put_std_madt()};
	struct acpi_rsdp r = make_rsdp(0, put_rsdt(t, 1), 0);
	struct acpi_info info;

	assert_int_equal(parse(&r, ACPI_RSDP_V1_LEN, &info), ACPI_OK);
	assert_int_equal(info.mcfg.status, ACPI_ERR_NOT_PRESENT);
	assert_int_equal(info.mcfg.segment_count, 0);
}

static void test_mcfg_too_many(void **state)
{
	struct acpi_mcfg_alloc a[ACPI_MAX_MCFG + 2];
	uint64_t t[2];
	struct acpi_rsdp r;
	struct acpi_info info;

	for (int i = 0; i < ACPI_MAX_MCFG + 2; i++)
		a[i] = (struct acpi_mcfg_alloc){
		    .base = 0xb0000000ULL << i, .segment = i, .end_bus = 0xff};
	t[0] = put_std_madt();
	t[1] = put_mcfg(a, ACPI_MAX_MCFG + 2);
	r = make_rsdp(0, put_rsdt(t, 2), 0);
	assert_int_equal(parse(&r, ACPI_RSDP_V1_LEN, &info), ACPI_OK);
	assert_int_equal(info.mcfg.segment_count, ACPI_MAX_MCFG);
	assert_int_equal(info.mcfg.segment_dropped, 2);
	assert_int_equal(info.mcfg.segments[3].segment, 3);
}

static void test_mcfg_bad(void **state)
{
	struct acpi_mcfg_alloc a[2] = {
	    {.base = 0xb0000000, .segment = 0, .end_bus = 0xff},
	    {.base = 0xc0000000, .segment = 1, .start_bus = 9, .end_bus = 8},
	};
	uint64_t t[2] = {put_std_madt(), put_mcfg(a, 2)};
	struct acpi_rsdp r = make_rsdp(0, put_rsdt(t, 2), 0);
	struct acpi_info info;
	uint8_t ragged[8 + 20] = {0};

	/* A bad optional table does not fail the parse, and yields nothing. */
	assert_int_equal(parse(&r, ACPI_RSDP_V1_LEN, &info), ACPI_OK);
	assert_int_equal(info.mcfg.status, ACPI_ERR_MCFG_BUS_RANGE);
	assert_int_equal(info.mcfg.segment_count, 0);
	check_std_madt(&info.madt);

	/* A window that would wrap the address space. */
	a[1] = (struct acpi_mcfg_alloc){.base = 0xfffffffffff00000ULL,
					.end_bus = 1};
	t[1] = put_mcfg(a, 2);
	r = make_rsdp(0, put_rsdt(t, 2), 0);
	assert_int_equal(parse(&r, ACPI_RSDP_V1_LEN, &info), ACPI_OK);
	assert_int_equal(info.mcfg.status, ACPI_ERR_MCFG_BUS_RANGE);

	/* A length that is not header + whole allocations. */
	t[1] = put_table(ACPI_SIG_MCFG, ragged, sizeof(ragged));
	r = make_rsdp(0, put_rsdt(t, 2), 0);
	assert_int_equal(parse(&r, ACPI_RSDP_V1_LEN, &info), ACPI_OK);
	assert_int_equal(info.mcfg.status, ACPI_ERR_TABLE_LEN);

	/* Shorter than the fixed MCFG part. */
	t[1] = put_table(ACPI_SIG_MCFG, ragged, 4);
	r = make_rsdp(0, put_rsdt(t, 2), 0);
	assert_int_equal(parse(&r, ACPI_RSDP_V1_LEN, &info), ACPI_OK);
	assert_int_equal(info.mcfg.status, ACPI_ERR_TABLE_LEN);

	/* No allocations at all is well-formed. */
	t[1] = put_mcfg(a, 0);
	r = make_rsdp(0, put_rsdt(t, 2), 0);
	assert_int_equal(parse(&r, ACPI_RSDP_V1_LEN, &info), ACPI_OK);
	assert_int_equal(info.mcfg.status, ACPI_OK);
	assert_int_equal(info.mcfg.segment_count, 0);
}

static void test_dmar(void **state)
{
	uint64_t dmar = put_dmar();
	uint64_t t[2] = {put_std_madt(), dmar};
	struct acpi_rsdp r = make_rsdp(0, put_rsdt(t, 2), 0);
	struct acpi_info info;

	assert_int_equal(parse(&r, ACPI_RSDP_V1_LEN, &info), ACPI_OK);
	assert_int_equal(info.dmar.status, ACPI_OK);
	assert_true(info.dmar.present);
	assert_int_equal(pa_addr(info.dmar.addr), dmar);
	assert_int_equal(info.dmar.length, 36 + 12);

	/* Absent. */
	r = make_rsdp(0, put_rsdt(t, 1), 0);
	assert_int_equal(parse(&r, ACPI_RSDP_V1_LEN, &info), ACPI_OK);
	assert_false(info.dmar.present);
	assert_int_equal(info.dmar.status, ACPI_ERR_NOT_PRESENT);

	/* Broken: reported, not present, and the MADT is unaffected. */
	img_ptr(dmar)[37] ^= 0x10;
	r = make_rsdp(0, put_rsdt(t, 2), 0);
	assert_int_equal(parse(&r, ACPI_RSDP_V1_LEN, &info), ACPI_OK);
	assert_false(info.dmar.present);
	assert_int_equal(info.dmar.status, ACPI_ERR_CHECKSUM);
	check_std_madt(&info.madt);
}

/* ---- DMAR: units and device scopes ---- */

struct dmar_buf {
	uint8_t b[2048];
	size_t len;
	size_t open; /* offset of the structure being built */
};

static void dmar_begin(struct dmar_buf *d, uint8_t haw, uint8_t flags)
{
	memset(d, 0, sizeof(*d));
	d->b[0] = haw;
	d->b[1] = flags;
	d->len = 12;
}

static void dmar_put(struct dmar_buf *d, const void *p, size_t len)
{
	assert_true(d->len + len <= sizeof(d->b));
	memcpy(d->b + d->len, p, len);
	d->len += len;
}

/* Starts a structure; dmar_close() sets its length from what followed. */
static void dmar_drhd(struct dmar_buf *d, uint8_t flags, uint8_t size,
		      uint16_t seg, uint64_t base)
{
	struct acpi_dmar_drhd e = {
	    .h = {ACPI_DMAR_TYPE_DRHD, sizeof(e)},
	    .flags = flags,
	    .size = size,
	    .segment = seg,
	    .base = base,
	};

	d->open = d->len;
	dmar_put(d, &e, sizeof(e));
}

static void dmar_rmrr(struct dmar_buf *d, uint64_t base, uint64_t limit)
{
	struct acpi_dmar_rmrr e = {
	    .h = {ACPI_DMAR_TYPE_RMRR, sizeof(e)},
	    .base = base,
	    .limit = limit,
	};

	d->open = d->len;
	dmar_put(d, &e, sizeof(e));
}

static void dmar_close(struct dmar_buf *d)
{
	uint16_t len = (uint16_t)(d->len - d->open);

	memcpy(d->b + d->open + 2, &len, sizeof(len));
}

/* A scope with hops (device, function) pairs. */
static void dmar_scope(struct dmar_buf *d, uint8_t type, uint8_t bus,
		       const uint8_t *hops, size_t n)
{
	struct acpi_dmar_scope_hdr h = {
	    .type = type,
	    .length = (uint8_t)(sizeof(h) + 2 * n),
	    .enum_id = 7,
	    .start_bus = bus,
	};

	dmar_put(d, &h, sizeof(h));
	dmar_put(d, hops, 2 * n);
}

static enum acpi_error parse_dmar(const struct dmar_buf *d,
				  struct acpi_info *info)
{
	uint64_t t[2] = {put_std_madt(),
			 put_table(ACPI_SIG_DMAR, d->b, d->len)};
	struct acpi_rsdp r = make_rsdp(0, put_rsdt(t, 2), 0);

	return parse(&r, ACPI_RSDP_V1_LEN, info);
}

/* The layout QEMU's q35 gives (one unit, explicit scopes), plus a second
 * unit for everything else, an RMRR and an ATSR. */
static void test_dmar_units(void **state)
{
	static const uint8_t nic[] = {4, 0}, bridge[] = {0x1c, 0, 0, 0};
	static const uint8_t ioapic[] = {0x1f, 7}, gpu[] = {2, 0};
	static const uint8_t atsr[8] = {2, 0, 8, 0};
	struct acpi_info info;
	struct dmar_buf d;
	const struct acpi_dmar_unit *u;

	dmar_begin(&d, 38, ACPI_DMAR_INTR_REMAP);
	dmar_drhd(&d, 0, 0, 0, 0xfed90000);
	dmar_scope(&d, ACPI_DMAR_SCOPE_ENDPOINT, 0, nic, 1);
	dmar_scope(&d, ACPI_DMAR_SCOPE_BRIDGE, 0, bridge, 2);
	dmar_scope(&d, ACPI_DMAR_SCOPE_IOAPIC, 0xf0, ioapic, 1);
	dmar_close(&d);
	dmar_rmrr(&d, 0xa0000, 0xbffff);
	dmar_scope(&d, ACPI_DMAR_SCOPE_ENDPOINT, 0, gpu, 1);
	dmar_close(&d);
	dmar_put(&d, atsr, sizeof(atsr));
	dmar_drhd(&d, ACPI_DMAR_DRHD_INCLUDE_PCI_ALL, 1, 0, 0xfed91000);
	dmar_close(&d);
	assert_int_equal(parse_dmar(&d, &info), ACPI_OK);
	assert_int_equal(info.dmar.status, ACPI_OK);
	assert_true(info.dmar.present);
	assert_int_equal(info.dmar.host_addr_width, 39);
	assert_int_equal(info.dmar.flags, ACPI_DMAR_INTR_REMAP);
	assert_int_equal(info.dmar.unit_count, 2);
	assert_int_equal(info.dmar.rmrr_count, 1);
	assert_int_equal(info.dmar.other_count, 1);
	u = &info.dmar.units[0];
	assert_int_equal(pa_addr(u->base), 0xfed90000);
	assert_false(u->include_all);
	assert_int_equal(u->scope_count, 3);
	assert_int_equal(u->scopes[0].type, ACPI_DMAR_SCOPE_ENDPOINT);
	assert_int_equal(u->scopes[0].path_len, 1);
	assert_int_equal(u->scopes[0].path[0], 4 << 3);
	assert_int_equal(u->scopes[1].type, ACPI_DMAR_SCOPE_BRIDGE);
	assert_int_equal(u->scopes[1].path_len, 2);
	assert_int_equal(u->scopes[1].path[0], 0x1c << 3);
	assert_int_equal(u->scopes[1].path[1], 0);
	assert_int_equal(u->scopes[2].start_bus, 0xf0);
	assert_int_equal(u->scopes[2].path[0], 0x1f << 3 | 7);
	assert_int_equal(u->scopes[2].enum_id, 7);
	u = &info.dmar.units[1];
	assert_int_equal(pa_addr(u->base), 0xfed91000);
	assert_true(u->include_all);
	assert_int_equal(u->size, 1);
	assert_int_equal(u->scope_count, 0);
}

/* A DMAR whose only fault is described by `breakage`, then checked. */
static void expect_bad_dmar(struct dmar_buf *d, enum acpi_error want)
{
	struct acpi_info info;

	assert_int_equal(parse_dmar(d, &info), ACPI_OK); /* MADT is fine */
	assert_int_equal(info.dmar.status, want);
	assert_false(info.dmar.present);
	assert_int_equal(info.dmar.unit_count, 0);
	check_std_madt(&info.madt);
}

static void test_dmar_malformed(void **state)
{
	static const uint8_t nic[] = {4, 0}, bad_dev[] = {32, 0};
	static const uint8_t bad_fn[] = {4, 8};
	struct dmar_buf d;
	uint16_t v;

	/* A structure shorter than its header, of length 0, past the end. */
	for (unsigned len = 0; len < 4; len++) {
		dmar_begin(&d, 38, 0);
		v = (uint16_t)len;
		dmar_put(&d, (uint16_t[]){ACPI_DMAR_TYPE_DRHD, v}, 4);
		expect_bad_dmar(&d, ACPI_ERR_DMAR_ENTRY);
	}
	dmar_begin(&d, 38, 0);
	dmar_drhd(&d, 0, 0, 0, 0xfed90000);
	d.b[d.open + 2] = 40; /* says 40, the table holds 16 */
	expect_bad_dmar(&d, ACPI_ERR_DMAR_ENTRY);
	/* A DRHD too short for its fields. */
	dmar_begin(&d, 38, 0);
	dmar_drhd(&d, 0, 0, 0, 0xfed90000);
	d.b[d.open + 2] = 8;
	expect_bad_dmar(&d, ACPI_ERR_DMAR_ENTRY);
	/* Register base 0 or not page aligned. */
	dmar_begin(&d, 38, 0);
	dmar_drhd(&d, 0, 0, 0, 0);
	expect_bad_dmar(&d, ACPI_ERR_DMAR_UNIT);
	dmar_begin(&d, 38, 0);
	dmar_drhd(&d, 0, 0, 0, 0xfed90010);
	expect_bad_dmar(&d, ACPI_ERR_DMAR_UNIT);
	/* Scopes: bad device, bad function, odd path, short, overrunning. */
	dmar_begin(&d, 38, 0);
	dmar_drhd(&d, 0, 0, 0, 0xfed90000);
	dmar_scope(&d, ACPI_DMAR_SCOPE_ENDPOINT, 0, bad_dev, 1);
	dmar_close(&d);
	expect_bad_dmar(&d, ACPI_ERR_DMAR_SCOPE);
	dmar_begin(&d, 38, 0);
	dmar_drhd(&d, 0, 0, 0, 0xfed90000);
	dmar_scope(&d, ACPI_DMAR_SCOPE_ENDPOINT, 0, bad_fn, 1);
	dmar_close(&d);
	expect_bad_dmar(&d, ACPI_ERR_DMAR_SCOPE);
	for (uint8_t len = 0; len < 9; len += 7) { /* 0 and 7 */
		dmar_begin(&d, 38, 0);
		dmar_drhd(&d, 0, 0, 0, 0xfed90000);
		dmar_scope(&d, ACPI_DMAR_SCOPE_ENDPOINT, 0, nic, 1);
		d.b[d.len - 7] = len;
		if (len == 7)
			dmar_put(&d, nic, 1);
		dmar_close(&d);
		expect_bad_dmar(&d, ACPI_ERR_DMAR_SCOPE);
	}
	dmar_begin(&d, 38, 0);
	dmar_drhd(&d, 0, 0, 0, 0xfed90000);
	dmar_scope(&d, ACPI_DMAR_SCOPE_ENDPOINT, 0, nic, 1);
	dmar_close(&d);
	d.b[d.len - 7] = 10; /* past its DRHD (and the table) */
	expect_bad_dmar(&d, ACPI_ERR_DMAR_SCOPE);
	/* The same checks inside an RMRR. */
	dmar_begin(&d, 38, 0);
	dmar_rmrr(&d, 0xa0000, 0xbffff);
	dmar_scope(&d, ACPI_DMAR_SCOPE_ENDPOINT, 0, bad_dev, 1);
	dmar_close(&d);
	expect_bad_dmar(&d, ACPI_ERR_DMAR_SCOPE);
	/* A table too short for the DMAR header. */
	dmar_begin(&d, 38, 0);
	d.len = 8;
	expect_bad_dmar(&d, ACPI_ERR_TABLE_LEN);
}

static void test_dmar_limits(void **state)
{
	static const uint8_t long_path[] = {1, 0, 2, 0, 3, 0, 4, 0, 5, 0};
	static const uint8_t nic[] = {4, 0};
	struct acpi_info info;
	struct dmar_buf d;

	dmar_begin(&d, 47, 0);
	for (unsigned i = 0; i < ACPI_MAX_DRHD + 1; i++) {
		dmar_drhd(&d, 0, 0, 0, 0xfed90000 + 0x1000 * i);
		dmar_close(&d);
	}
	assert_int_equal(parse_dmar(&d, &info), ACPI_OK);
	assert_true(info.dmar.present);
	assert_int_equal(info.dmar.host_addr_width, 48);
	assert_int_equal(info.dmar.unit_count, ACPI_MAX_DRHD);
	assert_int_equal(info.dmar.unit_dropped, 1);
	acpi_log(&info);
	assert_non_null(
	    strstr(fake_log, "1 DMAR units over the limit dropped"));

	dmar_begin(&d, 38, 0);
	dmar_drhd(&d, 0, 0, 0, 0xfed90000);
	for (unsigned i = 0; i < ACPI_DMAR_MAX_SCOPES + 1; i++)
		dmar_scope(&d, ACPI_DMAR_SCOPE_ENDPOINT, 0, nic, 1);
	dmar_scope(&d, ACPI_DMAR_SCOPE_BRIDGE, 0, long_path, 5);
	dmar_scope(&d, ACPI_DMAR_SCOPE_NAMESPACE, 0, nic, 0);
	dmar_close(&d);
	assert_int_equal(parse_dmar(&d, &info), ACPI_OK);
	assert_true(info.dmar.present);
	assert_int_equal(info.dmar.units[0].scope_count, ACPI_DMAR_MAX_SCOPES);
	assert_int_equal(info.dmar.units[0].scope_dropped, 3);
}

/* The parser alone, on exact-size heap copies (ASan watches the ends). */
static void test_dmar_parse_direct(void **state)
{
	static const uint8_t nic[] = {4, 0};
	struct acpi_table_dmar h = {.host_addr_width = 38};
	struct acpi_dmar_info info = {0};
	struct dmar_buf d;
	uint8_t *copy;

	dmar_begin(&d, 38, 0);
	dmar_drhd(&d, ACPI_DMAR_DRHD_INCLUDE_PCI_ALL, 0, 0, 0xfed90000);
	dmar_scope(&d, ACPI_DMAR_SCOPE_ENDPOINT, 0, nic, 1);
	dmar_close(&d);
	copy = malloc(sizeof(struct acpi_sdt_header) + d.len);
	memcpy(copy, &h, sizeof(struct acpi_sdt_header));
	memcpy(copy + sizeof(struct acpi_sdt_header), d.b, d.len);
	/* Every shorter length: only the bare header is a valid table. */
	for (uint32_t len = 0; len < sizeof(struct acpi_sdt_header) + d.len;
	     len++) {
		uint8_t *cut = malloc(len ? len : 1);
		enum acpi_error err;

		memcpy(cut, copy, len);
		err = acpi_dmar_parse(cut, len, &info);
		assert_int_equal(err == ACPI_OK, len == sizeof(h));
		assert_int_equal(info.unit_count, 0);
		free(cut);
	}
	assert_int_equal(acpi_dmar_parse(copy,
					 sizeof(struct acpi_sdt_header) + d.len,
					 &info),
			 ACPI_OK);
	assert_int_equal(info.unit_count, 1);
	assert_true(info.units[0].include_all);
	free(copy);
}

/* ---- IRQ routing, strings, log ---- */

static void test_irq_to_gsi(void **state)
{
	uint64_t t[1] = {put_std_madt()};
	struct acpi_rsdp r = make_rsdp(0, put_rsdt(t, 1), 0);
	struct acpi_info info;
	uint32_t gsi = 99;
	uint16_t flags = 99;

	assert_int_equal(parse(&r, ACPI_RSDP_V1_LEN, &info), ACPI_OK);
	/* The PIT's IRQ 0 is wired to GSI 2. */
	assert_int_equal(acpi_irq_to_gsi(&info, 0, &gsi, &flags), ACPI_OK);
	assert_int_equal(gsi, 2);
	assert_int_equal(flags, 0);
	/* SCI: level triggered, active high. */
	assert_int_equal(acpi_irq_to_gsi(&info, 9, &gsi, &flags), ACPI_OK);
	assert_int_equal(gsi, 9);
	assert_true(acpi_inti_level(flags));
	assert_false(acpi_inti_active_low(flags));
	/* COM1: no override, identity with ISA defaults. */
	assert_int_equal(acpi_irq_to_gsi(&info, 4, &gsi, &flags), ACPI_OK);
	assert_int_equal(gsi, 4);
	assert_int_equal(flags, 0);
	assert_false(acpi_inti_level(flags));

	gsi = 77;
	assert_int_equal(acpi_irq_to_gsi(&info, 16, &gsi, &flags),
			 ACPI_ERR_IRQ_RANGE);
	assert_int_equal(gsi, 77);
}

static void test_irq_to_gsi_no_overrides(void **state)
{
	struct acpi_info info;
	uint32_t gsi;
	uint16_t flags;

	memset(&info, 0, sizeof(info));
	for (unsigned irq = 0; irq < ACPI_ISA_IRQ_COUNT; irq++) {
		assert_int_equal(acpi_irq_to_gsi(&info, irq, &gsi, &flags),
				 ACPI_OK);
		assert_int_equal(gsi, irq);
		assert_int_equal(flags, 0);
	}
}

static void test_strerror(void **state)
{
	for (int e = 0; e < ACPI_ERR_COUNT; e++) {
		assert_non_null(acpi_strerror(e));
		assert_string_not_equal(acpi_strerror(e), "unknown error");
	}
	assert_string_equal(acpi_strerror(ACPI_ERR_COUNT), "unknown error");
	assert_string_equal(acpi_strerror((enum acpi_error) - 1),
			    "unknown error");
}

static void test_log(void **state)
{
	uint64_t t[2] = {put_std_madt(), put_dmar()};
	struct acpi_rsdp r = make_rsdp(0, put_rsdt(t, 2), 0);
	struct acpi_info info;

	img_ptr(t[1])[40] ^= 1;
	assert_int_equal(parse(&r, ACPI_RSDP_V1_LEN, &info), ACPI_OK);
	acpi_log(&info);
	assert_non_null(strstr(fake_log, "OEM 'BOCHS '"));
	assert_non_null(strstr(fake_log, "2 CPUs, 1 IO APICs"));
	assert_non_null(strstr(fake_log, "DMAR ignored: table checksum"));
	assert_null(strstr(fake_log, "MCFG"));

	/* After an early failure there is nothing but that to report. */
	fake_log_clear();
	r.checksum++;
	assert_int_equal(parse(&r, ACPI_RSDP_V1_LEN, &info),
			 ACPI_ERR_RSDP_CHECKSUM);
	acpi_log(&info);
	assert_string_equal(fake_log, "ACPI: no tables read\n");
}

/* Firmware strings are made printable before they can reach the log. */
static void test_oem_id_sanitised(void **state)
{
	uint64_t t[1] = {put_std_madt()};
	struct acpi_rsdp r = make_rsdp(0, put_rsdt(t, 1), 0);
	struct acpi_info info;

	r.oem_id[1] = '\n';
	r.oem_id[2] = (char)0xff;
	r.checksum = 0;
	r.checksum = -sum_bytes(&r, ACPI_RSDP_V1_LEN);
	assert_int_equal(parse(&r, ACPI_RSDP_V1_LEN, &info), ACPI_OK);
	assert_string_equal(info.oem_id, "B??HS ");
}

#define T(fn) cmocka_unit_test_setup(fn, setup)

int main(void)
{
	const struct CMUnitTest tests[] = {
	    T(test_v1_rsdt),
	    T(test_v2_xsdt_preferred),
	    T(test_v2_xsdt_only),
	    T(test_v2_rsdp_short_copy_uses_rsdt),
	    T(test_v2_zero_xsdt_uses_rsdt),
	    T(test_bad_xsdt_falls_back_to_rsdt),
	    T(test_bad_rsdp),
	    T(test_bad_root),
	    T(test_root_entries_unreadable),
	    T(test_duplicate_table_first_wins),
	    T(test_madt_all_entry_types),
	    T(test_madt_entry_len_zero),
	    T(test_madt_entry_len_one),
	    T(test_madt_entry_short_for_type),
	    T(test_madt_entry_overrun),
	    T(test_madt_too_short),
	    T(test_madt_empty),
	    T(test_too_many_entries),
	    T(test_missing_madt),
	    T(test_bad_madt_checksum),
	    T(test_truncated_table),
	    T(test_table_length_bounds),
	    T(test_mcfg_two_segments),
	    T(test_missing_mcfg),
	    T(test_mcfg_too_many),
	    T(test_mcfg_bad),
	    T(test_dmar),
	    T(test_dmar_units),
	    T(test_dmar_malformed),
	    T(test_dmar_limits),
	    T(test_dmar_parse_direct),
	    T(test_irq_to_gsi),
	    T(test_irq_to_gsi_no_overrides),
	    T(test_strerror),
	    T(test_log),
	    T(test_oem_id_sanitised),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
