// SPDX-License-Identifier: GPL-2.0-only
/*
 * Grant tables. Our own table: RT_GNTTAB_FRAMES frames at ATOLL_GNTTAB_VA,
 * free refs on a stack (the first GNTTAB_NR_RESERVED_ENTRIES are the
 * toolstack's). Mappings of others' grants: one page slot each in the
 * first RT_GRANT_MAP_SLOTS pages of the grant window.
 */
#include <stddef.h>
#include <stdint.h>

#include <atoll/layout.h>
#include <rt/events.h>
#include <rt/gnttab.h>
#include <rt/hypercall.h>
#include <xen/errno.h>

#define RT_GNTTAB_FRAMES   4
#define RT_GNTTAB_ENTRIES  (RT_GNTTAB_FRAMES * GNTTAB_ENTRIES_PER_FRAME_V1)
#define RT_GRANT_MAP_SLOTS 1024

static struct grant_entry_v1 *const table =
    (struct grant_entry_v1 *)ATOLL_GNTTAB_VA;
static grant_ref_t free_refs[RT_GNTTAB_ENTRIES];
static unsigned free_count;
static uint64_t slot_used[RT_GRANT_MAP_SLOTS / 64];

int rt_gnttab_init(void)
{
	xen_pfn_t frames[RT_GNTTAB_FRAMES];
	struct gnttab_setup_table st = {.dom = DOMID_SELF,
					.nr_frames = RT_GNTTAB_FRAMES};
	long rc;

	st.frame_list = (uint64_t)frames;
	rc = hc_gnttab_op(GNTTABOP_setup_table, &st, 1);
	if (rc || st.status)
		return rc ? (int)rc : st.status;
	free_count = 0;
	for (grant_ref_t r = RT_GNTTAB_ENTRIES; r > GNTTAB_NR_RESERVED_ENTRIES;)
		free_refs[free_count++] = --r;
	return 0;
}

int rt_grant_access(domid_t domid, const void *page, bool readonly)
{
	unsigned long f = rt_irq_save();
	grant_ref_t ref;

	if (!free_count) {
		rt_irq_restore(f);
		return -XEN_ENOSPC;
	}
	ref = free_refs[--free_count];
	rt_irq_restore(f);
	table[ref].domid = domid;
	table[ref].frame = (uint32_t)((uintptr_t)page >> ATOLL_PAGE_SHIFT);
	__atomic_store_n(&table[ref].flags,
			 GTF_permit_access | (readonly ? GTF_readonly : 0),
			 __ATOMIC_RELEASE);
	return (int)ref;
}

int rt_grant_end(grant_ref_t ref)
{
	uint16_t flags;
	unsigned long f;

	if (ref < GNTTAB_NR_RESERVED_ENTRIES || ref >= RT_GNTTAB_ENTRIES)
		return -XEN_EINVAL;
	/* Clear the type only while the peer holds no mapping or copy. */
	flags = __atomic_load_n(&table[ref].flags, __ATOMIC_ACQUIRE);
	do {
		if (flags & (GTF_reading | GTF_writing))
			return -XEN_EBUSY;
		if ((flags & GTF_type_mask) != GTF_permit_access)
			return -XEN_EINVAL;
	} while (!__atomic_compare_exchange_n(&table[ref].flags, &flags, 0,
					      false, __ATOMIC_ACQ_REL,
					      __ATOMIC_ACQUIRE));
	f = rt_irq_save();
	free_refs[free_count++] = ref;
	rt_irq_restore(f);
	return 0;
}

static int slot_alloc(void)
{
	for (unsigned w = 0; w < RT_GRANT_MAP_SLOTS / 64; w++) {
		if (~slot_used[w]) {
			unsigned b = __builtin_ctzll(~slot_used[w]);

			slot_used[w] |= 1ULL << b;
			return (int)(w * 64 + b);
		}
	}
	return -1;
}

static void slot_free(unsigned slot)
{
	slot_used[slot / 64] &= ~(1ULL << (slot % 64));
}

void *rt_grant_map(domid_t domid, grant_ref_t ref, bool readonly,
		   grant_handle_t *handle, int *err)
{
	unsigned long f = rt_irq_save();
	int slot = slot_alloc();
	struct gnttab_map_grant_ref op = {
	    .flags = GNTMAP_host_map | (readonly ? GNTMAP_readonly : 0),
	    .ref = ref,
	    .dom = domid,
	};
	long rc;

	rt_irq_restore(f);
	if (slot < 0) {
		*err = GNTST_no_space;
		return NULL;
	}
	op.host_addr =
	    ATOLL_GRANT_WINDOW_BASE + (uint64_t)slot * ATOLL_PAGE_SIZE;
	rc = hc_gnttab_op(GNTTABOP_map_grant_ref, &op, 1);
	if (rc || op.status) {
		*err = rc ? (int)rc : op.status;
		f = rt_irq_save();
		slot_free(slot);
		rt_irq_restore(f);
		return NULL;
	}
	*handle = op.handle;
	return (void *)op.host_addr;
}

int rt_grant_unmap(void *addr, grant_handle_t handle)
{
	struct gnttab_unmap_grant_ref op = {.host_addr = (uint64_t)addr,
					    .handle = handle};
	uint64_t slot =
	    ((uint64_t)addr - ATOLL_GRANT_WINDOW_BASE) >> ATOLL_PAGE_SHIFT;
	long rc = hc_gnttab_op(GNTTABOP_unmap_grant_ref, &op, 1);
	unsigned long f;

	if (rc || op.status)
		return rc ? (int)rc : op.status;
	if (slot < RT_GRANT_MAP_SLOTS) {
		f = rt_irq_save();
		slot_free(slot);
		rt_irq_restore(f);
	}
	return 0;
}

int rt_grant_copy(struct gnttab_copy *ops, unsigned count)
{
	return (int)hc_gnttab_op(GNTTABOP_copy, ops, count);
}
