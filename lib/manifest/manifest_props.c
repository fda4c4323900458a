// SPDX-License-Identifier: GPL-2.0-only
/*
 * Decoders for the manifest's property values: cells, strings, string
 * lists, and the domain's list properties (capabilities, hardware
 * resources, virtual devices, dependencies). Each checks the value's length
 * before reading it, and reports (never stops at) what is wrong. Cells are
 * read with fdt32_ld(), which loads bytes, so a blob at any alignment is
 * fine.
 */
#include <atoll/caps.h>
#include "manifest_internal.h"

#define CELL 4

bool manifest_get_u32(struct manifest *m, const struct manifest_prop *p,
		      uint32_t *out)
{
	if (p->len != CELL) {
		PROP_ERR(m, p, MANIFEST_ERR_BAD_TYPE,
			 "expected one cell, got %d bytes", p->len);
		return false;
	}
	*out = fdt32_ld(p->val);
	return true;
}

/* Two cells, high first: memory sizes in KiB and /bits/ 64 hashes. */
bool manifest_get_u64(struct manifest *m, const struct manifest_prop *p,
		      uint64_t *out)
{
	const fdt32_t *c = p->val;

	if (p->len != 2 * CELL) {
		PROP_ERR(m, p, MANIFEST_ERR_BAD_TYPE,
			 "expected two cells <hi lo>, got %d bytes", p->len);
		return false;
	}
	*out = (uint64_t)fdt32_ld(&c[0]) << 32 | fdt32_ld(&c[1]);
	return true;
}

/* A list of NUL-terminated, non-empty strings filling the value exactly. */
static bool is_string_list(const struct manifest_prop *p)
{
	const char *s = p->val;
	int at = 0;

	if (p->len <= 0 || s[p->len - 1] != '\0')
		return false;
	while (at < p->len) {
		size_t n = strnlen(s + at, (size_t)(p->len - at));

		if (n == 0)
			return false;
		at += (int)n + 1;
	}
	return true;
}

bool manifest_get_string(struct manifest *m, const struct manifest_prop *p,
			 const char **out)
{
	if (!is_string_list(p) || strlen(p->val) + 1 != (size_t)p->len) {
		PROP_ERR(m, p, MANIFEST_ERR_BAD_TYPE,
			 "expected one non-empty string");
		return false;
	}
	*out = p->val;
	return true;
}

/*
 * Calls each(m, p, obj, string) for every string of a string-list value;
 * returns false (reported) if the value is not a string list.
 */
typedef void string_fn(struct manifest *m, const struct manifest_prop *p,
		       void *obj, const char *s);

static bool for_each_string(struct manifest *m, const struct manifest_prop *p,
			    void *obj, string_fn *each)
{
	const char *s = p->val;

	if (!is_string_list(p)) {
		PROP_ERR(m, p, MANIFEST_ERR_BAD_TYPE,
			 "expected a list of non-empty strings");
		return false;
	}
	for (int at = 0; at < p->len; at += (int)strlen(s + at) + 1)
		each(m, p, obj, s + at);
	return true;
}

/* Domain names: 1..31 of [a-z0-9_-], so they fit DOMAIN_NAME_MAX. */
bool manifest_check_name(struct manifest *m, const struct manifest_prop *p,
			 const char *name, size_t len)
{
	bool ok = len > 0 && len < MANIFEST_NAME_MAX;

	for (size_t i = 0; ok && i < len; i++) {
		char c = name[i];

		ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		     c == '_' || c == '-';
	}
	if (!ok)
		PROP_ERR(m, p, MANIFEST_ERR_BAD_VALUE,
			 "'%.*s' is not 1..31 of [a-z0-9_-]", (int)len, name);
	return ok;
}

/* Reports, and returns false, if *count has reached max. */
static bool room(struct manifest *m, const struct manifest_prop *p,
		 unsigned count, unsigned max)
{
	if (count < max)
		return true;
	PROP_ERR(m, p, MANIFEST_ERR_TOO_MANY, "more than %u entries", max);
	return false;
}

#define CAP_ENTRY(name, bit, text) {text, 1ULL << (bit)},
static const struct {
	const char *name;
	uint64_t bit;
} cap_table[] = {ATOLL_CAP_LIST(CAP_ENTRY)};

