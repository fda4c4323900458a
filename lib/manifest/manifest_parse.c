// SPDX-License-Identifier: GPL-2.0-only
/*
 * The manifest's tree walk: check the blob, find /chosen/hypervisor, read
 * its properties and its domain nodes, each domain's properties and its
 * module node. Each node kind has a table of the properties it may have;
 * anything else is reported, so a typo never silently falls back to a
 * default. Checks that need every domain (names, dependencies, resources,
 * modules) are in manifest_check.c.
 */
#include "manifest_internal.h"

/* One property a node may have; decode NULL means accepted and ignored. */
struct prop_rule {
	const char *name;
	manifest_decode_fn *decode;
	bool required;
};

#define RULE_COUNT(r) (sizeof(r) / sizeof((r)[0]))

/* fdt_stringlist_contains() accepts the usual list of compatibles. */
static void check_compatible(struct manifest *m, const struct manifest_prop *p,
			     const char *want)
{
	if (!fdt_stringlist_contains(p->val, p->len, want))
		PROP_ERR(m, p, MANIFEST_ERR_BAD_VALUE, "must include \"%s\"",
			 want);
}

/* Reads a u32 property into *out if it lies in [min, max]. */
static void get_ranged(struct manifest *m, const struct manifest_prop *p,
		       uint32_t min, uint32_t max, uint32_t *out)
{
	uint32_t v;

	if (!manifest_get_u32(m, p, &v))
		return;
	if (v < min || v > max)
		PROP_ERR(m, p, MANIFEST_ERR_BAD_VALUE, "%u is not in %u..%u", v,
			 min, max);
	else
		*out = v;
}

/* Reads a non-zero size in KiB. */
static void get_kib(struct manifest *m, const struct manifest_prop *p,
		    uint64_t *out)
{
	uint64_t v;

	if (!manifest_get_u64(m, p, &v))
		return;
	if (v == 0)
		PROP_ERR(m, p, MANIFEST_ERR_BAD_VALUE, "must not be 0 KiB");
	else
		*out = v;
}

/* --- /chosen/hypervisor --- */

static void hv_compatible(struct manifest *m, const struct manifest_prop *p,
			  void *obj)
{
	(void)obj; /* the value goes to m, not to a domain */
	check_compatible(m, p, MANIFEST_HYPERVISOR_COMPAT);
}

static void hv_bootargs(struct manifest *m, const struct manifest_prop *p,
			void *obj)
{
	(void)obj; /* the value goes to m, not to a domain */
	manifest_get_string(m, p, &m->bootargs);
}

static void hv_hash_algorithm(struct manifest *m, const struct manifest_prop *p,
			      void *obj)
{
	(void)obj; /* the value goes to m, not to a domain */
	const char *s;

	if (!manifest_get_string(m, p, &s))
		return;
	if (!strcmp(s, "xxh3-64"))
		m->hash_algorithm = MANIFEST_HASH_XXH3_64;
	else if (!strcmp(s, "xxh64"))
		m->hash_algorithm = MANIFEST_HASH_XXH64;
	else
		PROP_ERR(m, p, MANIFEST_ERR_BAD_VALUE,
			 "'%.40s' is not xxh3-64 or xxh64", s);
}

static void hv_machine_memory(struct manifest *m, const struct manifest_prop *p,
			      void *obj)
{
	(void)obj; /* the value goes to m, not to a domain */
	get_kib(m, p, &m->machine_memory_kib);
	m->has_machine_memory = m->machine_memory_kib != 0;
}

/* #address-cells/#size-cells let dtc check the domains' unit addresses. */
static const struct prop_rule hypervisor_rules[] = {
    {"compatible", hv_compatible, true},
    {"bootargs", hv_bootargs, false},
    {"hash-algorithm", hv_hash_algorithm, false},
    {"machine-memory", hv_machine_memory, false},
    {"#address-cells", NULL, false},
    {"#size-cells", NULL, false},
    {"phandle", NULL, false},
};

/*
 * --- domain@N ---
 * The domain's name is "domain-name", not "name": dtc treats "name" as the
 * legacy Open Firmware node name and refuses any value other than the
 * node's own base name ("domain").
 */

static void dom_compatible(struct manifest *m, const struct manifest_prop *p,
			   void *obj)
{
	(void)obj;
	check_compatible(m, p, MANIFEST_DOMAIN_COMPAT);
}

static void dom_name(struct manifest *m, const struct manifest_prop *p,
		     void *obj)
{
	struct manifest_domain *d = obj;
	const char *s;

	if (manifest_get_string(m, p, &s) &&
	    manifest_check_name(m, p, s, strlen(s)))
		d->name = s;
}

