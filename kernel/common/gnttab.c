// SPDX-License-Identifier: GPL-2.0-only
/*
 * Grant tables, version 1 entries (include/public/xen/grant_table.h).
 *
 * Model. Each domain has GNTTAB_MAX_FRAMES frames of grant_entry_v1,
 * allocated up front in gnttab_domain_init (so growing never allocates)
 * and mapped writable at ATOLL_GNTTAB_VA by GNTTABOP_setup_table, which
 * returns their frame numbers in the domain's own address space
 * (ATOLL_GNTTAB_VA >> 12 + i: virtual == pseudo-physical). nr_frames
 * starts at 1 as in Xen and only grows; refs beyond it are bad_gntref.
 * An entry's frame is a pseudo-physical frame number of the granter,
 * translated through its p2m: only the granter's RAM can be granted.
 *
 * Mapping pins the frame (frame_pin) and maps it into the caller's grant
 * window; each mapping is a maptrack handle in the mapper's table and
 * holds a reference on the granter's table, so the granter's entries (and
 * the counters below) outlive the granter until the last unmap. A dying
 * granter's RAM is released by domain teardown with frame_release, which
 * frees a pinned frame at its last frame_unpin. GNTTABOP_copy takes the
 * same pins for the duration of the copy. Self-grants are allowed, as in
 * Xen.
 *
 * Each entry has an active record counting the pins taken on it (by any
 * domain): GTF_reading is set while there is one, GTF_writing while there
 * is a writable one. Status bits are set with a compare-and-swap on the
 * 32-bit flags+domid word, which rechecks GTF_permit_access, the domid and
 * GTF_readonly each time, since the granter may rewrite the entry at any
 * moment; an entry that keeps changing under the loop is refused.
 *
 * Lock order (outermost first):
 *   1. d->lock (irqsave) of at most two domains, lower id first
 *      (gnttab_lock_pair): the granter's, so that reading its p2m and
 *      pinning the frame is atomic with XENMEM_decrease_reservation; the
 *      mapper's, which guards its page tables and its maptrack.
 *   2. gt->lock of one grant table: its nr_frames, dying flag and active
 *      records. No path holds two; one that ever must takes them in
 *      domain-id order.
 *   3. frame_lock inside frame_*() and the page-table allocator.
 * A table's reference count is atomic; the last gnttab_put frees it, and
 * is always called with that table's own lock released.
 *
 * Lifetime caveat: domain_get() returns an unreferenced pointer, so a
 * domain must not be freed while a hypercall still uses it; the dying
 * flag only stops new maps and copies once teardown has begun.
 */
#include <arch/mm.h>
#include <atoll/domain_build.h>
#include <atoll/frame.h>
#include <atoll/gnttab.h>
#include <atoll/panic.h>
#include <atoll/guest.h>
#include <atoll/printk.h>
#include <atoll/sched.h>
#include <atoll/string.h>
#include <atoll/caps.h>
#include <atoll/layout.h>
#include <xen/errno.h>
#include <xen/grant_table.h>

#define GNTTAB_ENTRIES	   (GNTTAB_MAX_FRAMES * GNTTAB_ENTRIES_PER_FRAME_V1)
#define GNTTAB_TABLE_ORDER 2 /* the GNTTAB_MAX_FRAMES entry frames */
#define GNTTAB_META_ORDER  2 /* struct gnttab */
#define GNTTAB_CAS_RETRIES 4 /* then the entry is "unstable" (as Xen) */
#define GNTTAB_PIN_MAX	   UINT8_MAX

_Static_assert((1U << GNTTAB_TABLE_ORDER) == GNTTAB_MAX_FRAMES, "order");
_Static_assert(GNTTAB_MAX_FRAMES <= ATOLL_GNTTAB_MAX_FRAMES, "layout");
_Static_assert(GNTTAB_ENTRIES_PER_FRAME_V1 * sizeof(struct grant_entry_v1) ==
		   PAGE_SIZE,
	       "v1 frame");

/* The flags and domid of an entry, read and swapped as one word. */
typedef uint32_t __attribute__((may_alias)) gnttab_word_t;
#define GNTTAB_WORD_FLAGS(w) ((uint16_t)(w))
#define GNTTAB_WORD_DOMID(w) ((domid_t)((w) >> 16))
_Static_assert(__builtin_offsetof(struct grant_entry_v1, flags) == 0 &&
		   __builtin_offsetof(struct grant_entry_v1, domid) == 2,
	       "flags in the low half of the word (little-endian)");