static void add_capability(struct manifest *m, const struct manifest_prop *p,
			   void *obj, const char *s)
{
	struct manifest_domain *d = obj;

	for (size_t i = 0; i < sizeof(cap_table) / sizeof(cap_table[0]); i++) {
		if (!strcmp(cap_table[i].name, s)) {
			d->caps |= cap_table[i].bit;
			return;
		}
	}
	PROP_ERR(m, p, MANIFEST_ERR_UNKNOWN_CAPABILITY,
		 "unknown capability '%.60s'", s);
}

void manifest_dom_capabilities(struct manifest *m,
			       const struct manifest_prop *p, void *obj)
{
	for_each_string(m, p, obj, add_capability);
}

/* Checks that the value is a whole number of cells-entries, >= 1. */
static bool cell_tuples(struct manifest *m, const struct manifest_prop *p,
			int cells, const char *shape)
{
	if (p->len > 0 && p->len % (cells * CELL) == 0)
		return true;
	PROP_ERR(m, p, MANIFEST_ERR_BAD_TYPE, "expected one or more %s", shape);
	return false;
}

void manifest_dom_ioports(struct manifest *m, const struct manifest_prop *p,
			  void *obj)
{
	struct manifest_domain *d = obj;
	const fdt32_t *c = p->val;

	if (!cell_tuples(m, p, 2, "<base count>"))
		return;
	for (int i = 0; i < p->len / CELL; i += 2) {
		uint32_t base = fdt32_ld(&c[i]), count = fdt32_ld(&c[i + 1]);

		if (count == 0 || base >= MANIFEST_IOPORT_LIMIT ||
		    count > MANIFEST_IOPORT_LIMIT - base) {
			PROP_ERR(m, p, MANIFEST_ERR_BAD_VALUE,
				 "ports 0x%x+%u not inside 0..0xffff", base,
				 count);
		} else if (room(m, p, d->ioport_count, MANIFEST_MAX_IOPORTS)) {
			d->ioports[d->ioport_count++] =
			    (struct manifest_ioport){base, count};
		}
	}
}

static uint64_t cells64(const fdt32_t *c)
{
	return (uint64_t)fdt32_ld(&c[0]) << 32 | fdt32_ld(&c[1]);
}

void manifest_dom_mmio(struct manifest *m, const struct manifest_prop *p,
		       void *obj)
{
	struct manifest_domain *d = obj;
	const fdt32_t *c = p->val;

	if (!cell_tuples(m, p, 4, "<addr-hi addr-lo size-hi size-lo>"))
		return;
	for (int i = 0; i < p->len / CELL; i += 4) {
		uint64_t addr = cells64(&c[i]), size = cells64(&c[i + 2]);

		if (size == 0 || (addr | size) % MANIFEST_MMIO_ALIGN ||
		    size - 1 > UINT64_MAX - addr) {
			PROP_ERR(m, p, MANIFEST_ERR_BAD_VALUE,
				 "MMIO 0x%llx+0x%llx not page-aligned, empty "
				 "or wrapping",
				 (unsigned long long)addr,
				 (unsigned long long)size);
		} else if (room(m, p, d->mmio_count, MANIFEST_MAX_MMIO)) {
			d->mmio[d->mmio_count++] =
			    (struct manifest_mmio){addr, size};
		}
	}
}

