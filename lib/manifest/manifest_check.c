// SPDX-License-Identifier: GPL-2.0-only
/*
 * What the manifest reader checks once every domain is read: unique names,
 * dependencies that exist and do not loop, backends that exist, memory
 * that fits the machine, hardware resources given to one domain only,
 * modules that exist and carry a hash when one is asked for. Also the boot
 * order, error recording and manifest_strerror().
 */
#include "manifest_internal.h"

static const char *const error_text[MANIFEST_ERR_COUNT] = {
    [MANIFEST_OK] = "no error",
    [MANIFEST_ERR_BAD_DTB] = "malformed device tree blob",
    [MANIFEST_ERR_NO_HYPERVISOR] = "no /chosen/hypervisor node",
    [MANIFEST_ERR_UNKNOWN_NODE] = "unknown node",
    [MANIFEST_ERR_UNKNOWN_PROPERTY] = "unknown property",
    [MANIFEST_ERR_BAD_TYPE] = "wrong property type or length",
    [MANIFEST_ERR_MISSING_PROPERTY] = "missing required property",
    [MANIFEST_ERR_MISSING_NODE] = "missing required node",
    [MANIFEST_ERR_BAD_VALUE] = "bad value",
    [MANIFEST_ERR_TOO_MANY] = "too many entries",
    [MANIFEST_ERR_UNKNOWN_CAPABILITY] = "unknown capability",
    [MANIFEST_ERR_DUPLICATE_NAME] = "duplicate domain name",
    [MANIFEST_ERR_UNKNOWN_DEPENDENCY] = "dependency names no domain",
    [MANIFEST_ERR_DEPENDENCY_CYCLE] = "dependency cycle",
    [MANIFEST_ERR_MEMORY_OVER_MAX] = "domain memory over its max-memory",
    [MANIFEST_ERR_OVER_MACHINE_MEMORY] = "sum of memory over machine-memory",
    [MANIFEST_ERR_RESOURCE_CONFLICT] = "resource given to two domains",
    [MANIFEST_ERR_UNKNOWN_BACKEND] = "backend names no domain",
    [MANIFEST_ERR_MODULE_INDEX] = "no such boot module",
    [MANIFEST_ERR_MISSING_HASH] = "module has no hash",
};

const char *manifest_strerror(enum manifest_error_code code)
{
	if ((unsigned)code >= MANIFEST_ERR_COUNT)
		return "unknown manifest error";
	return error_text[code];
}

static void copy_string(char *dst, size_t size, const char *src)
{
	size_t n = strnlen(src, size - 1);

	memcpy(dst, src, n);
	dst[n] = '\0';
}

/* The node's full path, or just its name if the path does not fit. */
static void node_path(const struct manifest *m, int node, char *buf,
		      size_t size)
{
	const char *name;

	if (node < 0) {
		copy_string(buf, size, "/");
		return;
	}
	if (fdt_get_path(m->blob, node, buf, (int)size) == 0)
		return;
	name = fdt_get_name(m->blob, node, NULL);
	copy_string(buf, size, name ? name : "?");
}

void manifest_report(struct manifest *m, enum manifest_error_code code,
		     int node, const char *property, const char *fmt, ...)
{
	struct manifest_error *e;
	va_list ap;

	if (m->error_count == MANIFEST_MAX_ERRORS) {
		m->errors_dropped++;
		return;
	}
	e = &m->errors[m->error_count++];
	e->code = code;
	e->node_offset = node;
	node_path(m, node, e->path, sizeof(e->path));
	copy_string(e->property, sizeof(e->property), property);
	va_start(ap, fmt);
	vsnprintf(e->detail, sizeof(e->detail), fmt, ap);
	va_end(ap);
}

static const char *label(const struct manifest_domain *d)
{
	return d->name ? d->name : "(unnamed)";
}

/* Index of the domain named name[0..len), or -1. */
static int find_domain(const struct manifest *m, const char *name, size_t len)
{
	for (unsigned i = 0; i < m->domain_count; i++) {
		const char *n = m->domains[i].name;

		if (n && strlen(n) == len && !strncmp(n, name, len))
			return (int)i;
	}
	return -1;
}

static void check_names(struct manifest *m)
{
	for (unsigned i = 0; i < m->domain_count; i++) {
		const struct manifest_domain *d = &m->domains[i];
		int first;

		if (!d->name)
			continue;
		first = find_domain(m, d->name, strlen(d->name));
		if (first != (int)i)
			manifest_report(m, MANIFEST_ERR_DUPLICATE_NAME,
					d->node_offset, "domain-name",
					"'%s' is already an earlier domain's",
					d->name);
	}
}