/* Pins taken on one entry, by every domain; guarded by gt->lock. */
struct gnttab_active {
	uint8_t readers; /* all pins: GTF_reading while non-zero */
	uint8_t writers; /* writable pins: GTF_writing while non-zero */
};

/* One maptrack handle; guarded by the mapper's d->lock. */
struct gnttab_map {
	uint64_t host_addr;	/* 0: handle free */
	struct gnttab *granter; /* holds a reference on it */
	paddr_t frame;		/* pinned */
	grant_ref_t ref;
	domid_t granter_id; /* for the dump */
	bool readonly;
};

struct gnttab {
	struct spinlock lock;
	uint32_t refs;	  /* atomic: the owner + one per pin holder */
	paddr_t meta_pa;  /* this block */
	paddr_t table_pa; /* the entry frames */
	/* Through the direct map; the owner writes it at any time. */
	struct grant_entry_v1 *shared;
	unsigned nr_frames; /* guarded by lock */
	bool dying; /* guarded by lock; set under the owner's lock too */
	/* Guarded by the owner's d->lock: */
	unsigned mapped_frames; /* entry frames mapped at ATOLL_GNTTAB_VA */
	unsigned map_count;	/* maptrack handles in use */
	unsigned map_hint;	/* where the search for a free handle starts */
	struct gnttab_map maptrack[GNTTAB_MAPTRACK_SIZE];
	struct gnttab_active active[GNTTAB_ENTRIES]; /* guarded by lock */
};
_Static_assert(sizeof(struct gnttab) <= (PAGE_SIZE << GNTTAB_META_ORDER),
	       "struct gnttab fits its block");

/* ---- Tables: life cycle --------------------------------------------- */

static void gnttab_get(struct gnttab *gt)
{
	__atomic_add_fetch(&gt->refs, 1, __ATOMIC_RELAXED);
}

/* Drops a reference; the last one frees the table. gt->lock not held. */
static void gnttab_put(struct gnttab *gt)
{
	if (__atomic_sub_fetch(&gt->refs, 1, __ATOMIC_ACQ_REL))
		return;
	frame_free(gt->table_pa, GNTTAB_TABLE_ORDER);
	frame_free(gt->meta_pa, GNTTAB_META_ORDER);
}

int gnttab_domain_init(struct domain *d)
{
	paddr_t meta, table;
	struct gnttab *gt;

	if (!frame_alloc(GNTTAB_META_ORDER, &meta))
		return -XEN_ENOMEM;
	if (!frame_alloc(GNTTAB_TABLE_ORDER, &table)) {
		frame_free(meta, GNTTAB_META_ORDER);
		return -XEN_ENOMEM;
	}
	gt = arch_phys_to_virt(meta);
	memset(gt, 0, sizeof(*gt));
	memset(arch_phys_to_virt(table), 0, PAGE_SIZE << GNTTAB_TABLE_ORDER);
	gt->lock = (struct spinlock)SPINLOCK_INIT;
	gt->refs = 1;
	gt->meta_pa = meta;
	gt->table_pa = table;
	gt->shared = arch_phys_to_virt(table);
	gt->nr_frames = 1;
	d->gnttab = gt;
	return 0;
}

void gnttab_grant_reserved(struct domain *d, grant_ref_t ref, domid_t to,
			   uint64_t gpfn)
{
	struct grant_entry_v1 *e = &d->gnttab->shared[ref];

	ASSERT(ref < GNTTAB_NR_RESERVED_ENTRIES && gpfn <= UINT32_MAX);
	e->domid = to;
	e->frame = (uint32_t)gpfn;
	WRITE_ONCE(e->flags, GTF_permit_access);
}

/* ---- Locks ------------------------------------------------------------ */

/* Takes a's and b's d->lock, lower id first; a == b is locked once. */
static irqflags_t gnttab_lock_pair(struct domain *a, struct domain *b)
{
	irqflags_t f;

	if (a != b && a->id > b->id) {
		struct domain *t = a;

		a = b;
		b = t;
	}
	f = spin_lock_irqsave(&a->lock);
	if (a != b)
		spin_lock(&b->lock);
	return f;
}

