// SPDX-License-Identifier: GPL-2.0-only
/*
 * Build-time check, never run: xxHash and libfdt compile with exactly the
 * core's flags (through the stand-in libc headers), and once linked with
 * fdt_core and the core's string library they leave no symbol undefined.
 */
#include <atoll_xxhash.h>
#include <libfdt.h>

uint64_t deps_core_check(const void *fdt, const void *buf, size_t len);

/* Hashes buf and returns it if the tree's /chosen node says the same. */
uint64_t deps_core_check(const void *fdt, const void *buf, size_t len)
{
	uint64_t h3 = XXH3_64bits(buf, len);
	uint64_t h64 = XXH64(buf, len, 0);
	const fdt64_t *prop;
	int node, prop_len;

	if (fdt_check_header(fdt) != 0)
		return 0;
	node = fdt_path_offset(fdt, "/chosen");
	if (node < 0)
		return 0;
	prop = fdt_getprop(fdt, node, "xxh3", &prop_len);
	if (!prop || prop_len != sizeof(*prop))
		return 0;
	return fdt64_ld(prop) == h3 ? h64 : 0;
}
