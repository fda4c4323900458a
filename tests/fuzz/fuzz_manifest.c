// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target for the boot manifest reader (lib/manifest). The input,
 * as a device tree blob in an exact-size heap buffer (so ASan sees any
 * read past the end; malloc's alignment satisfies libfdt's 8 bytes), goes
 * through manifest_parse() with 8 boot modules and with the module count
 * unchecked. Whatever the input, the result must be consistent: the return
 * code is the first error's, every error string is terminated, every count
 * is within its array. A manifest accepted must obey every rule
 * docs/manifest.md states, and have a complete boot order.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fake_core.h"
#include "../../lib/manifest/manifest.h"

#define CHECK(cond)                                                            \
	do {                                                                   \
		if (!(cond)) {                                                 \
			fprintf(stderr, "fuzz_manifest: check '%s' failed\n",  \
				#cond);                                        \
			abort();                                               \
		}                                                              \
	} while (0)

#define MODULE_COUNT 8

static struct manifest m, unchecked;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fake_log_quiet = true;
	return 0;
}

static void check_errors(const struct manifest *r, enum manifest_error_code rc)
{
	CHECK(r->error_count <= MANIFEST_MAX_ERRORS);
	CHECK(r->errors_dropped == 0 || r->error_count == MANIFEST_MAX_ERRORS);
	CHECK(rc == (r->error_count ? r->errors[0].code : MANIFEST_OK));
	for (unsigned i = 0; i < r->error_count; i++) {
		const struct manifest_error *e = &r->errors[i];

		CHECK(e->code > MANIFEST_OK && e->code < MANIFEST_ERR_COUNT);
		CHECK(strnlen(e->path, sizeof(e->path)) < sizeof(e->path));
		CHECK(strnlen(e->property, sizeof(e->property)) <
		      sizeof(e->property));
		CHECK(strnlen(e->detail, sizeof(e->detail)) <
		      sizeof(e->detail));
		CHECK(manifest_strerror(e->code));
	}
}

static void check_counts(const struct manifest_domain *d)
{
	CHECK(d->ioport_count <= MANIFEST_MAX_IOPORTS);
	CHECK(d->mmio_count <= MANIFEST_MAX_MMIO);
	CHECK(d->irq_count <= MANIFEST_MAX_IRQS);
	CHECK(d->pci_count <= MANIFEST_MAX_PCI);
	CHECK(d->vif_count <= MANIFEST_MAX_VIFS);
	CHECK(d->vbd_count <= MANIFEST_MAX_VBDS);
	CHECK(d->dep_count <= MANIFEST_MAX_DEPS);
}

/* What an accepted domain promises, on its own. */
static void check_domain(const struct manifest_domain *d)
{
	CHECK(d->name && strlen(d->name) < MANIFEST_NAME_MAX);
	CHECK(d->memory_kib > 0 && d->memory_kib <= d->max_memory_kib);
	CHECK(d->cpus >= 1 && d->cpus <= MANIFEST_MAX_CPUS);
	CHECK(d->sched_weight >= 1 && d->sched_weight <= MANIFEST_MAX_WEIGHT);
	CHECK(d->sched_cap <= 100 * d->cpus);
	CHECK(d->has_module && d->module.index >= 1 &&
	      d->module.index < MODULE_COUNT);
	for (unsigned i = 0; i < d->ioport_count; i++)
		CHECK(d->ioports[i].count > 0 &&
		      d->ioports[i].base + d->ioports[i].count <=
			  MANIFEST_IOPORT_LIMIT);
	for (unsigned i = 0; i < d->irq_count; i++)
		CHECK(d->irqs[i] < MANIFEST_IRQ_LIMIT);
	for (unsigned i = 0; i < d->vif_count; i++)
		CHECK(d->vifs[i].backend_domain >= 0);
	for (unsigned i = 0; i < d->vbd_count; i++)
		CHECK(d->vbds[i].backend_domain >= 0);
}

/* Names unique; IRQs and PCI devices never given twice. */
static void check_apart(const struct manifest_domain *a,
			const struct manifest_domain *b)
{
	CHECK(strcmp(a->name, b->name) != 0);
	for (unsigned i = 0; i < a->irq_count; i++)
		for (unsigned j = 0; j < b->irq_count; j++)
			CHECK(a->irqs[i] != b->irqs[j]);
	for (unsigned i = 0; i < a->pci_count; i++)
		for (unsigned j = 0; j < b->pci_count; j++)
			CHECK(strcmp(a->pci[i].text, b->pci[j].text) != 0);
}

/* Each domain comes once, after every domain it depends on. */
static void check_order(const struct manifest *r)
{
	uint8_t order[MANIFEST_MAX_DOMAINS];
	int position[MANIFEST_MAX_DOMAINS];
	unsigned placed;

	CHECK(manifest_boot_order(r, order, &placed) == MANIFEST_OK);
	CHECK(placed == r->domain_count);
	memset(position, -1, sizeof(position));
	for (unsigned i = 0; i < placed; i++) {
		CHECK(order[i] < r->domain_count && position[order[i]] < 0);
		position[order[i]] = (int)i;
	}
	for (unsigned i = 0; i < r->domain_count; i++) {
		const struct manifest_domain *d = &r->domains[i];

		for (unsigned j = 0; j < d->dep_count; j++)
			CHECK(d->dep_index[j] >= 0 &&
			      position[d->dep_index[j]] < position[i]);
	}
}

static void check_accepted(const struct manifest *r)
{
	uint64_t sum = 0;

	CHECK(r->domain_count >= 1);
	for (unsigned i = 0; i < r->domain_count; i++) {
		check_domain(&r->domains[i]);
		for (unsigned j = 0; j < i; j++)
			check_apart(&r->domains[j], &r->domains[i]);
		CHECK(r->hash_algorithm == MANIFEST_HASH_NONE ||
		      r->domains[i].module.has_hash);
		sum += r->domains[i].memory_kib;
	}
	CHECK(!r->has_machine_memory || sum <= r->machine_memory_kib);
	check_order(r);
}

int LLVMFuzzerTestOneInput(const uint8_t *in, size_t size)
{
	uint8_t *data = malloc(size ? size : 1);
	enum manifest_error_code rc, rc_unchecked;

	if (!data)
		return 0;
	memcpy(data, in, size);

	rc = manifest_parse(data, size, MODULE_COUNT, &m);
	check_errors(&m, rc);
	CHECK(m.domain_count <= MANIFEST_MAX_DOMAINS);
	for (unsigned i = 0; i < m.domain_count; i++)
		check_counts(&m.domains[i]);
	if (rc == MANIFEST_OK)
		check_accepted(&m);

	/* Skipping the module count can only remove errors. */
	rc_unchecked =
	    manifest_parse(data, size, MANIFEST_NO_MODULE_COUNT, &unchecked);
	check_errors(&unchecked, rc_unchecked);
	CHECK(rc != MANIFEST_OK || rc_unchecked == MANIFEST_OK);
	CHECK(unchecked.error_count <= m.error_count);
	free(data);
	return 0;
}