static void gnttab_unlock_pair(struct domain *a, struct domain *b, irqflags_t f)
{
	if (a != b)
		spin_unlock(&b->lock);
	spin_unlock_irqrestore(&a->lock, f);
}

/* ---- Entries: status bits, pins ------------------------------------- */

/*
 * Sets GTF_reading (and GTF_writing if write) in entry e if it grants
 * access to domain `to`. The granter may rewrite the entry concurrently,
 * so the check and the update are one compare-and-swap.
 */
static int16_t gnttab_set_status(struct grant_entry_v1 *e, domid_t to,
				 bool write)
{
	gnttab_word_t *word = (gnttab_word_t *)e;
	uint32_t old = __atomic_load_n(word, __ATOMIC_ACQUIRE);

	for (unsigned tries = 0; tries < GNTTAB_CAS_RETRIES; tries++) {
		uint16_t flags = GNTTAB_WORD_FLAGS(old);
		uint32_t new = old | GTF_reading | (write ? GTF_writing : 0);

		if ((flags & GTF_type_mask) != GTF_permit_access ||
		    GNTTAB_WORD_DOMID(old) != to)
			return GNTST_permission_denied;
		if (write && (flags & GTF_readonly))
			return GNTST_permission_denied;
		if (__atomic_compare_exchange_n(word, &old, new, false,
						__ATOMIC_ACQ_REL,
						__ATOMIC_ACQUIRE))
			return GNTST_okay;
	}
	return GNTST_general_error;
}

static void gnttab_clear_status(struct grant_entry_v1 *e, uint32_t bits)
{
	__atomic_fetch_and((gnttab_word_t *)e, ~bits, __ATOMIC_RELEASE);
}

/* Counts a pin on ref for `to` and sets its status bits; gt->lock held. */
static int16_t gnttab_claim(struct gnttab *gt, grant_ref_t ref, domid_t to,
			    bool write)
{
	struct gnttab_active *act;
	int16_t rc;

	if (gt->dying)
		return GNTST_bad_domain;
	if (ref >= gt->nr_frames * GNTTAB_ENTRIES_PER_FRAME_V1)
		return GNTST_bad_gntref;
	act = &gt->active[ref];
	if (act->readers == GNTTAB_PIN_MAX ||
	    (write && act->writers == GNTTAB_PIN_MAX))
		return GNTST_general_error; /* counter would overflow */
	rc = gnttab_set_status(&gt->shared[ref], to, write);
	if (rc != GNTST_okay)
		return rc;
	act->readers++;
	act->writers += write;
	return GNTST_okay;
}

/* Undoes gnttab_claim; gt->lock held. */
static void gnttab_unclaim(struct gnttab *gt, grant_ref_t ref, bool write)
{
	struct gnttab_active *act = &gt->active[ref];

	act->readers--;
	act->writers -= write;
	if (write && !act->writers)
		gnttab_clear_status(&gt->shared[ref], GTF_writing);
	if (!act->readers)
		gnttab_clear_status(&gt->shared[ref], GTF_reading);
}

/* The frame backing d's pseudo-physical frame gpfn; d->lock held. */
static bool gnttab_p2m_frame(struct domain *d, uint64_t gpfn, paddr_t *pa)
{
	if (gpfn == 0 || gpfn >= d->p2m_size || !d->p2m[gpfn])
		return false;
	*pa = pa_init(d->p2m[gpfn]);
	return true;
}

/*
 * Pins the frame that g grants under ref to `to`, for writing if write:
 * claims the entry, pins its frame and takes a reference on g's table,
 * all or nothing. Caller holds g->lock (its p2m). Returns a GNTST_*.
 */
static int16_t gnttab_acquire(struct domain *g, grant_ref_t ref, domid_t to,
			      bool write, paddr_t *pa)
{
	struct gnttab *gt = g->gnttab;
	int16_t rc;

	spin_lock(&gt->lock);
	rc = gnttab_claim(gt, ref, to, write);
	if (rc == GNTST_okay) {
		uint32_t gpfn = READ_ONCE(gt->shared[ref].frame);

		if (gnttab_p2m_frame(g, gpfn, pa)) {
			frame_pin(*pa);
			gnttab_get(gt);
		} else {
			gnttab_unclaim(gt, ref, write);
			rc = GNTST_bad_page;
		}
	}
	spin_unlock(&gt->lock);
	return rc;
}

