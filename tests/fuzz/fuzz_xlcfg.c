// SPDX-License-Identifier: GPL-2.0-only
/* lib/xlcfg on any input: no crash, no read out of bounds, and a config it
 * accepts keeps the documented limits. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "xlcfg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct xlcfg cfg;
	struct xlcfg_error err;

	if (xlcfg_parse((const char *)data, size, &cfg, &err) == 0) {
		if (!cfg.name[0] || !cfg.memory_mib || !cfg.kernel[0] ||
		    cfg.maxmem_mib < cfg.memory_mib || cfg.vcpus < 1 ||
		    cfg.vcpus > XLCFG_VCPUS_MAX ||
		    cfg.vif_count > XLCFG_LIST_MAX)
			abort();
	} else if (strnlen(err.message, sizeof(err.message)) == 0) {
		abort(); /* every error says what is wrong */
	}
	return 0;
}
