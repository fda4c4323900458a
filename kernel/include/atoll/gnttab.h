/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Grant tables: v1 entries; map, unmap, copy, setup, query, dump.
 * The model, the limits and the lock order are described at the top of
 * kernel/common/gnttab.c.
 */
#ifndef ATOLL_GNTTAB_H
#define ATOLL_GNTTAB_H

#include <atoll/domain.h>
#include <xen/grant_table.h>

/* Frames of grant_entry_v1 a domain's table may grow to (512 refs each). */
#define GNTTAB_MAX_FRAMES    4
/* Grant mappings one domain may hold at a time (maptrack handles). */
#define GNTTAB_MAPTRACK_SIZE 256
/* Elements per grant_table_op call: there are no continuations, so a
 * batch is bounded to keep the time spent in the core bounded. */
#define GNTTAB_BATCH_MAX     4096

/* Allocates d's table and maptrack (d->id may still be provisional). */
int gnttab_domain_init(struct domain *d) __must_check;
/* Fills one of d's reserved entries (< GNTTAB_NR_RESERVED_ENTRIES) while
 * building d: gpfn is granted to `to`, writable (the XenStore ring). */
void gnttab_grant_reserved(struct domain *d, grant_ref_t ref, domid_t to,
			   uint64_t gpfn);
/* Unmaps everything d mapped from others and revokes what others map
 * from d (their mappings stay valid until they unmap; the frames stay
 * pinned and are freed by the last unmap). d's vCPUs must be stopped. */
void gnttab_domain_destroy(struct domain *d);
/* Drops d's table (freed once no other domain maps d's grants any more);
 * safe if gnttab_domain_init failed or was never called. */
void gnttab_domain_free(struct domain *d);

long do_grant_table_op(unsigned cmd, uint64_t uop, unsigned count);

/* Debug key 'g'. */
void gnttab_dump(void);

#endif
