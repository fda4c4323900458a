// SPDX-License-Identifier: GPL-2.0-only
/*
 * Boot domains from the manifest. Everything is checked before anything is
 * built: the manifest itself (lib/manifest), each module's xxHash against
 * the value in the manifest, and each domain's configuration (image, memory)
 * with the same check domain_create() makes, and that no domain is given a
 * device the core keeps. A single problem stops the boot with a message
 * naming the domain and property; no domain starts. Each domain gets exactly
 * its manifest's `ioports`, `mmio` and `irqs` before it starts.
 */
#include <atoll/caps.h>
#include <arch/mm.h>
#include <atoll/bootmanifest.h>
#include <atoll/domain_build.h>
#include <atoll/printk.h>
#include <atoll/resource.h>
#include <atoll/string.h>
#include <atoll_xxhash.h>
#include <libfdt.h>
#include <manifest.h>

#define KIB_PER_PAGE 4

static struct manifest boot_manifest;

bool bootmanifest_present(const struct boot_module_desc *mods, unsigned count)
{
	return count && mods[0].size >= sizeof(struct fdt_header) &&
	       fdt_magic(arch_phys_to_virt(mods[0].start)) == FDT_MAGIC;
}

static uint64_t module_hash(enum manifest_hash_algorithm algo,
			    const struct boot_module_desc *mod)
{
	const void *data = arch_phys_to_virt(mod->start);

	return algo == MANIFEST_HASH_XXH64 ? XXH64(data, mod->size, 0)
					   : XXH3_64bits(data, mod->size);
}

static void report_manifest_errors(const struct manifest *m)
{
	for (unsigned i = 0; i < m->error_count; i++) {
		const struct manifest_error *e = &m->errors[i];

		pr_err("manifest: %s%s%s: %s%s%s\n", e->path,
		       e->property[0] ? " property " : "", e->property,
		       manifest_strerror(e->code), e->detail[0] ? ": " : "",
		       e->detail);
	}
	if (m->errors_dropped)
		pr_err("manifest: %u more errors not shown\n",
		       m->errors_dropped);
}

/* Compares every module with its hash; returns the number of mismatches. */
static unsigned check_hashes(const struct manifest *m,
			     const struct boot_module_desc *mods)
{
	unsigned bad = 0;

	for (unsigned i = 0; i < m->domain_count; i++) {
		const struct manifest_domain *d = &m->domains[i];
		uint64_t found;

		if (!d->module.has_hash)
			continue;
		found = module_hash(m->hash_algorithm, &mods[d->module.index]);
		if (found == d->module.hash)
			continue;
		pr_err("manifest: domain '%s': module %u hash mismatch: "
		       "expected %016llx, found %016llx\n",
		       d->name, d->module.index,
		       (unsigned long long)d->module.hash,
		       (unsigned long long)found);
		bad++;
	}
	return bad;
}

static struct domain_config config_of(const struct manifest_domain *d,
				      const struct boot_module_desc *mods)
{
	const struct boot_module_desc *mod = &mods[d->module.index];

	return (struct domain_config){
	    .name = d->name,
	    .mem_pages = d->memory_kib / KIB_PER_PAGE,
	    .max_pages = d->max_memory_kib / KIB_PER_PAGE,
	    .vcpus = d->cpus,
	    .weight = d->sched_weight,
	    .cap = d->sched_cap,
	    .caps = (uint32_t)d->caps,
	    .creator = 0,
	    .image = arch_phys_to_virt(mod->start),
	    .image_size = mod->size,
	    .cmdline = d->bootargs,
	};
}

/* The checks domain_create() would make, for every domain, up front. */
static unsigned check_configs(const struct manifest *m,
			      const struct boot_module_desc *mods)
{
	unsigned bad = 0;

	for (unsigned i = 0; i < m->domain_count; i++) {
		struct domain_config cfg = config_of(&m->domains[i], mods);
		int err = domain_build_check(&cfg);

		if (err) {
			pr_err(
			    "manifest: domain '%s' cannot be built (image or "
			    "memory): error %d\n",
			    m->domains[i].name, err);
			bad++;
		}
	}
	return bad;
}

/* Reports a manifest resource the core keeps; returns 1 if it is one. */
static unsigned check_kept(const struct manifest_domain *d,
			   enum resource_kind kind, uint32_t base,
			   uint32_t count)
{
	const char *kept = resource_core_kept(kind, base, count);

	if (!kept)
		return 0;
	if (kind == RESOURCE_IOPORT)
		pr_err("manifest: domain '%s': ioports 0x%x-0x%x: kept by the "
		       "core (%s)\n",
		       d->name, base, base + count - 1, kept);
	else if (kind == RESOURCE_MMIO)
		pr_err("manifest: domain '%s': mmio 0x%llx-0x%llx: kept by the "
		       "core (%s)\n",
		       d->name, (unsigned long long)base << PAGE_SHIFT,
		       (((unsigned long long)base + count) << PAGE_SHIFT) - 1,
		       kept);
	else
		pr_err("manifest: domain '%s': irq %u: kept by the core (%s)\n",
		       d->name, base, kept);
	return 1;
}