/* Undoes gnttab_acquire. gt->lock not held (the table may go here). */
static void gnttab_release(struct gnttab *gt, grant_ref_t ref, bool write,
			   paddr_t pa)
{
	spin_lock(&gt->lock);
	gnttab_unclaim(gt, ref, write);
	spin_unlock(&gt->lock);
	frame_unpin(pa);
	gnttab_put(gt);
}

/* The domain a domid names for cd, or NULL; DOMID_SELF is cd. */
static struct domain *gnttab_domain(struct domain *cd, domid_t id)
{
	struct domain *d =
	    id == DOMID_SELF || id == cd->id ? cd : domain_get(id);

	return d && d->gnttab ? d : NULL;
}

/* ---- Map and unmap ---------------------------------------------------- */

static bool gnttab_window_ok(uint64_t va)
{
	return IS_ALIGNED(va, PAGE_SIZE) && va >= ATOLL_GRANT_WINDOW_BASE &&
	       va - ATOLL_GRANT_WINDOW_BASE < ATOLL_GRANT_WINDOW_SIZE;
}

/*
 * A free handle of cd for host_addr, or -1 with *rc set; d->lock held.
 * Only grant mappings live in the grant window, so an address in use is
 * one the page tables already map: one walk, not a scan of every handle.
 * Free handles are searched from where the last one was found.
 */
static int gnttab_find_handle(struct domain *cd, uint64_t host_addr,
			      int16_t *rc)
{
	struct gnttab *mt = cd->gnttab;
	paddr_t in_use;

	if (aspace_lookup(&cd->as, host_addr, ASPACE_READ, &in_use)) {
		*rc = GNTST_bad_virt_addr;
		return -1;
	}
	for (unsigned n = 0; n < GNTTAB_MAPTRACK_SIZE; n++) {
		unsigned i = (mt->map_hint + n) % GNTTAB_MAPTRACK_SIZE;

		if (!mt->maptrack[i].host_addr) {
			mt->map_hint = i;
			*rc = GNTST_okay;
			return (int)i;
		}
	}
	*rc = GNTST_no_space;
	return -1;
}

/* Checks what needs no lock; on success *g is the granter. */
static int16_t gnttab_map_decode(struct domain *cd,
				 const struct gnttab_map_grant_ref *op,
				 struct domain **g)
{
	uint32_t allowed = GNTMAP_host_map | GNTMAP_readonly;

	if (!(op->flags & GNTMAP_host_map) || (op->flags & ~allowed))
		return GNTST_general_error; /* device_map needs an IOMMU */
	if (!gnttab_window_ok(op->host_addr))
		return GNTST_bad_virt_addr;
	*g = gnttab_domain(cd, op->dom);
	return *g ? GNTST_okay : GNTST_bad_domain;
}

/* Maps op for cd from g; both domains' d->lock held. */
static int16_t gnttab_map_locked(struct domain *cd, struct domain *g,
				 struct gnttab_map_grant_ref *op)
{
	struct gnttab *mt = cd->gnttab;
	bool ro = op->flags & GNTMAP_readonly;
	int16_t rc;
	int h;
	paddr_t pa;

	if (mt->dying)
		return GNTST_general_error;
	h = gnttab_find_handle(cd, op->host_addr, &rc);
	if (h < 0)
		return rc;
	rc = gnttab_acquire(g, op->ref, cd->id, !ro, &pa);
	if (rc != GNTST_okay)
		return rc;
	if (!aspace_map(&cd->as, op->host_addr, pa, ro ? 0 : ASPACE_WRITE)) {
		gnttab_release(g->gnttab, op->ref, !ro, pa);
		return GNTST_general_error; /* no memory for page tables */
	}
	mt->maptrack[h] = (struct gnttab_map){
	    .host_addr = op->host_addr,
	    .granter = g->gnttab,
	    .frame = pa,
	    .ref = op->ref,
	    .granter_id = g->id,
	    .readonly = ro,
	};
	mt->map_count++;
	op->handle = h;
	op->dev_bus_addr = 0;
	return GNTST_okay;
}