static void dom_memory(struct manifest *m, const struct manifest_prop *p,
		       void *obj)
{
	get_kib(m, p, &((struct manifest_domain *)obj)->memory_kib);
}

static void dom_max_memory(struct manifest *m, const struct manifest_prop *p,
			   void *obj)
{
	get_kib(m, p, &((struct manifest_domain *)obj)->max_memory_kib);
}

static void dom_cpus(struct manifest *m, const struct manifest_prop *p,
		     void *obj)
{
	get_ranged(m, p, 1, MANIFEST_MAX_CPUS,
		   &((struct manifest_domain *)obj)->cpus);
}

static void dom_weight(struct manifest *m, const struct manifest_prop *p,
		       void *obj)
{
	get_ranged(m, p, 1, MANIFEST_MAX_WEIGHT,
		   &((struct manifest_domain *)obj)->sched_weight);
}

/* The upper bound depends on cpus, so it is checked in finish_domain(). */
static void dom_cap(struct manifest *m, const struct manifest_prop *p,
		    void *obj)
{
	manifest_get_u32(m, p, &((struct manifest_domain *)obj)->sched_cap);
}

static void dom_restart(struct manifest *m, const struct manifest_prop *p,
			void *obj)
{
	struct manifest_domain *d = obj;
	const char *s;

	if (!manifest_get_string(m, p, &s))
		return;
	if (!strcmp(s, "never"))
		d->restart = MANIFEST_RESTART_NEVER;
	else if (!strcmp(s, "on-crash"))
		d->restart = MANIFEST_RESTART_ON_CRASH;
	else if (!strcmp(s, "always"))
		d->restart = MANIFEST_RESTART_ALWAYS;
	else
		PROP_ERR(m, p, MANIFEST_ERR_BAD_VALUE,
			 "'%.40s' is not never, on-crash or always", s);
}

static void dom_bootargs(struct manifest *m, const struct manifest_prop *p,
			 void *obj)
{
	manifest_get_string(m, p, &((struct manifest_domain *)obj)->bootargs);
}

/* Index of max-memory below, to apply its default. */
#define RULE_MAX_MEMORY 3

static const struct prop_rule domain_rules[] = {
    {"compatible", dom_compatible, true},
    {"domain-name", dom_name, true},
    {"memory", dom_memory, true},
    [RULE_MAX_MEMORY] = {"max-memory", dom_max_memory, false},
    {"cpus", dom_cpus, false},
    {"sched-weight", dom_weight, false},
    {"sched-cap", dom_cap, false},
    {"capabilities", manifest_dom_capabilities, false},
    {"ioports", manifest_dom_ioports, false},
    {"mmio", manifest_dom_mmio, false},
    {"irqs", manifest_dom_irqs, false},
    {"pci-devices", manifest_dom_pci, false},
    {"vifs", manifest_dom_vifs, false},
    {"vbds", manifest_dom_vbds, false},
    {"depends-on", manifest_dom_depends, false},
    {"restart", dom_restart, false},
    {"bootargs", dom_bootargs, false},
    {"reg", NULL, false},
    {"#address-cells", NULL, false},
    {"#size-cells", NULL, false},
    {"phandle", NULL, false},
};

/* --- module --- */

static void mod_compatible(struct manifest *m, const struct manifest_prop *p,
			   void *obj)
{
	(void)obj;
	check_compatible(m, p, MANIFEST_MODULE_COMPAT);
}

/*
 * Module 0 is the manifest; the upper bound is in manifest_check.c. A
 * present but bad value counts as given, so it is not also "missing".
 */
static void mod_index(struct manifest *m, const struct manifest_prop *p,
		      void *obj)
{
	struct manifest_module *mod = obj;

	mod->has_index = true;
	get_ranged(m, p, 1, UINT32_MAX, &mod->index);
}

/* A host path for the tools; the core reads nothing through it. */
static void mod_image(struct manifest *m, const struct manifest_prop *p,
		      void *obj)
{
	manifest_get_string(m, p, &((struct manifest_module *)obj)->image);
}

static void mod_hash(struct manifest *m, const struct manifest_prop *p,
		     void *obj)
{
	struct manifest_module *mod = obj;

	mod->has_hash = manifest_get_u64(m, p, &mod->hash);
}

/* module-index is required unless a source manifest gives an image. */
static const struct prop_rule module_rules[] = {
    {"compatible", mod_compatible, true},
    {"module-index", mod_index, false},
    {"hash", mod_hash, false},
    {"image", mod_image, false},
    {"reg", NULL, false},
    {"phandle", NULL, false},
};

