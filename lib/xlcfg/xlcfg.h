/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Domain configs in xl.cfg syntax, read by vmctl (to point at the bad
 * line before sending) and by ctld (which trusts nothing it receives).
 * Keys and rules: docs/mgmt.md, "Domain configs". Builds on the host and
 * in domains; uses only string functions.
 */
#ifndef ATOLL_XLCFG_H
#define ATOLL_XLCFG_H

#include <stddef.h>
#include <stdint.h>

#define XLCFG_NAME_MAX	  32 /* with the NUL, as a domain name */
#define XLCFG_STRING_MAX  256
#define XLCFG_CMDLINE_MAX 1024
#define XLCFG_LIST_MAX	  8
#define XLCFG_MEMORY_MAX  (1024 * 1024) /* MiB */
#define XLCFG_VCPUS_MAX	  4

struct xlcfg {
	char name[XLCFG_NAME_MAX];
	uint32_t memory_mib;
	uint32_t maxmem_mib; /* = memory_mib if not given */
	uint32_t vcpus;	     /* 1 if not given */
	uint32_t weight;     /* 0 if not given: the default */
	uint32_t cap;	     /* percent of one CPU, 0 = none */
	char kernel[XLCFG_STRING_MAX];
	char cmdline[XLCFG_CMDLINE_MAX];
	char pci[XLCFG_LIST_MAX][XLCFG_STRING_MAX];
	char vif[XLCFG_LIST_MAX][XLCFG_STRING_MAX];
	char disk[XLCFG_LIST_MAX][XLCFG_STRING_MAX];
	unsigned pci_count, vif_count, disk_count;
};

struct xlcfg_error {
	unsigned line; /* 1-based; 0 for the file as a whole */
	char message[160];
};

/* Parses text[0..len); 0, or -1 with the first error in *err. */
int xlcfg_parse(const char *text, size_t len, struct xlcfg *cfg,
		struct xlcfg_error *err);

#endif