static void gnttab_op_map(struct domain *cd, void *arg)
{
	struct gnttab_map_grant_ref *op = arg;
	struct domain *g;
	irqflags_t f;

	op->status = gnttab_map_decode(cd, op, &g);
	if (op->status != GNTST_okay)
		return;
	f = gnttab_lock_pair(cd, g);
	op->status = gnttab_map_locked(cd, g, op);
	gnttab_unlock_pair(cd, g, f);
}

/* Removes mapping m of d and drops its pin; d->lock held. */
static void gnttab_unmap_slot(struct domain *d, struct gnttab_map *m)
{
	struct gnttab_map old = *m;

	aspace_unmap(&d->as, old.host_addr, NULL);
	*m = (struct gnttab_map){0};
	d->gnttab->map_count--;
	gnttab_release(old.granter, old.ref, !old.readonly, old.frame);
}

static int16_t gnttab_unmap_handle(struct domain *cd, grant_handle_t handle,
				   uint64_t host_addr)
{
	struct gnttab_map *m;
	irqflags_t f;
	int16_t rc = GNTST_okay;

	if (handle >= GNTTAB_MAPTRACK_SIZE)
		return GNTST_bad_handle;
	f = spin_lock_irqsave(&cd->lock);
	m = &cd->gnttab->maptrack[handle];
	if (!m->host_addr)
		rc = GNTST_bad_handle;
	else if (m->host_addr != host_addr)
		rc = GNTST_bad_virt_addr;
	else
		gnttab_unmap_slot(cd, m);
	spin_unlock_irqrestore(&cd->lock, f);
	return rc;
}

/* A mapping whose result the caller cannot see is taken back. */
static void gnttab_undo_map(struct domain *cd, void *arg)
{
	struct gnttab_map_grant_ref *op = arg;

	if (op->status == GNTST_okay)
		(void)gnttab_unmap_handle(cd, op->handle, op->host_addr);
}

static void gnttab_op_unmap(struct domain *cd, void *arg)
{
	struct gnttab_unmap_grant_ref *op = arg;

	if (op->dev_bus_addr)
		op->status = GNTST_bad_dev_addr;
	else
		op->status = gnttab_unmap_handle(cd, op->handle, op->host_addr);
}

/* ---- Copy ------------------------------------------------------------- */

/* One side of a copy while it runs: a pinned frame. */
struct gnttab_copy_side {
	struct gnttab *gt; /* the granter's table, NULL for an own frame */
	grant_ref_t ref;
	bool write;
	paddr_t pa;
};

static int16_t gnttab_copy_own(struct domain *cd,
			       const struct gnttab_copy_ptr *p,
			       struct gnttab_copy_side *s)
{
	irqflags_t f;
	int16_t rc = GNTST_okay;

	if (p->domid != DOMID_SELF && p->domid != cd->id)
		return GNTST_bad_domain;
	f = spin_lock_irqsave(&cd->lock);
	if (gnttab_p2m_frame(cd, p->u.gmfn, &s->pa))
		frame_pin(s->pa);
	else
		rc = GNTST_bad_page;
	spin_unlock_irqrestore(&cd->lock, f);
	s->gt = NULL;
	return rc;
}

/* Pins one side of a copy for cd (for writing if write). */
static int16_t gnttab_copy_acquire(struct domain *cd,
				   const struct gnttab_copy_ptr *p, bool gref,
				   bool write, struct gnttab_copy_side *s)
{
	struct domain *g;
	irqflags_t f;
	int16_t rc;

	if (!gref)
		return gnttab_copy_own(cd, p, s);
	g = gnttab_domain(cd, p->domid);
	if (!g)
		return GNTST_bad_domain;
	s->gt = g->gnttab;
	s->ref = p->u.ref;
	s->write = write;
	f = spin_lock_irqsave(&g->lock);
	rc = gnttab_acquire(g, s->ref, cd->id, write, &s->pa);
	spin_unlock_irqrestore(&g->lock, f);
	return rc;
}

static void gnttab_copy_release(struct gnttab_copy_side *s)
{
	if (s->gt)
		gnttab_release(s->gt, s->ref, s->write, s->pa);
	else
		frame_unpin(s->pa);
}