static void resolve_deps(struct manifest *m, struct manifest_domain *d)
{
	for (unsigned j = 0; j < d->dep_count; j++) {
		const char *dep = d->depends_on[j];

		d->dep_index[j] = find_domain(m, dep, strlen(dep));
		if (d->dep_index[j] < 0)
			manifest_report(m, MANIFEST_ERR_UNKNOWN_DEPENDENCY,
					d->node_offset, "depends-on",
					"no domain named '%s'", dep);
	}
}

static void resolve_vdevs(struct manifest *m, const struct manifest_domain *d,
			  struct manifest_vdev *v, unsigned count,
			  const char *property)
{
	for (unsigned j = 0; j < count; j++) {
		v[j].backend_domain =
		    find_domain(m, v[j].backend, v[j].backend_len);
		if (v[j].backend_domain < 0)
			manifest_report(m, MANIFEST_ERR_UNKNOWN_BACKEND,
					d->node_offset, property,
					"no domain named '%.*s'",
					(int)v[j].backend_len, v[j].backend);
	}
}

static void resolve_names(struct manifest *m)
{
	for (unsigned i = 0; i < m->domain_count; i++) {
		struct manifest_domain *d = &m->domains[i];

		resolve_deps(m, d);
		resolve_vdevs(m, d, d->vifs, d->vif_count, "vifs");
		resolve_vdevs(m, d, d->vbds, d->vbd_count, "vbds");
	}
}

/* --- boot order and cycles --- */

static bool deps_met(const struct manifest *m, unsigned i, const bool *done)
{
	const struct manifest_domain *d = &m->domains[i];

	for (unsigned j = 0; j < d->dep_count; j++) {
		int k = d->dep_index[j];

		if (k >= 0 && (unsigned)k < m->domain_count && !done[k])
			return false;
	}
	return true;
}

/*
 * Kahn's algorithm, taking at each step the first ready domain in document
 * order. n is how many are already placed; returns how many are placed
 * when no more can be.
 */
static unsigned place_ready(const struct manifest *m, bool *done,
			    uint8_t *order, unsigned n)
{
	unsigned i = 0;

	while (i < m->domain_count) {
		if (!done[i] && deps_met(m, i, done)) {
			done[i] = true;
			order[n++] = (uint8_t)i;
			i = 0;
		} else {
			i++;
		}
	}
	return n;
}

enum manifest_error_code
manifest_boot_order(const struct manifest *m,
		    uint8_t order[MANIFEST_MAX_DOMAINS], unsigned *placed)
{
	bool done[MANIFEST_MAX_DOMAINS] = {false};

	*placed = place_ready(m, done, order, 0);
	return *placed == m->domain_count ? MANIFEST_OK
					  : MANIFEST_ERR_DEPENDENCY_CYCLE;
}

/* An unplaced domain that i depends on (every stuck domain has one). */
static unsigned stuck_dep(const struct manifest *m, unsigned i,
			  const bool *done)
{
	const struct manifest_domain *d = &m->domains[i];

	for (unsigned j = 0; j < d->dep_count; j++) {
		int k = d->dep_index[j];

		if (k >= 0 && (unsigned)k < m->domain_count && !done[k])
			return (unsigned)k;
	}
	return i; /* not reached while i is stuck */
}

/*
 * Follows unplaced dependencies from the first stuck domain until one
 * repeats: that one is on a cycle. Reports the cycle by name and marks
 * its members done, so that the caller can look for further cycles.
 */
static void report_cycle(struct manifest *m, bool *done)
{
	bool seen[MANIFEST_MAX_DOMAINS] = {false};
	uint8_t cycle[MANIFEST_MAX_DOMAINS];
	char text[sizeof(m->errors[0].detail)] = "";
	unsigned cur = 0, count = 0, len = 0;

	while (done[cur])
		cur++;
	for (; !seen[cur]; cur = stuck_dep(m, cur, done))
		seen[cur] = true;
	do {
		cycle[count++] = (uint8_t)cur;
		cur = stuck_dep(m, cur, done);
	} while (cur != cycle[0]);
	for (unsigned i = 0; i < count && len < sizeof(text); i++) {
		int w = snprintf(text + len, sizeof(text) - len, "%s -> ",
				 label(&m->domains[cycle[i]]));

		len += w > 0 ? (unsigned)w : 0;
	}
	for (unsigned i = 0; i < count; i++)
		done[cycle[i]] = true;
	manifest_report(m, MANIFEST_ERR_DEPENDENCY_CYCLE,
			m->domains[cycle[0]].node_offset, "depends-on", "%s%s",
			text, label(&m->domains[cycle[0]]));
}

