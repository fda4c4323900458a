// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target for the ACPI reader. The input is a small "physical
 * memory" image: physical address N is input byte N, and the RSDP sits at
 * address 0. Every mapping is handed out as an exact-size heap copy, so ASan
 * catches any read past a range the reader asked for.
 *
 * Random bytes almost never carry valid signatures, in-range addresses and
 * checksums, which would keep the fuzzer at the door. The last input byte
 * holds options. With OPT_REPAIR the harness first lays a plausible chain
 * over the bytes (RSDP, then an RSDT or XSDT per OPT_XSDT, then its leaf
 * tables) with fitting lengths and valid checksums, so the parsers behind
 * those checks see random contents. OPT_RSDP_V2 passes a 36-byte RSDP copy
 * instead of 20 bytes. Without OPT_REPAIR the bytes are used raw.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <arch/acpi.h>

#define OPT_REPAIR  0x1
#define OPT_RSDP_V2 0x2
#define OPT_XSDT    0x4

struct map_copy {
	struct map_copy *next;
	uint8_t data[];
};

struct image {
	const uint8_t *mem;
	size_t size;
	struct map_copy *copies;
};

static const void *image_map(uint64_t pa, uint64_t len, void *ctx)
{
	struct image *im = ctx;
	struct map_copy *c;

	if (len == 0 || pa > im->size || len > im->size - pa)
		return NULL;
	c = malloc(sizeof(*c) + len);
	if (!c)
		return NULL;
	memcpy(c->data, im->mem + pa, len);
	c->next = im->copies;
	im->copies = c;
	return c->data;
}

static void image_unmap_all(struct image *im)
{
	while (im->copies) {
		struct map_copy *c = im->copies;

		im->copies = c->next;
		free(c);
	}
}

static uint8_t sum_bytes(const uint8_t *p, size_t len)
{
	uint8_t s = 0;

	while (len--)
		s += *p++;
	return s;
}

/* Fold `v` into [lo, hi], hi >= lo. */
static uint64_t fold(uint64_t v, uint64_t lo, uint64_t hi)
{
	return lo + v % (hi - lo + 1);
}

static void fix_checksum(uint8_t *mem, uint64_t pa, uint32_t len)
{
	uint8_t *sum =
	    mem + pa + __builtin_offsetof(struct acpi_sdt_header, checksum);

	*sum = 0;
	*sum = -sum_bytes(mem + pa, len);
}

static const char *const leaf_sigs[] = {ACPI_SIG_MADT, ACPI_SIG_MCFG,
					ACPI_SIG_DMAR};

/*
 * Lay a leaf table out at `pa` (which has room for a header): a signature
 * picked by its first byte (or left as is), a length folded to fit below
 * `end`, a valid checksum. Returns the length.
 */
static uint32_t repair_leaf(uint8_t *mem, uint64_t pa, uint64_t end)
{
	struct acpi_sdt_header h;
	unsigned pick = mem[pa] % (ARRAY_SIZE(leaf_sigs) + 1);

	memcpy(&h, mem + pa, sizeof(h));
	if (pick < ARRAY_SIZE(leaf_sigs))
		memcpy(h.signature, leaf_sigs[pick], ACPI_SIG_LEN);
	h.length = fold(h.length, sizeof(h), end - pa);
	memcpy(mem + pa, &h, sizeof(h));
	fix_checksum(mem, pa, h.length);
	return h.length;
}

/*
 * The root table at `pa`: up to 8 entries, pointing at leaves laid out one
 * after the other behind it while they fit; the rest keep their raw values
 * folded into the image.
 */
static void repair_root(uint8_t *mem, size_t size, uint64_t pa, bool xsdt)
{
	const uint32_t esize =
	    xsdt ? ACPI_XSDT_ENTRY_SIZE : ACPI_RSDT_ENTRY_SIZE;
	struct acpi_sdt_header h;
	uint64_t next;
	uint32_t n;

	memcpy(&h, mem + pa, sizeof(h));
	memcpy(h.signature, xsdt ? ACPI_SIG_XSDT : ACPI_SIG_RSDT, ACPI_SIG_LEN);
	n = fold(h.length, 0, (size - pa - sizeof(h)) / esize);
	n = n < 8 ? n : 8;
	h.length = sizeof(h) + n * esize;
	memcpy(mem + pa, &h, sizeof(h));
	next = pa + h.length;
	for (uint32_t i = 0; i < n; i++) {
		uint8_t *e = mem + pa + sizeof(h) + i * esize;
		uint64_t leaf = 0;

		memcpy(&leaf, e, esize);
		leaf = fold(leaf, 0, size - 1);
		if (size - next >= sizeof(h)) {
			leaf = next;
			next += repair_leaf(mem, leaf, size);
		}
		memcpy(e, &leaf, esize);
	}
	fix_checksum(mem, pa, h.length);
}