static int16_t gnttab_copy_decode(const struct gnttab_copy *op)
{
	uint16_t known = GNTCOPY_source_gref | GNTCOPY_dest_gref;

	if (op->flags & ~known)
		return GNTST_bad_copy_arg;
	if (op->len > PAGE_SIZE || op->source.offset > PAGE_SIZE - op->len ||
	    op->dest.offset > PAGE_SIZE - op->len)
		return GNTST_bad_copy_arg;
	return GNTST_okay;
}

static int16_t gnttab_copy_one(struct domain *cd, const struct gnttab_copy *op)
{
	struct gnttab_copy_side src, dst;
	int16_t rc = gnttab_copy_decode(op);

	if (rc == GNTST_okay)
		rc = gnttab_copy_acquire(cd, &op->source,
					 op->flags & GNTCOPY_source_gref, false,
					 &src);
	if (rc != GNTST_okay)
		return rc;
	rc = gnttab_copy_acquire(cd, &op->dest, op->flags & GNTCOPY_dest_gref,
				 true, &dst);
	if (rc == GNTST_okay) {
		/* Both frames are pinned: neither can be freed meanwhile. */
		memmove((uint8_t *)arch_phys_to_virt(dst.pa) + op->dest.offset,
			(uint8_t *)arch_phys_to_virt(src.pa) +
			    op->source.offset,
			op->len);
		gnttab_copy_release(&dst);
	}
	gnttab_copy_release(&src);
	return rc;
}

static void gnttab_op_copy(struct domain *cd, void *arg)
{
	struct gnttab_copy *op = arg;

	op->status = gnttab_copy_one(cd, op);
}

/* ---- Setup, query, dump ----------------------------------------------- */

static bool gnttab_write_frame_list(struct domain *cd, uint64_t list,
				    unsigned nr)
{
	for (unsigned i = 0; i < nr; i++) {
		xen_pfn_t pfn = (ATOLL_GNTTAB_VA >> PAGE_SHIFT) + i;

		if (copy_to_guest(cd, list + i * sizeof(pfn), &pfn,
				  sizeof(pfn)))
			return false;
	}
	return true;
}

/* Maps entry frames [mapped_frames, nr) and grows nr_frames to nr. */
static int16_t gnttab_grow(struct domain *d, unsigned nr)
{
	struct gnttab *gt = d->gnttab;
	irqflags_t f = spin_lock_irqsave(&d->lock);
	unsigned i;

	for (i = gt->mapped_frames; i < nr; i++) {
		if (!aspace_map(&d->as, ATOLL_GNTTAB_VA + i * PAGE_SIZE,
				pa_add(gt->table_pa, i * PAGE_SIZE),
				ASPACE_WRITE))
			break;
	}
	if (i < nr) {
		while (i-- > gt->mapped_frames)
			aspace_unmap(&d->as, ATOLL_GNTTAB_VA + i * PAGE_SIZE,
				     NULL);
		spin_unlock_irqrestore(&d->lock, f);
		return GNTST_general_error;
	}
	gt->mapped_frames = MAX(gt->mapped_frames, nr);
	spin_lock(&gt->lock);
	gt->nr_frames = MAX(gt->nr_frames, nr);
	spin_unlock(&gt->lock);
	spin_unlock_irqrestore(&d->lock, f);
	return GNTST_okay;
}

static void gnttab_op_setup(struct domain *cd, void *arg)
{
	struct gnttab_setup_table *op = arg;

	if (op->dom != DOMID_SELF && op->dom != cd->id)
		op->status = GNTST_bad_domain;
	else if (op->nr_frames > GNTTAB_MAX_FRAMES)
		op->status = GNTST_general_error;
	else if (!gnttab_write_frame_list(cd, op->frame_list, op->nr_frames))
		op->status = GNTST_bad_virt_addr;
	else
		op->status = gnttab_grow(cd, op->nr_frames);
}

/* The domain dom names for cd if cd may act on it with cap. */
static int16_t gnttab_target(struct domain *cd, domid_t dom, uint32_t cap,
			     struct domain **d)
{
	if (dom == DOMID_SELF || dom == cd->id) {
		*d = cd;
		return GNTST_okay;
	}
	if (!(cd->caps & cap))
		return GNTST_permission_denied;
	*d = gnttab_domain(cd, dom);
	return *d ? GNTST_okay : GNTST_bad_domain;
}