static void check_cycles(struct manifest *m)
{
	bool done[MANIFEST_MAX_DOMAINS] = {false};
	uint8_t order[MANIFEST_MAX_DOMAINS];
	unsigned n = 0;

	while ((n = place_ready(m, done, order, n)) < m->domain_count) {
		report_cycle(m, done);
		n = 0;
		for (unsigned i = 0; i < m->domain_count; i++)
			n += done[i];
	}
}

/* --- memory --- */

static void check_machine_memory(struct manifest *m)
{
	uint64_t sum = 0;

	if (!m->has_machine_memory)
		return;
	for (unsigned i = 0; i < m->domain_count; i++) {
		uint64_t kib = m->domains[i].memory_kib;

		sum = kib > UINT64_MAX - sum ? UINT64_MAX : sum + kib;
	}
	if (sum > m->machine_memory_kib)
		manifest_report(m, MANIFEST_ERR_OVER_MACHINE_MEMORY,
				m->node_offset, "machine-memory",
				"domains need %llu KiB, machine has %llu KiB",
				(unsigned long long)sum,
				(unsigned long long)m->machine_memory_kib);
}

/* --- hardware resources: each given to one domain, once --- */

struct resource_kind {
	const char *property;
	unsigned (*count)(const struct manifest_domain *d);
	bool (*clash)(const struct manifest_domain *a, unsigned i,
		      const struct manifest_domain *b, unsigned j);
	void (*describe)(const struct manifest_domain *d, unsigned i, char *buf,
			 size_t size);
};

static unsigned ioport_count(const struct manifest_domain *d)
{
	return d->ioport_count;
}

static bool ioport_clash(const struct manifest_domain *a, unsigned i,
			 const struct manifest_domain *b, unsigned j)
{
	const struct manifest_ioport *x = &a->ioports[i], *y = &b->ioports[j];

	return x->base < y->base + y->count && y->base < x->base + x->count;
}

static void ioport_describe(const struct manifest_domain *d, unsigned i,
			    char *buf, size_t size)
{
	snprintf(buf, size, "ports 0x%x+%u", d->ioports[i].base,
		 d->ioports[i].count);
}

static unsigned mmio_count(const struct manifest_domain *d)
{
	return d->mmio_count;
}

/* Sizes are non-zero and ranges do not wrap (manifest_dom_mmio). */
static bool mmio_clash(const struct manifest_domain *a, unsigned i,
		       const struct manifest_domain *b, unsigned j)
{
	const struct manifest_mmio *x = &a->mmio[i], *y = &b->mmio[j];

	return x->addr <= y->addr + (y->size - 1) &&
	       y->addr <= x->addr + (x->size - 1);
}

static void mmio_describe(const struct manifest_domain *d, unsigned i,
			  char *buf, size_t size)
{
	snprintf(buf, size, "MMIO 0x%llx+0x%llx",
		 (unsigned long long)d->mmio[i].addr,
		 (unsigned long long)d->mmio[i].size);
}

static unsigned irq_count(const struct manifest_domain *d)
{
	return d->irq_count;
}

static bool irq_clash(const struct manifest_domain *a, unsigned i,
		      const struct manifest_domain *b, unsigned j)
{
	return a->irqs[i] == b->irqs[j];
}

static void irq_describe(const struct manifest_domain *d, unsigned i, char *buf,
			 size_t size)
{
	snprintf(buf, size, "IRQ %u", d->irqs[i]);
}

static unsigned pci_count(const struct manifest_domain *d)
{
	return d->pci_count;
}

static bool pci_clash(const struct manifest_domain *a, unsigned i,
		      const struct manifest_domain *b, unsigned j)
{
	const struct manifest_pci *x = &a->pci[i], *y = &b->pci[j];

	return x->segment == y->segment && x->bus == y->bus &&
	       x->dev == y->dev && x->fn == y->fn;
}

static void pci_describe(const struct manifest_domain *d, unsigned i, char *buf,
			 size_t size)
{
	snprintf(buf, size, "PCI %s", d->pci[i].text);
}