/* A manifest MMIO range as frames; false if it reaches beyond what the
 * resource table can name (16 TiB). */
static bool mmio_frames(const struct manifest_mmio *r, uint32_t *pfn,
			uint32_t *count)
{
	uint64_t first = r->addr >> PAGE_SHIFT, n = r->size >> PAGE_SHIFT;

	if (first + n > RESOURCE_MMIO_LIMIT)
		return false;
	*pfn = (uint32_t)first;
	*count = (uint32_t)n;
	return true;
}

static unsigned check_mmio(const struct manifest_domain *d)
{
	unsigned bad = 0;
	uint32_t pfn, count;

	for (unsigned j = 0; j < d->mmio_count; j++) {
		if (!mmio_frames(&d->mmio[j], &pfn, &count)) {
			pr_err("manifest: domain '%s': mmio 0x%llx: beyond "
			       "16 TiB\n",
			       d->name, (unsigned long long)d->mmio[j].addr);
			bad++;
		} else {
			bad += check_kept(d, RESOURCE_MMIO, pfn, count);
		}
	}
	return bad;
}

/* No domain may be given what the core drives itself. */
static unsigned check_resources(const struct manifest *m)
{
	unsigned bad = 0;

	for (unsigned i = 0; i < m->domain_count; i++) {
		const struct manifest_domain *d = &m->domains[i];

		for (unsigned j = 0; j < d->ioport_count; j++)
			bad +=
			    check_kept(d, RESOURCE_IOPORT, d->ioports[j].base,
				       d->ioports[j].count);
		for (unsigned j = 0; j < d->irq_count; j++)
			bad += check_kept(d, RESOURCE_IRQ, d->irqs[j], 1);
		bad += check_mmio(d);
	}
	return bad;
}

/* Gives d its manifest ports, MMIO and IRQs (checked: only a full table
 * fails). */
static int grant_resources(struct domain *d, const struct manifest_domain *md)
{
	uint32_t pfn, count;
	int err = 0;

	for (unsigned j = 0; j < md->ioport_count && !err; j++)
		err = resource_grant(d, RESOURCE_IOPORT, md->ioports[j].base,
				     md->ioports[j].count);
	for (unsigned j = 0; j < md->irq_count && !err; j++)
		err = resource_grant(d, RESOURCE_IRQ, md->irqs[j], 1);
	for (unsigned j = 0; j < md->mmio_count && !err; j++) {
		if (mmio_frames(&md->mmio[j], &pfn, &count))
			err = resource_grant(d, RESOURCE_MMIO, pfn, count);
	}
	return err;
}

static bool start_in_order(const struct manifest *m,
			   const struct boot_module_desc *mods)
{
	uint8_t order[MANIFEST_MAX_DOMAINS];
	unsigned placed;

	if (manifest_boot_order(m, order, &placed) != MANIFEST_OK ||
	    placed != m->domain_count)
		return false;
	/* The first domain holding `xenstore` is every later domain's store;
	 * domains started before it have none (docs/manifest.md). */
	domid_t store = DOMID_INVALID;

	for (unsigned i = 0; i < placed; i++) {
		struct domain_config cfg =
		    config_of(&m->domains[order[i]], mods);
		struct domain *d;
		int err;

		cfg.store_domid = store;
		err = domain_create(&cfg, &d);
		if (!err) {
			err = grant_resources(d, &m->domains[order[i]]);
			if (err)
				domain_destroy(d);
		}
		if (err) {
			pr_err("boot domain '%s' not created: error %d\n",
			       cfg.name, err);
			return false;
		}
		if ((cfg.caps & ATOLL_CAP_XENSTORE) && store == DOMID_INVALID)
			store = d->id;
		/* Like xl's default on_poweroff/on_crash = "destroy": what is
		 * never restarted goes as soon as it stops. The others wait
		 * for the control domain to restart them. */
		d->autodestroy =
		    m->domains[order[i]].restart == MANIFEST_RESTART_NEVER;
		domain_start(d);
	}
	return true;
}

bool bootmanifest_start(const struct boot_module_desc *mods, unsigned count)
{
	struct manifest *m = &boot_manifest;
	unsigned bad;

	enum manifest_error_code rc = manifest_parse(
	    arch_phys_to_virt(mods[0].start), mods[0].size, count, m);

	report_manifest_errors(m);
	if (rc != MANIFEST_OK || m->error_count || m->errors_dropped)
		return false;
	bad =
	    check_hashes(m, mods) + check_configs(m, mods) + check_resources(m);
	if (bad)
		return false;
	pr_info("manifest: %u domains, hashes verified\n", m->domain_count);
	return start_in_order(m, mods);
}
