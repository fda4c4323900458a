/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * ctld, the control domain: serves vmctl over the management channel
 * (docs/mgmt.md), builds and restarts domains, writes their XenStore
 * entries.
 */
#ifndef CTLD_H
#define CTLD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <atoll/domctl.h>

struct manifest_domain;

/* A reply being built: payload bytes, or an error. */
struct reply {
	char *buf;
	size_t len, cap;
	const char *error; /* XenStore error name, NULL for success */
	char message[160];
};

void reply_append(struct reply *r, const void *data, size_t len);
void reply_printf(struct reply *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Sets the error; returns -1 for `return reply_error(...)`. */
int reply_error(struct reply *r, const char *name, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* domains.c */
void domains_init(void);
/* Looks at every domain after VIRQ_DOM_EXC: restarts, cleans up. */
void domains_rescan(void);
void domains_hello(struct reply *r);
void domains_list(struct reply *r);
void domains_info(struct reply *r);
int domains_create(const char *cfg, size_t len, struct reply *r);
int domains_control(uint32_t type, const char *arg, struct reply *r);
int domains_sched(const char *arg, struct reply *r);
int images_begin(const char *arg, struct reply *r);
int images_data(const void *data, size_t len, struct reply *r);
int images_end(struct reply *r);

/* The manifest's boot domains: count, i-th (its id now in *id, or
 * DOMID_INVALID), and the first that holds cap. */
unsigned domains_boot_count(void);
const struct manifest_domain *domains_boot(unsigned i, domid_t *id);
domid_t domains_boot_with_cap(uint64_t cap);

/* pci.c: the manifest's pci-devices, written on pciback's path. */
void pci_boot_assign(void);

/* The hypervisor's domctl, with the version filled in. */
long domctl(uint32_t cmd, domid_t dom, struct atoll_domctl *op);

#endif