static void gnttab_op_query(struct domain *cd, void *arg)
{
	struct gnttab_query_size *op = arg;
	struct domain *d;
	irqflags_t f;

	op->status = gnttab_target(cd, op->dom, ATOLL_CAP_DOMCTL, &d);
	if (op->status != GNTST_okay)
		return;
	f = spin_lock_irqsave(&d->gnttab->lock);
	op->nr_frames = d->gnttab->nr_frames;
	spin_unlock_irqrestore(&d->gnttab->lock, f);
	op->max_nr_frames = GNTTAB_MAX_FRAMES;
}

/* Active entries: granted, or still pinned. d's gt->lock held. */
static void gnttab_dump_entries(struct domain *d)
{
	struct gnttab *gt = d->gnttab;

	for (unsigned ref = 0;
	     ref < gt->nr_frames * GNTTAB_ENTRIES_PER_FRAME_V1; ref++) {
		uint32_t w = __atomic_load_n((gnttab_word_t *)&gt->shared[ref],
					     __ATOMIC_RELAXED);
		struct gnttab_active *act = &gt->active[ref];

		if ((GNTTAB_WORD_FLAGS(w) & GTF_type_mask) == GTF_invalid &&
		    !act->readers)
			continue;
		printk(LOG_INFO,
		       "  ref %u flags 0x%x dom %u frame 0x%x pins %u/%u\n",
		       ref, GNTTAB_WORD_FLAGS(w), GNTTAB_WORD_DOMID(w),
		       READ_ONCE(gt->shared[ref].frame), act->readers,
		       act->writers);
	}
}

/* What d maps from others; d->lock held. */
static void gnttab_dump_maps(struct domain *d)
{
	for (unsigned h = 0; h < GNTTAB_MAPTRACK_SIZE; h++) {
		struct gnttab_map *m = &d->gnttab->maptrack[h];

		if (!m->host_addr)
			continue;
		printk(LOG_INFO, "  handle %u: d%u ref %u at 0x%llx %s\n", h,
		       m->granter_id, m->ref, (unsigned long long)m->host_addr,
		       m->readonly ? "ro" : "rw");
	}
}

static void gnttab_dump_domain(struct domain *d, void *unused)
{
	irqflags_t f;

	if (!d->gnttab)
		return;
	f = spin_lock_irqsave(&d->lock);
	printk(LOG_INFO, "d%u '%s': %u frames, %u maps\n", d->id, d->name,
	       d->gnttab->nr_frames, d->gnttab->map_count);
	spin_lock(&d->gnttab->lock);
	gnttab_dump_entries(d);
	spin_unlock(&d->gnttab->lock);
	gnttab_dump_maps(d);
	spin_unlock_irqrestore(&d->lock, f);
}

void gnttab_dump(void)
{
	printk(LOG_INFO, "grant tables (ref flags dom frame pins r/w):\n");
	domain_for_each(gnttab_dump_domain, NULL);
}

static void gnttab_op_dump(struct domain *cd, void *arg)
{
	struct gnttab_dump_table *op = arg;
	struct domain *d;

	op->status = gnttab_target(cd, op->dom, ATOLL_CAP_CONSOLE, &d);
	if (op->status == GNTST_okay)
		gnttab_dump_domain(d, NULL);
}

/* ---- Teardown --------------------------------------------------------- */

/* Drops every mapping d holds; d->lock held. */
static void gnttab_unmap_all(struct domain *d)
{
	for (unsigned h = 0; h < GNTTAB_MAPTRACK_SIZE; h++) {
		if (d->gnttab->maptrack[h].host_addr)
			gnttab_unmap_slot(d, &d->gnttab->maptrack[h]);
	}
}

void gnttab_domain_destroy(struct domain *d)
{
	struct gnttab *gt = d->gnttab;
	irqflags_t f;

	if (!gt)
		return;
	f = spin_lock_irqsave(&d->lock);
	/* From now on nobody can map or copy from d, nor d map anything. */
	spin_lock(&gt->lock);
	gt->dying = true;
	spin_unlock(&gt->lock);
	gnttab_unmap_all(d);
	spin_unlock_irqrestore(&d->lock, f);
}