/* --- the walk --- */

static int find_rule(const struct prop_rule *rules, unsigned n,
		     const char *name)
{
	for (unsigned i = 0; i < n; i++)
		if (!strcmp(rules[i].name, name))
			return (int)i;
	return -1;
}

/* Decodes one property; returns its rule's bit in the seen mask, or 0. */
static uint32_t read_prop(struct manifest *m, int node, int off,
			  const struct prop_rule *rules, unsigned n, void *obj,
			  uint32_t seen)
{
	struct manifest_prop p = {.node = node, .name = ""};
	int i;

	p.val = fdt_getprop_by_offset(m->blob, off, &p.name, &p.len);
	if (!p.val) {
		PROP_ERR(m, &p, MANIFEST_ERR_BAD_DTB, "%s",
			 fdt_strerror(p.len));
		return 0;
	}
	i = find_rule(rules, n, p.name);
	if (i < 0) {
		PROP_ERR(m, &p, MANIFEST_ERR_UNKNOWN_PROPERTY,
			 "not a property of this node");
		return 0;
	}
	if (seen & (1u << i)) {
		PROP_ERR(m, &p, MANIFEST_ERR_BAD_VALUE, "given twice");
		return 0;
	}
	if (rules[i].decode)
		rules[i].decode(m, &p, obj);
	return 1u << i;
}

/* Reads every property of node against rules; returns the seen mask. */
static uint32_t read_props(struct manifest *m, int node,
			   const struct prop_rule *rules, unsigned n, void *obj)
{
	uint32_t seen = 0;
	int off;

	fdt_for_each_property_offset(off, m->blob, node) seen |=
	    read_prop(m, node, off, rules, n, obj, seen);
	if (off != -FDT_ERR_NOTFOUND)
		manifest_report(m, MANIFEST_ERR_BAD_DTB, node, "", "%s",
				fdt_strerror(off));
	for (unsigned i = 0; i < n; i++)
		if (rules[i].required && !(seen & (1u << i)))
			manifest_report(m, MANIFEST_ERR_MISSING_PROPERTY, node,
					rules[i].name, "required");
	return seen;
}

/* True if node's name is base or base@unit-address. */
static bool node_is(const struct manifest *m, int node, const char *base)
{
	int len;
	const char *name = fdt_get_name(m->blob, node, &len);
	size_t n = strlen(base);

	return name && (size_t)len >= n && !strncmp(name, base, n) &&
	       (name[n] == '\0' || name[n] == '@');
}

static void parse_module(struct manifest *m, struct manifest_domain *d,
			 int node)
{
	if (d->has_module) {
		manifest_report(m, MANIFEST_ERR_TOO_MANY, node, "",
				"a domain has one module");
		return;
	}
	d->has_module = true;
	d->module.node_offset = node;
	read_props(m, node, module_rules, RULE_COUNT(module_rules), &d->module);
	if (d->module.has_index || (m->source && d->module.image))
		return;
	manifest_report(m, MANIFEST_ERR_MISSING_PROPERTY, node, "module-index",
			m->source ? "required without an image" : "required");
}

/* Checks that need all of one domain's properties. */
static void finish_domain(struct manifest *m, struct manifest_domain *d)
{
	if (d->memory_kib && d->max_memory_kib &&
	    d->memory_kib > d->max_memory_kib)
		manifest_report(m, MANIFEST_ERR_MEMORY_OVER_MAX, d->node_offset,
				"max-memory",
				"memory %llu KiB is over max-memory %llu KiB",
				(unsigned long long)d->memory_kib,
				(unsigned long long)d->max_memory_kib);
	if (d->sched_cap > 100 * d->cpus)
		manifest_report(m, MANIFEST_ERR_BAD_VALUE, d->node_offset,
				"sched-cap", "%u is over 100 * cpus (%u)",
				d->sched_cap, 100 * d->cpus);
	if (!d->has_module)
		manifest_report(m, MANIFEST_ERR_MISSING_NODE, d->node_offset,
				"", "no module node");
}

static void parse_domain_children(struct manifest *m, struct manifest_domain *d)
{
	int child;

	fdt_for_each_subnode(child, m->blob, d->node_offset)
	{
		if (node_is(m, child, "module"))
			parse_module(m, d, child);
		else
			manifest_report(m, MANIFEST_ERR_UNKNOWN_NODE, child, "",
					"a domain holds only its module");
	}
	if (child != -FDT_ERR_NOTFOUND)
		manifest_report(m, MANIFEST_ERR_BAD_DTB, d->node_offset, "",
				"%s", fdt_strerror(child));
}