void manifest_dom_irqs(struct manifest *m, const struct manifest_prop *p,
		       void *obj)
{
	struct manifest_domain *d = obj;
	const fdt32_t *c = p->val;

	if (!cell_tuples(m, p, 1, "<irq>"))
		return;
	for (int i = 0; i < p->len / CELL; i++) {
		uint32_t irq = fdt32_ld(&c[i]);

		if (irq >= MANIFEST_IRQ_LIMIT)
			PROP_ERR(m, p, MANIFEST_ERR_BAD_VALUE,
				 "IRQ %u is not below %u", irq,
				 MANIFEST_IRQ_LIMIT);
		else if (room(m, p, d->irq_count, MANIFEST_MAX_IRQS))
			d->irqs[d->irq_count++] = irq;
	}
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Reads n hex digits at s; -1 if any is not one. */
static long hex_field(const char *s, int n)
{
	long v = 0;

	for (int i = 0; i < n; i++) {
		int h = hex_digit(s[i]);

		if (h < 0)
			return -1;
		v = v * 16 + h;
	}
	return v;
}

/* "SSSS:BB:DD.F", exactly, the form lspci -D and xl use. */
static bool parse_sbdf(const char *s, struct manifest_pci *pci)
{
	long seg, bus, dev, fn;

	if (strlen(s) != 12 || s[4] != ':' || s[7] != ':' || s[10] != '.')
		return false;
	seg = hex_field(s, 4);
	bus = hex_field(s + 5, 2);
	dev = hex_field(s + 8, 2);
	fn = hex_field(s + 11, 1);
	if (seg < 0 || bus < 0 || dev < 0 || dev > 0x1f || fn < 0 || fn > 7)
		return false;
	*pci = (struct manifest_pci){s, (uint16_t)seg, (uint8_t)bus,
				     (uint8_t)dev, (uint8_t)fn};
	return true;
}

static void add_pci(struct manifest *m, const struct manifest_prop *p,
		    void *obj, const char *s)
{
	struct manifest_domain *d = obj;
	struct manifest_pci pci;

	if (!parse_sbdf(s, &pci))
		PROP_ERR(m, p, MANIFEST_ERR_BAD_VALUE,
			 "'%.40s' is not SSSS:BB:DD.F", s);
	else if (room(m, p, d->pci_count, MANIFEST_MAX_PCI))
		d->pci[d->pci_count++] = pci;
}

void manifest_dom_pci(struct manifest *m, const struct manifest_prop *p,
		      void *obj)
{
	for_each_string(m, p, obj, add_pci);
}

/*
 * A vif or vbd string is "key=value,..."; only backend= is read here (the
 * backend domain interprets the rest), and it must be there.
 */
static bool find_backend(const char *s, struct manifest_vdev *v)
{
	static const char key[] = "backend=";
	const char *at = s;

	while (at) {
		if (!strncmp(at, key, sizeof(key) - 1)) {
			const char *end = strchr(at, ',');

			v->backend = at + sizeof(key) - 1;
			v->backend_len = end ? (uint32_t)(end - v->backend)
					     : (uint32_t)strlen(v->backend);
			return true;
		}
		at = strchr(at, ',');
		at = at ? at + 1 : NULL;
	}
	return false;
}

static void add_vdev(struct manifest *m, const struct manifest_prop *p,
		     struct manifest_vdev *list, uint8_t *count, unsigned max,
		     const char *s)
{
	struct manifest_vdev v = {.spec = s, .backend_domain = -1};

	if (!find_backend(s, &v)) {
		PROP_ERR(m, p, MANIFEST_ERR_BAD_VALUE,
			 "'%.50s' has no backend=", s);
		return;
	}
	if (!manifest_check_name(m, p, v.backend, v.backend_len))
		return;
	if (room(m, p, *count, max))
		list[(*count)++] = v;
}

static void add_vif(struct manifest *m, const struct manifest_prop *p,
		    void *obj, const char *s)
{
	struct manifest_domain *d = obj;

	add_vdev(m, p, d->vifs, &d->vif_count, MANIFEST_MAX_VIFS, s);
}

static void add_vbd(struct manifest *m, const struct manifest_prop *p,
		    void *obj, const char *s)
{
	struct manifest_domain *d = obj;

	add_vdev(m, p, d->vbds, &d->vbd_count, MANIFEST_MAX_VBDS, s);
}

void manifest_dom_vifs(struct manifest *m, const struct manifest_prop *p,
		       void *obj)
{
	for_each_string(m, p, obj, add_vif);
}

void manifest_dom_vbds(struct manifest *m, const struct manifest_prop *p,
		       void *obj)
{
	for_each_string(m, p, obj, add_vbd);
}

static void add_dep(struct manifest *m, const struct manifest_prop *p,
		    void *obj, const char *s)
{
	struct manifest_domain *d = obj;

	if (manifest_check_name(m, p, s, strlen(s)) &&
	    room(m, p, d->dep_count, MANIFEST_MAX_DEPS)) {
		d->dep_index[d->dep_count] = -1;
		d->depends_on[d->dep_count++] = s;
	}
}

void manifest_dom_depends(struct manifest *m, const struct manifest_prop *p,
			  void *obj)
{
	for_each_string(m, p, obj, add_dep);
}