void gnttab_domain_free(struct domain *d)
{
	struct gnttab *gt = d->gnttab;
	irqflags_t f;

	if (!gt)
		return;
	f = spin_lock_irqsave(&d->lock);
	gnttab_unmap_all(d); /* nothing left if destroy ran */
	while (gt->mapped_frames) {
		gt->mapped_frames--;
		aspace_unmap(&d->as,
			     ATOLL_GNTTAB_VA + gt->mapped_frames * PAGE_SIZE,
			     NULL);
	}
	d->gnttab = NULL;
	spin_unlock_irqrestore(&d->lock, f);
	gnttab_put(gt); /* others' mappings of d's grants keep it alive */
}

/* ---- Dispatch --------------------------------------------------------- */

union gnttab_any_op {
	struct gnttab_map_grant_ref map;
	struct gnttab_unmap_grant_ref unmap;
	struct gnttab_setup_table setup;
	struct gnttab_copy copy;
	struct gnttab_query_size query;
	struct gnttab_dump_table dump;
};

struct gnttab_op {
	/* Does one element and sets its status; never fails as a whole. */
	void (*fn)(struct domain *cd, void *op);
	/* Takes an element back if its result cannot be written out. */
	void (*undo)(struct domain *cd, void *op);
	size_t size; /* bytes of one element */
	bool single; /* count must be 1 */
};

static const struct gnttab_op gnttab_ops[] = {
    [GNTTABOP_map_grant_ref] = {gnttab_op_map, gnttab_undo_map,
				sizeof(struct gnttab_map_grant_ref)},
    [GNTTABOP_unmap_grant_ref] = {gnttab_op_unmap, NULL,
				  sizeof(struct gnttab_unmap_grant_ref)},
    [GNTTABOP_setup_table] = {gnttab_op_setup, NULL,
			      sizeof(struct gnttab_setup_table), true},
    [GNTTABOP_dump_table] = {gnttab_op_dump, NULL,
			     sizeof(struct gnttab_dump_table), true},
    [GNTTABOP_copy] = {gnttab_op_copy, NULL, sizeof(struct gnttab_copy)},
    [GNTTABOP_query_size] = {gnttab_op_query, NULL,
			     sizeof(struct gnttab_query_size), true},
};

/* True if every page of [va, va + len) is readable and writable by cd:
 * each is read and written back, so nothing is processed otherwise. */
static bool gnttab_probe(struct domain *cd, uint64_t va, uint64_t len)
{
	uint64_t end = va + len;

	if (end < va)
		return false;
	while (va < end) {
		uint8_t b;

		if (copy_from_guest(cd, &b, va, 1) ||
		    copy_to_guest(cd, va, &b, 1))
			return false;
		va = ALIGN_DOWN(va, PAGE_SIZE) + PAGE_SIZE;
	}
	return true;
}

static long gnttab_run(struct domain *cd, const struct gnttab_op *op,
		       uint64_t uop, unsigned count)
{
	union gnttab_any_op buf;

	if (!gnttab_probe(cd, uop, (uint64_t)count * op->size))
		return -XEN_EFAULT;
	for (unsigned i = 0; i < count; i++) {
		uint64_t at = uop + (uint64_t)i * op->size;

		/* Only a racing vCPU of cd unmapping the array fails here. */
		if (copy_from_guest(cd, &buf, at, op->size))
			return -XEN_EFAULT;
		op->fn(cd, &buf);
		if (copy_to_guest(cd, at, &buf, op->size)) {
			if (op->undo)
				op->undo(cd, &buf);
			return -XEN_EFAULT;
		}
	}
	return 0;
}

long do_grant_table_op(unsigned cmd, uint64_t uop, unsigned count)
{
	const struct gnttab_op *op =
	    cmd < ARRAY_SIZE(gnttab_ops) ? &gnttab_ops[cmd] : NULL;
	struct domain *cd = current_domain();

	if (!op || !op->fn)
		return -XEN_ENOSYS;
	if ((count & (1U << 31)) || count > GNTTAB_BATCH_MAX ||
	    (op->single && count != 1))
		return -XEN_EINVAL;
	if (!cd->gnttab)
		return -XEN_EINVAL;
	return gnttab_run(cd, op, uop, count);
}