static const struct resource_kind resource_kinds[] = {
    {"ioports", ioport_count, ioport_clash, ioport_describe},
    {"mmio", mmio_count, mmio_clash, mmio_describe},
    {"irqs", irq_count, irq_clash, irq_describe},
    {"pci-devices", pci_count, pci_clash, pci_describe},
};

/* The first earlier entry (domain *owner) that entry j of b clashes with. */
static bool earlier_clash(const struct manifest *m,
			  const struct resource_kind *k, unsigned b, unsigned j,
			  unsigned *owner)
{
	for (unsigned a = 0; a <= b; a++) {
		const struct manifest_domain *da = &m->domains[a];
		unsigned end = a == b ? j : k->count(da);

		for (unsigned i = 0; i < end; i++) {
			if (k->clash(da, i, &m->domains[b], j)) {
				*owner = a;
				return true;
			}
		}
	}
	return false;
}

static void check_resource(struct manifest *m, const struct resource_kind *k)
{
	char what[48];
	unsigned owner;

	for (unsigned b = 0; b < m->domain_count; b++) {
		const struct manifest_domain *d = &m->domains[b];

		for (unsigned j = 0; j < k->count(d); j++) {
			if (!earlier_clash(m, k, b, j, &owner))
				continue;
			k->describe(d, j, what, sizeof(what));
			manifest_report(m, MANIFEST_ERR_RESOURCE_CONFLICT,
					d->node_offset, k->property,
					"%s overlaps one of '%s'", what,
					label(&m->domains[owner]));
		}
	}
}

/* --- modules --- */

/*
 * Source manifests only: numbers the images as vmctl image build/pack
 * will, 1, 2, ... by first appearance, one number per distinct string.
 */
static void number_images(struct manifest *m)
{
	for (unsigned i = 0; i < m->domain_count; i++) {
		struct manifest_module *mod = &m->domains[i].module;
		unsigned j;

		if (!m->domains[i].has_module || !mod->image)
			continue;
		for (j = 0; j < i; j++) {
			const struct manifest_module *e = &m->domains[j].module;

			if (m->domains[j].has_module && e->image &&
			    !strcmp(e->image, mod->image))
				break;
		}
		mod->index =
		    j < i ? m->domains[j].module.index : ++m->image_count;
		mod->has_index = true;
	}
}

/* In a source manifest the tools compute an image's hash. */
static bool hash_expected(const struct manifest *m,
			  const struct manifest_module *mod)
{
	return m->hash_algorithm != MANIFEST_HASH_NONE && !mod->has_hash &&
	       !(m->source && mod->image);
}

static void check_module(struct manifest *m, const struct manifest_module *mod,
			 int module_count)
{
	if (module_count >= 0 && mod->has_index &&
	    mod->index >= (unsigned)module_count)
		manifest_report(m, MANIFEST_ERR_MODULE_INDEX, mod->node_offset,
				"module-index",
				"%u, but there are %d boot modules "
				"(0 is the manifest)",
				mod->index, module_count);
	if (hash_expected(m, mod))
		manifest_report(m, MANIFEST_ERR_MISSING_HASH, mod->node_offset,
				"hash", "hash-algorithm is set");
}

static void check_modules(struct manifest *m, int module_count)
{
	bool hashed = false;

	if (m->source)
		number_images(m);
	for (unsigned i = 0; i < m->domain_count; i++) {
		const struct manifest_domain *d = &m->domains[i];

		if (!d->has_module)
			continue;
		check_module(m, &d->module, module_count);
		hashed |= d->module.has_hash;
	}
	if (hashed && m->hash_algorithm == MANIFEST_HASH_NONE)
		manifest_report(m, MANIFEST_ERR_MISSING_PROPERTY,
				m->node_offset, "hash-algorithm",
				"required when a module has a hash");
}

void manifest_check_all(struct manifest *m, int module_count)
{
	if (m->domain_count == 0)
		manifest_report(m, MANIFEST_ERR_MISSING_NODE, m->node_offset,
				"", "no domain@N nodes");
	check_names(m);
	resolve_names(m);
	check_cycles(m);
	check_machine_memory(m);
	for (size_t k = 0;
	     k < sizeof(resource_kinds) / sizeof(resource_kinds[0]); k++)
		check_resource(m, &resource_kinds[k]);
	check_modules(m, module_count);
}