/*
 * RSDP at 0, the root table chosen by `xsdt` right behind it, leaves behind
 * that. The other root address keeps its raw value folded into the image,
 * so fallbacks and odd pointers still get exercised.
 */
static void repair_image(uint8_t *mem, size_t size, bool xsdt)
{
	const uint64_t root = ACPI_RSDP_V2_LEN;
	struct acpi_rsdp r;

	if (size < root + sizeof(struct acpi_sdt_header))
		return;
	memcpy(&r, mem, sizeof(r));
	memcpy(r.signature, ACPI_RSDP_SIGNATURE, ACPI_RSDP_SIGNATURE_LEN);
	r.rsdt_addr = xsdt ? fold(r.rsdt_addr, 0, size - 1) : root;
	r.xsdt_addr = xsdt ? root : fold(r.xsdt_addr, 0, size - 1);
	if (xsdt) {
		r.revision = ACPI_RSDP_REV_XSDT;
		r.length = ACPI_RSDP_V2_LEN;
	}
	r.checksum = 0;
	r.checksum = -sum_bytes((const uint8_t *)&r, ACPI_RSDP_V1_LEN);
	r.ext_checksum = 0;
	r.ext_checksum = -sum_bytes((const uint8_t *)&r, ACPI_RSDP_V2_LEN);
	memcpy(mem, &r, sizeof(r));
	repair_root(mem, size, root, xsdt);
}

/* Properties that must hold whatever the input. */
static void check_info(enum acpi_error err, const struct acpi_info *info)
{
	const struct acpi_madt_info *m = &info->madt;
	uint32_t gsi;
	uint16_t flags;

	if (m->cpu_count > ACPI_MAX_CPUS ||
	    m->ioapic_count > ACPI_MAX_IOAPICS ||
	    m->override_count > ACPI_MAX_OVERRIDES ||
	    m->nmi_source_count > ACPI_MAX_NMI_SOURCES ||
	    m->lapic_nmi_count > ACPI_MAX_LAPIC_NMIS ||
	    info->mcfg.segment_count > ACPI_MAX_MCFG)
		__builtin_trap();
	if (err == ACPI_OK && m->status != ACPI_OK)
		__builtin_trap();
	if (info->oem_id[ACPI_OEM_ID_LEN] != '\0')
		__builtin_trap();
	if (info->dmar.present != (info->dmar.status == ACPI_OK))
		__builtin_trap();
	for (unsigned irq = 0; irq < ACPI_ISA_IRQ_COUNT; irq++) {
		if (acpi_irq_to_gsi(info, irq, &gsi, &flags) != ACPI_OK)
			__builtin_trap();
	}
	if (!acpi_strerror(m->status) || !acpi_strerror(info->mcfg.status))
		__builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct image im = {0};
	struct acpi_info info;
	enum acpi_error err;
	uint8_t *mem, *rsdp;
	size_t rsdp_len;
	uint8_t opt;

	if (size == 0)
		return 0;
	opt = data[size - 1];
	mem = malloc(size);
	if (!mem)
		return 0;
	memcpy(mem, data, size);
	if (opt & OPT_REPAIR)
		repair_image(mem, size, opt & OPT_XSDT);
	rsdp_len = (opt & OPT_RSDP_V2) ? ACPI_RSDP_V2_LEN : ACPI_RSDP_V1_LEN;
	if (rsdp_len > size)
		rsdp_len = size;
	rsdp = malloc(rsdp_len);
	if (rsdp) {
		memcpy(rsdp, mem, rsdp_len);
		im.mem = mem;
		im.size = size;
		err = acpi_parse(rsdp, rsdp_len, image_map, &im, &info);
		image_unmap_all(&im);
		check_info(err, &info);
		free(rsdp);
	}
	free(mem);
	return 0;
}
