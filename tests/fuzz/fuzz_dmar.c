// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target for the DMAR reader (acpi_dmar_parse in
 * kernel/arch/x86/acpi.c): the VT-d units and device scopes the core
 * programs the IOMMU from. The input is the table's remapping structures;
 * the harness puts a DMAR header in front (its length, the input's) so
 * every input byte reaches the structure walk, and hands the parser an
 * exact-size heap copy so ASan catches any read past the table. The
 * checksum is the caller's job (acpi_parse) and is not set.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <arch/acpi.h>

/* What must hold whatever the input. */
static void check(enum acpi_error err, const struct acpi_dmar_info *d)
{
	if (d->unit_count > ACPI_MAX_DRHD)
		__builtin_trap();
	if (err != ACPI_OK && d->unit_count != 0)
		__builtin_trap();
	if (!acpi_strerror(err))
		__builtin_trap();
	for (uint32_t i = 0; i < d->unit_count; i++) {
		const struct acpi_dmar_unit *u = &d->units[i];

		if (pa_addr(u->base) == 0 || (pa_addr(u->base) & 0xfff) ||
		    u->scope_count > ACPI_DMAR_MAX_SCOPES)
			__builtin_trap();
		for (uint32_t s = 0; s < u->scope_count; s++) {
			const struct acpi_dmar_scope *sc = &u->scopes[s];

			if (sc->path_len == 0 ||
			    sc->path_len > ACPI_DMAR_MAX_PATH)
				__builtin_trap();
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct acpi_table_dmar h = {.host_addr_width = 38};
	struct acpi_dmar_info info;
	size_t len = sizeof(h) + size;
	uint8_t *table;
	enum acpi_error err;

	if (len > ACPI_SDT_MAX_LEN)
		return 0;
	table = malloc(len);
	if (!table)
		return 0;
	memcpy(h.hdr.signature, ACPI_SIG_DMAR, ACPI_SIG_LEN);
	h.hdr.length = (uint32_t)len;
	memcpy(table, &h, sizeof(h));
	memcpy(table + sizeof(h), data, size);
	memset(&info, 0xa5,
	       sizeof(info)); /* the parser must set what it says */
	err = acpi_dmar_parse(table, (uint32_t)len, &info);
	check(err, &info);
	free(table);
	return 0;
}
