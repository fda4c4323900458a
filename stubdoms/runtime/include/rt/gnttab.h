/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Grant tables: granting this domain's pages to another domain, mapping
 * and copying other domains' grants. Errors are negative Xen errnos or,
 * for map and copy, GNTST_* codes (also negative), as the hypercall gives.
 */
#ifndef RT_GNTTAB_H
#define RT_GNTTAB_H

#include <stdbool.h>
#include <xen/grant_table.h>

/* Sets up this domain's grant table (rt_main does it before main()). */
int rt_gnttab_init(void);

/* Grants the page at page (page-aligned) to domid; the ref or < 0. */
int rt_grant_access(domid_t domid, const void *page, bool readonly);
/* Ends a grant; -XEN_EBUSY while the peer still has it mapped. */
int rt_grant_end(grant_ref_t ref);

/* Maps domid's grant ref in the grant window; NULL and *err on failure. */
void *rt_grant_map(domid_t domid, grant_ref_t ref, bool readonly,
		   grant_handle_t *handle, int *err);
int rt_grant_unmap(void *addr, grant_handle_t handle);

/* count copies in one hypercall; each op's status is set. 0 or < 0. */
int rt_grant_copy(struct gnttab_copy *ops, unsigned count);

#endif
