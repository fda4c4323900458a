/* SPDX-License-Identifier: GPL-2.0-only */
/* Building a domain's memory and vCPUs from an ELF image, and undoing it. */
#ifndef ATOLL_DOMAIN_BUILD_H
#define ATOLL_DOMAIN_BUILD_H

#include <atoll/domain.h>

/* Checks a config without touching anything: 0 or a negative Xen errno. */
int domain_build_check(const struct domain_config *cfg) __must_check;
/* Reserves and fills everything; on failure releases what it took. */
int domain_build(const struct domain_config *cfg, domid_t id,
		 struct domain **out) __must_check;
/* Frees every frame of d (pinned ones when their last pin goes) and d. */
void domain_build_release(struct domain *d);
/* Boot test domains may ask to be destroyed as soon as they shut down. */
bool domain_build_autodestroy(struct domain *d);

/* Lookups and iteration (domain.c). */
struct domain *domain_get(domid_t id);
struct domain *domain_by_name(const char *name);
void domain_for_each(void (*fn)(struct domain *d, void *ctx), void *ctx);
int domain_create(const struct domain_config *cfg,
		  struct domain **out) __must_check;
void domain_start(struct domain *d);
void domain_pause(struct domain *d);
int domain_unpause(struct domain *d) __must_check;
void domain_shutdown(struct domain *d, unsigned reason);
void domain_crash(struct domain *d, const struct cpu_regs *regs);
int domain_destroy(struct domain *d);

/* Prints a domain's saved registers (crash reports, debug key '0'). */
void arch_dump_guest_regs(domid_t id, const struct cpu_regs *regs);

#endif