static void parse_domain(struct manifest *m, int node)
{
	struct manifest_domain *d;
	uint32_t seen;

	if (m->domain_count == MANIFEST_MAX_DOMAINS) {
		manifest_report(m, MANIFEST_ERR_TOO_MANY, node, "",
				"more than %u domains", MANIFEST_MAX_DOMAINS);
		return;
	}
	d = &m->domains[m->domain_count++];
	d->node_offset = node;
	d->cpus = 1;
	d->sched_weight = MANIFEST_DEFAULT_WEIGHT;
	seen = read_props(m, node, domain_rules, RULE_COUNT(domain_rules), d);
	if (!(seen & (1u << RULE_MAX_MEMORY)))
		d->max_memory_kib = d->memory_kib;
	parse_domain_children(m, d);
	finish_domain(m, d);
}

static void parse_hypervisor(struct manifest *m, int hv)
{
	int child;

	read_props(m, hv, hypervisor_rules, RULE_COUNT(hypervisor_rules), m);
	fdt_for_each_subnode(child, m->blob, hv)
	{
		if (node_is(m, child, "domain"))
			parse_domain(m, child);
		else
			manifest_report(m, MANIFEST_ERR_UNKNOWN_NODE, child, "",
					"expected domain@N nodes only");
	}
	if (child != -FDT_ERR_NOTFOUND)
		manifest_report(m, MANIFEST_ERR_BAD_DTB, hv, "", "%s",
				fdt_strerror(child));
}

/*
 * Walks every tag once so that a blob libfdt's header check accepts but
 * whose structure block is cut short or badly nested is refused up front
 * with one clear error, rather than half-read.
 */
static int check_structure(const void *blob)
{
	int off = 0, next, depth = 0;
	uint32_t tag;

	do {
		tag = fdt_next_tag(blob, off, &next);
		if (next < 0)
			return next;
		if (tag == FDT_BEGIN_NODE)
			depth++;
		else if (tag == FDT_END_NODE && --depth < 0)
			return -FDT_ERR_BADSTRUCTURE;
		else if (tag == FDT_END && depth != 0)
			return -FDT_ERR_TRUNCATED;
		off = next;
	} while (tag != FDT_END);
	return 0;
}

static bool check_blob(struct manifest *m, const void *blob, size_t size)
{
	int err = -FDT_ERR_TRUNCATED;

	if (blob && size >= sizeof(struct fdt_header)) {
		err = fdt_check_header(blob);
		if (!err && fdt_totalsize(blob) > size)
			err = -FDT_ERR_TRUNCATED;
		/* libfdt loads tags as aligned words and trusts the header
		 * on this point. */
		if (!err && fdt_off_dt_struct(blob) % FDT_TAGSIZE)
			err = -FDT_ERR_BADSTRUCTURE;
		if (!err)
			err = check_structure(blob);
	}
	if (err)
		manifest_report(m, MANIFEST_ERR_BAD_DTB, -1, "",
				"not a valid device tree blob: %s",
				fdt_strerror(err));
	return !err;
}

static enum manifest_error_code parse(const void *blob, size_t size,
				      int module_count, bool source,
				      struct manifest *m)
{
	int hv;

	memset(m, 0, sizeof(*m));
	m->blob = blob;
	m->source = source;
	m->node_offset = -1;
	if (!check_blob(m, blob, size))
		goto out;
	hv = fdt_path_offset(blob, MANIFEST_HYPERVISOR_PATH);
	if (hv < 0) {
		manifest_report(m,
				hv == -FDT_ERR_NOTFOUND
				    ? MANIFEST_ERR_NO_HYPERVISOR
				    : MANIFEST_ERR_BAD_DTB,
				-1, "", "no %s node: %s",
				MANIFEST_HYPERVISOR_PATH, fdt_strerror(hv));
		goto out;
	}
	m->node_offset = hv;
	parse_hypervisor(m, hv);
	manifest_check_all(m, module_count);
out:
	return m->error_count ? m->errors[0].code : MANIFEST_OK;
}

enum manifest_error_code manifest_parse(const void *blob, size_t size,
					int module_count, struct manifest *m)
{
	return parse(blob, size, module_count, false, m);
}

enum manifest_error_code manifest_parse_source(const void *blob, size_t size,
					       int module_count,
					       struct manifest *m)
{
	return parse(blob, size, module_count, true, m);
}
