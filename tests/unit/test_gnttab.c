// SPDX-License-Identifier: GPL-2.0-only
/*
 * Grant tables (kernel/common/gnttab.c) against a fake core: frames are
 * aligned host allocations whose address is their "physical" address
 * (arch_phys_to_virt is the identity in the fake arch), an address space
 * is a small va -> pa table, and guest addresses are host pointers except
 * a designated unmapped range and a read-only page. Every test tears its
 * domains down the way domain_destroy does and checks no frame is left.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include <arch/mm.h>
#include <atoll/aspace.h>
#include <atoll/domain_build.h>
#include <atoll/frame.h>
#include <atoll/gnttab.h>
#include <atoll/guest.h>
#include <atoll/sched.h>
#include <atoll/caps.h>
#include <atoll/layout.h>
#include <xen/errno.h>
#include <xen/grant_table.h>
#include "fake_core.h"

/* ---- Fake frames ---------------------------------------------------- */

#define FAKE_ALLOCS 4096

struct fake_frame {
	void *p;
	unsigned order;
	uint32_t pins;
	bool released;
};

static struct fake_frame fake_frames[FAKE_ALLOCS];
static long fake_frames_live;	   /* frames (not blocks) allocated */
static int fake_alloc_budget = -1; /* allocations left; -1: unlimited */

static struct fake_frame *fake_find(paddr_t pa)
{
	for (int i = 0; i < FAKE_ALLOCS; i++) {
		if (fake_frames[i].p &&
		    (uint64_t)(uintptr_t)fake_frames[i].p == pa_addr(pa))
			return &fake_frames[i];
	}
	fail_msg("no such frame 0x%llx", (unsigned long long)pa_addr(pa));
	return NULL;
}

bool frame_alloc(unsigned order, paddr_t *out)
{
	if (fake_alloc_budget == 0)
		return false;
	if (fake_alloc_budget > 0)
		fake_alloc_budget--;
	for (int i = 0; i < FAKE_ALLOCS; i++) {
		if (fake_frames[i].p)
			continue;
		fake_frames[i] = (struct fake_frame){
		    .p = aligned_alloc(PAGE_SIZE, PAGE_SIZE << order),
		    .order = order};
		assert_non_null(fake_frames[i].p);
		memset(fake_frames[i].p, 0xa5, PAGE_SIZE << order);
		fake_frames_live += 1L << order;
		*out = pa_init((uintptr_t)fake_frames[i].p);
		return true;
	}
	return false;
}

static void fake_free(struct fake_frame *f)
{
	fake_frames_live -= 1L << f->order;
	free(f->p);
	*f = (struct fake_frame){0};
}

void frame_free(paddr_t pa, unsigned order)
{
	struct fake_frame *f = fake_find(pa);

	assert_int_equal(f->order, order);
	assert_int_equal(f->pins, 0);
	fake_free(f);
}

void frame_pin(paddr_t pa)
{
	struct fake_frame *f = fake_find(pa);

	assert_int_equal(f->order, 0);
	assert_false(f->released);
	f->pins++;
}

void frame_unpin(paddr_t pa)
{
	struct fake_frame *f = fake_find(pa);

	assert_true(f->pins > 0);
	if (--f->pins == 0 && f->released)
		fake_free(f);
}

void frame_release(paddr_t pa)
{
	struct fake_frame *f = fake_find(pa);

	assert_int_equal(f->order, 0);
	if (f->pins)
		f->released = true;
	else
		fake_free(f);
}

uint32_t frame_pins(paddr_t pa)
{
	return fake_find(pa)->pins;
}

/* ---- Fake address spaces --------------------------------------------- */

#define FAKE_PTES 2048

struct fake_pte {
	const struct aspace *as;
	uint64_t va;
	paddr_t pa;
	unsigned access;
};

static struct fake_pte fake_ptes[FAKE_PTES];
static int fake_map_budget = -1;

static struct fake_pte *pte_find(const struct aspace *as, uint64_t va)
{
	for (int i = 0; i < FAKE_PTES; i++) {
		if (fake_ptes[i].as == as && fake_ptes[i].va == va)
			return &fake_ptes[i];
	}
	return NULL;
}

bool aspace_map(struct aspace *as, uint64_t va, paddr_t pa, unsigned access)
{
	struct fake_pte *e = pte_find(as, va);

	assert_true(va < ATOLL_DOMAIN_VA_LIMIT && va % PAGE_SIZE == 0);
	if (fake_map_budget == 0)
		return false;
	if (fake_map_budget > 0)
		fake_map_budget--;
	if (!e)
		e = pte_find(NULL, 0);
	assert_non_null(e);
	*e = (struct fake_pte){as, va, pa, access};
	return true;
}

bool aspace_unmap(struct aspace *as, uint64_t va, paddr_t *old)
{
	struct fake_pte *e = pte_find(as, va);

	if (!e)
		return false;
	if (old)
		*old = e->pa;
	*e = (struct fake_pte){0};
	return true;
}

bool aspace_lookup(const struct aspace *as, uint64_t va, unsigned access,
		   paddr_t *pa)
{
	struct fake_pte *e = pte_find(as, va);

	if (!e || (access & ~e->access))
		return false;
	*pa = e->pa;
	return true;
}

void aspace_destroy(struct aspace *as)
{
	for (int i = 0; i < FAKE_PTES; i++) {
		if (fake_ptes[i].as == as)
			fake_ptes[i] = (struct fake_pte){0};
	}
}

/* ---- Fake domains and guest memory ------------------------------------ */

static struct domain *fake_domains[DOMAIN_MAX + 1];
static struct domain *fake_current;

struct domain *current_domain(void)
{
	return fake_current;
}

struct domain *domain_get(domid_t id)
{
	return id >= DOMID_FIRST && id <= DOMAIN_MAX ? fake_domains[id] : NULL;
}

void domain_for_each(void (*fn)(struct domain *d, void *ctx), void *ctx)
{
	for (int i = DOMID_FIRST; i <= DOMAIN_MAX; i++) {
		if (fake_domains[i])
			fn(fake_domains[i], ctx);
	}
}

/*
 * Guest addresses are host pointers, but for the low 128 KiB, the middle
 * page of the arena (a hole, so arrays can straddle into it) and its last
 * page, which is read-only.
 */
#define BAD_VA 0x10000ULL
static uint8_t arena[3 * 4096] __attribute__((aligned(4096)));
#define HOLE	(arena + 4096)
#define RO_PAGE (arena + 8192)
static int fake_copy_to_fail_in; /* the n-th copy_to_guest fails; 0: none */

static bool overlaps(uint64_t a, uint64_t len, const void *b, uint64_t blen)
{
	return a < (uintptr_t)b + blen && (uintptr_t)b < a + len;
}

static bool unmapped(uint64_t gva, size_t len)
{
	return gva + len < gva || overlaps(gva, len, NULL, 0x20000) ||
	       overlaps(gva, len, HOLE, 4096);
}

int copy_from_guest(struct domain *d, void *dst, uint64_t gva, size_t len)
{
	if (unmapped(gva, len))
		return -XEN_EFAULT;
	memcpy(dst, (void *)(uintptr_t)gva, len);
	return 0;
}

int copy_to_guest(struct domain *d, uint64_t gva, const void *src, size_t len)
{
	if (fake_copy_to_fail_in && --fake_copy_to_fail_in == 0)
		return -XEN_EFAULT;
	if (unmapped(gva, len) || overlaps(gva, len, RO_PAGE, 4096))
		return -XEN_EFAULT;
	memcpy((void *)(uintptr_t)gva, src, len);
	return 0;
}

/* A domain with RAM frames 1 .. pages-1 populated, p2m of p2m_size. */
static struct domain *dom_new(domid_t id, uint64_t pages, uint32_t caps)
{
	struct domain *d = calloc(1, sizeof(*d));

	assert_non_null(d);
	d->id = id;
	d->lock = (struct spinlock)SPINLOCK_INIT;
	d->caps = caps;
	d->p2m_size = d->max_pages = 64;
	d->p2m = calloc(d->p2m_size, sizeof(uint64_t));
	for (uint64_t gpfn = 1; gpfn < pages; gpfn++) {
		paddr_t pa;

		assert_true(frame_alloc(0, &pa));
		memset(arch_phys_to_virt(pa), 0, PAGE_SIZE);
		assert_true(
		    aspace_map(&d->as, gpfn << PAGE_SHIFT, pa, ASPACE_WRITE));
		d->p2m[gpfn] = pa_addr(pa);
		d->tot_pages++;
	}
	assert_int_equal(gnttab_domain_init(d), 0);
	fake_domains[id] = d;
	return d;
}

/* What domain_destroy + domain_build_release do, in their order. */
static void dom_destroy(struct domain *d)
{
	gnttab_domain_destroy(d);
	fake_domains[d->id] = NULL;
	gnttab_domain_free(d);
	assert_null(d->gnttab);
	for (uint64_t gpfn = 0; gpfn < d->p2m_size; gpfn++) {
		if (d->p2m[gpfn])
			frame_release(pa_init(d->p2m[gpfn]));
	}
	aspace_destroy(&d->as);
	free(d->p2m);
	free(d);
}

static int setup(void **state)
{
	memset(fake_frames, 0, sizeof(fake_frames));
	memset(fake_ptes, 0, sizeof(fake_ptes));
	fake_frames_live = 0;
	fake_alloc_budget = fake_map_budget = -1;
	fake_copy_to_fail_in = 0;
	fake_current = NULL;
	return 0;
}

static void destroy_all_and_check_leaks(void)
{
	for (int i = DOMID_FIRST; i <= DOMAIN_MAX; i++) {
		if (fake_domains[i])
			dom_destroy(fake_domains[i]);
	}
	assert_int_equal(fake_frames_live, 0);
	for (int i = 0; i < FAKE_PTES; i++)
		assert_null(fake_ptes[i].as);
}

/* ---- Helpers acting as a domain ------------------------------------ */

#define WIN    ATOLL_GRANT_WINDOW_BASE
#define GVA(p) ((uint64_t)(uintptr_t)(p))

static uint8_t *gframe(struct domain *d, uint64_t gpfn)
{
	return (uint8_t *)(uintptr_t)d->p2m[gpfn];
}

static long setup_table(struct domain *d, domid_t dom, uint32_t nr,
			xen_pfn_t *list, int16_t *status)
{
	struct gnttab_setup_table op = {.dom = dom, .nr_frames = nr};
	long rc;

	set_xen_guest_handle(op.frame_list, list);
	fake_current = d;
	rc = do_grant_table_op(GNTTABOP_setup_table, GVA(&op), 1);
	*status = op.status;
	return rc;
}

static uint32_t query_frames(struct domain *d, domid_t dom, int16_t *status)
{
	struct gnttab_query_size op = {.dom = dom};

	fake_current = d;
	assert_int_equal(do_grant_table_op(GNTTABOP_query_size, GVA(&op), 1),
			 0);
	*status = op.status;
	return op.nr_frames;
}

/* The granter's view of entry ref, through its mapping of the table. */
static struct grant_entry_v1 *entry(struct domain *d, grant_ref_t ref)
{
	uint64_t va =
	    ATOLL_GNTTAB_VA + ref / GNTTAB_ENTRIES_PER_FRAME_V1 * PAGE_SIZE;
	paddr_t pa;

	if (!aspace_lookup(&d->as, va, ASPACE_WRITE, &pa)) {
		xen_pfn_t list[GNTTAB_MAX_FRAMES];
		int16_t st;

		assert_int_equal(setup_table(d, DOMID_SELF, 1, list, &st), 0);
		assert_int_equal(st, GNTST_okay);
		assert_true(aspace_lookup(&d->as, va, ASPACE_WRITE, &pa));
	}
	return (struct grant_entry_v1 *)arch_phys_to_virt(pa) +
	       ref % GNTTAB_ENTRIES_PER_FRAME_V1;
}

static void grant(struct domain *g, grant_ref_t ref, domid_t to, uint32_t gpfn,
		  uint16_t flags)
{
	struct grant_entry_v1 *e = entry(g, ref);

	e->domid = to;
	e->frame = gpfn;
	e->flags = GTF_permit_access | flags;
}

static int16_t map(struct domain *cd, domid_t dom, grant_ref_t ref,
		   uint64_t addr, uint32_t flags, grant_handle_t *handle)
{
	struct gnttab_map_grant_ref op = {
	    .host_addr = addr,
	    .flags = flags,
	    .ref = ref,
	    .dom = dom,
	    .status = 99,
	    .handle = ~0U,
	};

	fake_current = cd;
	assert_int_equal(do_grant_table_op(GNTTABOP_map_grant_ref, GVA(&op), 1),
			 0);
	if (handle)
		*handle = op.handle;
	return op.status;
}

static int16_t unmap(struct domain *cd, grant_handle_t handle, uint64_t addr)
{
	struct gnttab_unmap_grant_ref op = {
	    .host_addr = addr,
	    .handle = handle,
	    .status = 99,
	};

	fake_current = cd;
	assert_int_equal(
	    do_grant_table_op(GNTTABOP_unmap_grant_ref, GVA(&op), 1), 0);
	return op.status;
}

static int16_t copy(struct domain *cd, struct gnttab_copy op)
{
	op.status = 99;
	fake_current = cd;
	assert_int_equal(do_grant_table_op(GNTTABOP_copy, GVA(&op), 1), 0);
	return op.status;
}

static paddr_t mapped_at(struct domain *d, uint64_t va, unsigned access)
{
	paddr_t pa = pa_init(0);

	assert_true(aspace_lookup(&d->as, va, access, &pa));
	return pa;
}

static bool is_mapped(struct domain *d, uint64_t va)
{
	paddr_t pa;

	return aspace_lookup(&d->as, va, 0, &pa);
}

static uint32_t pins(struct domain *d, uint64_t gpfn)
{
	return frame_pins(pa_init(d->p2m[gpfn]));
}

/* ---- Setup and query -------------------------------------------------- */

static void test_setup_table(void **state)
{
	struct domain *a = dom_new(1, 16, 0);
	xen_pfn_t list[GNTTAB_MAX_FRAMES] = {0};
	int16_t st;

	assert_int_equal(query_frames(a, DOMID_SELF, &st), 1);
	assert_int_equal(st, GNTST_okay);
	assert_false(is_mapped(a, ATOLL_GNTTAB_VA)); /* not before setup */
	assert_int_equal(setup_table(a, DOMID_SELF, 2, list, &st), 0);
	assert_int_equal(st, GNTST_okay);
	assert_int_equal(list[0], ATOLL_GNTTAB_VA >> PAGE_SHIFT);
	assert_int_equal(list[1], (ATOLL_GNTTAB_VA >> PAGE_SHIFT) + 1);
	mapped_at(a, ATOLL_GNTTAB_VA, ASPACE_WRITE);
	mapped_at(a, ATOLL_GNTTAB_VA + PAGE_SIZE, ASPACE_WRITE);
	assert_false(is_mapped(a, ATOLL_GNTTAB_VA + 2 * PAGE_SIZE));
	assert_int_equal(query_frames(a, 1, &st), 2); /* own id is self */

	/* It never shrinks; the maximum is a hard limit. */
	assert_int_equal(setup_table(a, DOMID_SELF, 1, list, &st), 0);
	assert_int_equal(st, GNTST_okay);
	assert_int_equal(query_frames(a, DOMID_SELF, &st), 2);
	assert_int_equal(
	    setup_table(a, DOMID_SELF, GNTTAB_MAX_FRAMES + 1, list, &st), 0);
	assert_int_equal(st, GNTST_general_error);
	assert_int_equal(
	    setup_table(a, DOMID_SELF, GNTTAB_MAX_FRAMES, list, &st), 0);
	assert_int_equal(st, GNTST_okay);
	assert_int_equal(query_frames(a, DOMID_SELF, &st), GNTTAB_MAX_FRAMES);
	destroy_all_and_check_leaks();
}

static void test_setup_table_hostile(void **state)
{
	struct domain *a = dom_new(1, 16, ATOLL_CAP_DOMCTL);
	struct gnttab_setup_table op = {.dom = DOMID_SELF, .nr_frames = 1};
	xen_pfn_t list[2];
	int16_t st;

	dom_new(2, 16, 0);
	assert_int_equal(setup_table(a, 2, 1, list, &st), 0);
	assert_int_equal(st, GNTST_bad_domain); /* even with domctl */
	assert_int_equal(setup_table(a, DOMID_SELF, 2, (void *)BAD_VA, &st), 0);
	assert_int_equal(st, GNTST_bad_virt_addr);
	assert_int_equal(setup_table(a, DOMID_SELF, 2, (void *)RO_PAGE, &st),
			 0);
	assert_int_equal(st, GNTST_bad_virt_addr);
	assert_int_equal(query_frames(a, DOMID_SELF, &st), 1);
	assert_false(is_mapped(a, ATOLL_GNTTAB_VA));

	/* Page-table memory runs out: nothing stays mapped. */
	fake_map_budget = 1;
	assert_int_equal(setup_table(a, DOMID_SELF, 2, list, &st), 0);
	assert_int_equal(st, GNTST_general_error);
	assert_false(is_mapped(a, ATOLL_GNTTAB_VA));
	assert_int_equal(query_frames(a, DOMID_SELF, &st), 1);
	fake_map_budget = -1;

	fake_current = a;
	set_xen_guest_handle(op.frame_list, list);
	assert_int_equal(do_grant_table_op(GNTTABOP_setup_table, GVA(&op), 2),
			 -XEN_EINVAL);
	assert_int_equal(do_grant_table_op(GNTTABOP_setup_table, GVA(&op), 0),
			 -XEN_EINVAL);
	assert_int_equal(do_grant_table_op(GNTTABOP_setup_table, BAD_VA, 1),
			 -XEN_EFAULT);
	destroy_all_and_check_leaks();
}

static void test_query_size_caps(void **state)
{
	struct domain *a = dom_new(1, 16, 0);
	struct domain *c = dom_new(3, 16, ATOLL_CAP_DOMCTL);
	int16_t st;

	dom_new(2, 16, 0);
	query_frames(a, 2, &st);
	assert_int_equal(st, GNTST_permission_denied);
	query_frames(a, 9, &st);
	assert_int_equal(st, GNTST_permission_denied); /* no existence leak */
	assert_int_equal(query_frames(c, 2, &st), 1);
	assert_int_equal(st, GNTST_okay);
	query_frames(c, 9, &st);
	assert_int_equal(st, GNTST_bad_domain);
	query_frames(c, DOMID_INVALID, &st);
	assert_int_equal(st, GNTST_bad_domain);
	destroy_all_and_check_leaks();
}

/* ---- Map and unmap ------------------------------------------------------ */

static void test_map_unmap_rw(void **state)
{
	struct domain *a = dom_new(1, 16, 0), *b = dom_new(2, 16, 0);
	grant_handle_t h;
	paddr_t pa;

	grant(a, 10, 2, 5, 0);
	assert_int_equal(map(b, 1, 10, WIN, GNTMAP_host_map, &h), GNTST_okay);
	assert_true(h < GNTTAB_MAPTRACK_SIZE);
	pa = mapped_at(b, WIN, ASPACE_WRITE);
	assert_int_equal(pa_addr(pa), a->p2m[5]);
	assert_int_equal(pins(a, 5), 1);
	assert_int_equal(entry(a, 10)->flags,
			 GTF_permit_access | GTF_reading | GTF_writing);

	/* Both see the same page. */
	memcpy(arch_phys_to_virt(pa), "hello", 6);
	assert_string_equal((char *)gframe(a, 5), "hello");

	assert_int_equal(unmap(b, h, WIN), GNTST_okay);
	assert_false(is_mapped(b, WIN));
	assert_int_equal(pins(a, 5), 0);
	assert_int_equal(entry(a, 10)->flags, GTF_permit_access);
	assert_int_equal(unmap(b, h, WIN), GNTST_bad_handle); /* double */
	destroy_all_and_check_leaks();
}

static void test_map_readonly(void **state)
{
	struct domain *a = dom_new(1, 16, 0), *b = dom_new(2, 16, 0);
	grant_handle_t h1, h2;

	grant(a, 10, 2, 5, GTF_readonly);
	assert_int_equal(map(b, 1, 10, WIN, GNTMAP_host_map, NULL),
			 GNTST_permission_denied);
	assert_int_equal(entry(a, 10)->flags, GTF_permit_access | GTF_readonly);
	assert_false(is_mapped(b, WIN));

	assert_int_equal(
	    map(b, 1, 10, WIN, GNTMAP_host_map | GNTMAP_readonly, &h1),
	    GNTST_okay);
	mapped_at(b, WIN, ASPACE_READ);
	assert_false(aspace_lookup(&b->as, WIN, ASPACE_WRITE, &(paddr_t){0}));
	assert_int_equal(entry(a, 10)->flags,
			 GTF_permit_access | GTF_readonly | GTF_reading);

	/* A read-only map of a writable grant; then a writable one. */
	grant(a, 11, 2, 6, 0);
	assert_int_equal(map(b, 1, 11, WIN + PAGE_SIZE,
			     GNTMAP_host_map | GNTMAP_readonly, &h2),
			 GNTST_okay);
	assert_int_equal(entry(a, 11)->flags, GTF_permit_access | GTF_reading);
	assert_int_equal(unmap(b, h2, WIN + PAGE_SIZE), GNTST_okay);
	assert_int_equal(entry(a, 11)->flags, GTF_permit_access);

	assert_int_equal(unmap(b, h1, WIN), GNTST_okay);
	assert_int_equal(entry(a, 10)->flags, GTF_permit_access | GTF_readonly);
	destroy_all_and_check_leaks();
}

static void test_map_not_granted(void **state)
{
	struct domain *a = dom_new(1, 16, 0), *b = dom_new(2, 16, 0);
	struct grant_entry_v1 *e;

	dom_new(3, 16, 0);
	grant(a, 10, 3, 5, 0); /* for d3, not d2 */
	assert_int_equal(map(b, 1, 10, WIN, GNTMAP_host_map, NULL),
			 GNTST_permission_denied);
	assert_int_equal(entry(a, 10)->flags, GTF_permit_access);
	e = entry(a, 11); /* never filled in */
	assert_int_equal(map(b, 1, 11, WIN, GNTMAP_host_map, NULL),
			 GNTST_permission_denied);
	*e = (struct grant_entry_v1){GTF_accept_transfer, 2, 5};
	assert_int_equal(map(b, 1, 11, WIN, GNTMAP_host_map, NULL),
			 GNTST_permission_denied);
	*e = (struct grant_entry_v1){GTF_transitive, 2, 5};
	assert_int_equal(map(b, 1, 11, WIN, GNTMAP_host_map, NULL),
			 GNTST_permission_denied);

	/* Refs beyond the table, and domains that are not there. */
	assert_int_equal(
	    map(b, 1, GNTTAB_ENTRIES_PER_FRAME_V1, WIN, GNTMAP_host_map, NULL),
	    GNTST_bad_gntref);
	assert_int_equal(map(b, 1, 0xffffffffU, WIN, GNTMAP_host_map, NULL),
			 GNTST_bad_gntref);
	assert_int_equal(map(b, 9, 10, WIN, GNTMAP_host_map, NULL),
			 GNTST_bad_domain);
	assert_int_equal(map(b, 0, 10, WIN, GNTMAP_host_map, NULL),
			 GNTST_bad_domain);
	assert_int_equal(map(b, DOMID_INVALID, 10, WIN, GNTMAP_host_map, NULL),
			 GNTST_bad_domain);
	assert_int_equal(map(b, 0xffff, 10, WIN, GNTMAP_host_map, NULL),
			 GNTST_bad_domain);
	assert_false(is_mapped(b, WIN));
	assert_int_equal(pins(a, 5), 0);
	destroy_all_and_check_leaks();
}

static void test_map_bad_frames(void **state)
{
	struct domain *a = dom_new(1, 16, 0), *b = dom_new(2, 16, 0);
	const uint32_t bad[] = {0, 20, 63, 64, 1000, 0xffffffffU};

	/* Frames that are not a's RAM: page 0, unpopulated, beyond p2m. */
	for (unsigned i = 0; i < ARRAY_SIZE(bad); i++) {
		grant(a, 10, 2, bad[i], 0);
		assert_int_equal(map(b, 1, 10, WIN, GNTMAP_host_map, NULL),
				 GNTST_bad_page);
		assert_int_equal(entry(a, 10)->flags, GTF_permit_access);
	}
	assert_false(is_mapped(b, WIN));
	destroy_all_and_check_leaks();
}

static void test_map_grows_with_table(void **state)
{
	struct domain *a = dom_new(1, 16, 0), *b = dom_new(2, 16, 0);
	xen_pfn_t list[GNTTAB_MAX_FRAMES];
	grant_ref_t last = GNTTAB_MAX_FRAMES * GNTTAB_ENTRIES_PER_FRAME_V1 - 1;
	grant_handle_t h;
	int16_t st;

	assert_int_equal(
	    setup_table(a, DOMID_SELF, GNTTAB_MAX_FRAMES, list, &st), 0);
	grant(a, last, 2, 7, 0);
	assert_int_equal(map(b, 1, last, WIN, GNTMAP_host_map, &h), GNTST_okay);
	assert_int_equal(
	    map(b, 1, last + 1, WIN + PAGE_SIZE, GNTMAP_host_map, NULL),
	    GNTST_bad_gntref);
	assert_int_equal(unmap(b, h, WIN), GNTST_okay);
	destroy_all_and_check_leaks();
}

static void test_map_self_grant(void **state)
{
	struct domain *a = dom_new(1, 16, 0);
	grant_handle_t h;

	grant(a, 10, 1, 5, 0);
	assert_int_equal(map(a, DOMID_SELF, 10, WIN, GNTMAP_host_map, &h),
			 GNTST_okay);
	assert_int_equal(pa_addr(mapped_at(a, WIN, ASPACE_WRITE)), a->p2m[5]);
	assert_int_equal(unmap(a, h, WIN), GNTST_okay);
	/* Left mapped: teardown takes it back. */
	assert_int_equal(map(a, 1, 10, WIN, GNTMAP_host_map, &h), GNTST_okay);
	destroy_all_and_check_leaks();
}

static void test_map_bad_addresses(void **state)
{
	struct domain *a = dom_new(1, 16, 0), *b = dom_new(2, 16, 0);
	const uint64_t bad[] = {
	    0,
	    5 << PAGE_SHIFT, /* its own RAM */
	    WIN - PAGE_SIZE,
	    WIN + 1,
	    WIN + PAGE_SIZE - 1,
	    WIN + ATOLL_GRANT_WINDOW_SIZE,
	    ATOLL_GNTTAB_VA,
	    ATOLL_START_INFO_VA,
	    0xffff800000000000ULL,
	    ~0ULL & ~(PAGE_SIZE - 1),
	};
	grant_handle_t h;

	grant(a, 10, 2, 5, 0);
	grant(a, 11, 2, 6, 0);
	for (unsigned i = 0; i < ARRAY_SIZE(bad); i++)
		assert_int_equal(map(b, 1, 10, bad[i], GNTMAP_host_map, NULL),
				 GNTST_bad_virt_addr);
	assert_int_equal(pa_addr(mapped_at(b, 5 << PAGE_SHIFT, ASPACE_WRITE)),
			 b->p2m[5]);

	/* The last page of the window is fine; then it is in use. */
	uint64_t last = WIN + ATOLL_GRANT_WINDOW_SIZE - PAGE_SIZE;

	assert_int_equal(map(b, 1, 10, last, GNTMAP_host_map, &h), GNTST_okay);
	assert_int_equal(map(b, 1, 11, last, GNTMAP_host_map, NULL),
			 GNTST_bad_virt_addr);
	assert_int_equal(map(b, 1, 10, last, GNTMAP_host_map, NULL),
			 GNTST_bad_virt_addr);
	assert_int_equal(pa_addr(mapped_at(b, last, ASPACE_WRITE)), a->p2m[5]);
	assert_int_equal(pins(a, 6), 0);
	assert_int_equal(entry(a, 11)->flags, GTF_permit_access);
	assert_int_equal(unmap(b, h, last), GNTST_okay);
	destroy_all_and_check_leaks();
}

static void test_map_flags(void **state)
{
	struct domain *a = dom_new(1, 16, 0), *b = dom_new(2, 16, 0);
	const uint32_t bad[] = {
	    0,
	    GNTMAP_readonly,
	    GNTMAP_device_map,
	    GNTMAP_device_map | GNTMAP_host_map,
	    GNTMAP_host_map | GNTMAP_contains_pte,
	    GNTMAP_host_map | GNTMAP_application_map,
	    GNTMAP_host_map | 0x80000000U,
	};

	grant(a, 10, 2, 5, 0);
	for (unsigned i = 0; i < ARRAY_SIZE(bad); i++)
		assert_int_equal(map(b, 1, 10, WIN, bad[i], NULL),
				 GNTST_general_error);
	assert_int_equal(entry(a, 10)->flags, GTF_permit_access);
	assert_false(is_mapped(b, WIN));
	destroy_all_and_check_leaks();
}

static void test_map_batch_mixed(void **state)
{
	struct domain *a = dom_new(1, 16, 0), *b = dom_new(2, 16, 0);
	struct gnttab_map_grant_ref ops[4] = {
	    {.host_addr = WIN, .flags = GNTMAP_host_map, .ref = 10, .dom = 1},
	    {.host_addr = WIN + PAGE_SIZE,
	     .flags = GNTMAP_host_map,
	     .ref = 4000,
	     .dom = 1},
	    {.host_addr = WIN + 1,
	     .flags = GNTMAP_host_map,
	     .ref = 11,
	     .dom = 1},
	    {.host_addr = WIN + 2 * PAGE_SIZE,
	     .flags = GNTMAP_host_map,
	     .ref = 11,
	     .dom = 1},
	};
	struct gnttab_unmap_grant_ref un[2] = {
	    {.host_addr = WIN, .handle = 0},
	    {.host_addr = WIN + 2 * PAGE_SIZE, .handle = 1},
	};

	grant(a, 10, 2, 5, 0);
	grant(a, 11, 2, 6, 0);
	fake_current = b;
	assert_int_equal(do_grant_table_op(GNTTABOP_map_grant_ref, GVA(ops), 4),
			 0);
	assert_int_equal(ops[0].status, GNTST_okay);
	assert_int_equal(ops[1].status, GNTST_bad_gntref);
	assert_int_equal(ops[2].status, GNTST_bad_virt_addr);
	assert_int_equal(ops[3].status, GNTST_okay);
	assert_int_equal(ops[0].dev_bus_addr, 0);
	un[0].handle = ops[0].handle;
	un[1].handle = ops[3].handle;
	assert_int_equal(pins(a, 5) + pins(a, 6), 2);
	assert_int_equal(
	    do_grant_table_op(GNTTABOP_unmap_grant_ref, GVA(un), 2), 0);
	assert_int_equal(un[0].status, GNTST_okay);
	assert_int_equal(un[1].status, GNTST_okay);
	assert_int_equal(pins(a, 5) + pins(a, 6), 0);
	destroy_all_and_check_leaks();
}

static void test_maptrack_exhaustion(void **state)
{
	struct domain *a = dom_new(1, 16, 0), *b = dom_new(2, 16, 0);
	grant_handle_t h[GNTTAB_MAPTRACK_SIZE];

	for (unsigned i = 0; i <= GNTTAB_MAPTRACK_SIZE; i++)
		grant(a, 8 + i, 2, 5, 0);
	for (unsigned i = 0; i < GNTTAB_MAPTRACK_SIZE; i++)
		assert_int_equal(map(b, 1, 8 + i, WIN + i * PAGE_SIZE,
				     GNTMAP_host_map, &h[i]),
				 GNTST_okay);
	assert_int_equal(map(b, 1, 8 + GNTTAB_MAPTRACK_SIZE,
			     WIN + GNTTAB_MAPTRACK_SIZE * PAGE_SIZE,
			     GNTMAP_host_map, NULL),
			 GNTST_no_space);
	assert_int_equal(entry(a, 8 + GNTTAB_MAPTRACK_SIZE)->flags,
			 GTF_permit_access);
	assert_int_equal(pins(a, 5), GNTTAB_MAPTRACK_SIZE);

	/* Freeing one handle makes room again. */
	assert_int_equal(unmap(b, h[7], WIN + 7 * PAGE_SIZE), GNTST_okay);
	assert_int_equal(map(b, 1, 8 + GNTTAB_MAPTRACK_SIZE,
			     WIN + GNTTAB_MAPTRACK_SIZE * PAGE_SIZE,
			     GNTMAP_host_map, &h[7]),
			 GNTST_okay);
	for (unsigned i = 0; i < GNTTAB_MAPTRACK_SIZE; i++) {
		uint64_t va =
		    WIN + (i == 7 ? GNTTAB_MAPTRACK_SIZE : i) * PAGE_SIZE;

		assert_int_equal(unmap(b, h[i], va), GNTST_okay);
	}
	assert_int_equal(pins(a, 5), 0);
	destroy_all_and_check_leaks();
}

static void test_pin_counter_overflow(void **state)
{
	struct domain *a = dom_new(1, 16, 0), *b = dom_new(2, 16, 0);
	grant_handle_t h[255];

	grant(a, 10, 2, 5, 0);
	for (unsigned i = 0; i < 255; i++)
		assert_int_equal(map(b, 1, 10, WIN + i * PAGE_SIZE,
				     GNTMAP_host_map | GNTMAP_readonly, &h[i]),
				 GNTST_okay);
	assert_int_equal(map(b, 1, 10, WIN + 255 * PAGE_SIZE,
			     GNTMAP_host_map | GNTMAP_readonly, NULL),
			 GNTST_general_error);
	for (unsigned i = 0; i < 255; i++)
		assert_int_equal(unmap(b, h[i], WIN + i * PAGE_SIZE),
				 GNTST_okay);
	assert_int_equal(entry(a, 10)->flags, GTF_permit_access);
	assert_int_equal(pins(a, 5), 0);
	destroy_all_and_check_leaks();
}

static void test_unmap_errors(void **state)
{
	struct domain *a = dom_new(1, 16, 0), *b = dom_new(2, 16, 0);
	struct gnttab_unmap_grant_ref op = {.host_addr = WIN,
					    .dev_bus_addr = 0x1000};
	grant_handle_t h;

	grant(a, 10, 2, 5, 0);
	assert_int_equal(map(b, 1, 10, WIN, GNTMAP_host_map, &h), GNTST_okay);
	assert_int_equal(unmap(b, GNTTAB_MAPTRACK_SIZE, WIN), GNTST_bad_handle);
	assert_int_equal(unmap(b, ~0U, WIN), GNTST_bad_handle);
	assert_int_equal(unmap(b, h + 1, WIN), GNTST_bad_handle);
	assert_int_equal(unmap(b, h, WIN + PAGE_SIZE), GNTST_bad_virt_addr);
	assert_int_equal(unmap(b, h, 0), GNTST_bad_virt_addr);
	assert_int_equal(unmap(a, h, WIN), GNTST_bad_handle); /* not a's */
	op.handle = h;
	fake_current = b;
	assert_int_equal(
	    do_grant_table_op(GNTTABOP_unmap_grant_ref, GVA(&op), 1), 0);
	assert_int_equal(op.status, GNTST_bad_dev_addr);
	assert_int_equal(pins(a, 5), 1); /* all refused: still mapped */
	assert_true(is_mapped(b, WIN));

	/* The granter rewrites the entry meanwhile: unmap still works. */
	entry(a, 10)->flags = GTF_invalid;
	entry(a, 10)->domid = 3;
	assert_int_equal(unmap(b, h, WIN), GNTST_okay);
	assert_int_equal(pins(a, 5), 0);
	destroy_all_and_check_leaks();
}

/* ---- Copy --------------------------------------------------------------- */

static struct gnttab_copy_ptr gref_ptr(domid_t dom, grant_ref_t ref,
				       uint16_t offset)
{
	return (struct gnttab_copy_ptr){
	    .u.ref = ref, .domid = dom, .offset = offset};
}

static struct gnttab_copy_ptr own_ptr(xen_pfn_t gmfn, uint16_t offset)
{
	return (struct gnttab_copy_ptr){
	    .u.gmfn = gmfn, .domid = DOMID_SELF, .offset = offset};
}

/* A frame-number side that names a domain (only the caller is allowed). */
static struct gnttab_copy_ptr dom_ptr(domid_t dom, xen_pfn_t gmfn)
{
	return (struct gnttab_copy_ptr){.u.gmfn = gmfn, .domid = dom};
}

static void test_copy(void **state)
{
	struct domain *a = dom_new(1, 16, 0), *b = dom_new(2, 16, 0);
	struct domain *c = dom_new(3, 16, 0);

	grant(a, 10, 2, 5, 0);
	grant(c, 12, 2, 7, 0);
	memcpy(gframe(a, 5) + 100, "from a", 7);

	/* a's grant -> b's own frame. */
	assert_int_equal(
	    copy(b, (struct gnttab_copy){.source = gref_ptr(1, 10, 100),
					 .dest = own_ptr(3, 200),
					 .len = 7,
					 .flags = GNTCOPY_source_gref}),
	    GNTST_okay);
	assert_string_equal((char *)gframe(b, 3) + 200, "from a");

	/* b's own frame -> a's grant. */
	memcpy(gframe(b, 4), "from b", 7);
	assert_int_equal(
	    copy(b, (struct gnttab_copy){.source = own_ptr(4, 0),
					 .dest = gref_ptr(1, 10, 4089),
					 .len = 7,
					 .flags = GNTCOPY_dest_gref}),
	    GNTST_okay);
	assert_string_equal((char *)gframe(a, 5) + 4089, "from b");

	/* a's grant -> c's grant, the whole page. */
	assert_int_equal(
	    copy(b, (struct gnttab_copy){.source = gref_ptr(1, 10, 0),
					 .dest = gref_ptr(3, 12, 0),
					 .len = PAGE_SIZE,
					 .flags = GNTCOPY_source_gref |
						  GNTCOPY_dest_gref}),
	    GNTST_okay);
	assert_memory_equal(gframe(a, 5), gframe(c, 7), PAGE_SIZE);

	/* Own frame to own frame, overlapping: a memmove. */
	assert_int_equal(copy(b, (struct gnttab_copy){.source = own_ptr(3, 200),
						      .dest = own_ptr(3, 201),
						      .len = 7}),
			 GNTST_okay);
	assert_string_equal((char *)gframe(b, 3) + 201, "from a");

	/* Nothing stays pinned or marked in use. */
	assert_int_equal(entry(a, 10)->flags, GTF_permit_access);
	assert_int_equal(entry(c, 12)->flags, GTF_permit_access);
	assert_int_equal(pins(a, 5) + pins(c, 7) + pins(b, 3) + pins(b, 4), 0);
	destroy_all_and_check_leaks();
}

#define COPY(src, dst, l, f)                                                   \
	{                                                                      \
		.source = src, .dest = dst, .len = l, .flags = f               \
	}

static void test_copy_hostile(void **state)
{
	struct domain *a = dom_new(1, 16, 0), *b = dom_new(2, 16, 0);
	const struct {
		struct gnttab_copy op;
		int16_t status;
	} cases[] = {
	    /* Ranges that cross the page, bad flags. */
	    {COPY(own_ptr(3, 4000), own_ptr(4, 0), 97, 0), GNTST_bad_copy_arg},
	    {COPY(own_ptr(3, 0), own_ptr(4, 4000), 97, 0), GNTST_bad_copy_arg},
	    {COPY(own_ptr(3, 0), own_ptr(4, 0), PAGE_SIZE + 1, 0),
	     GNTST_bad_copy_arg},
	    {COPY(own_ptr(3, 0xffff), own_ptr(4, 0), 1, 0), GNTST_bad_copy_arg},
	    {COPY(own_ptr(3, 0), own_ptr(4, 0), 8, 4), GNTST_bad_copy_arg},
	    /* Frame-number sides: only one's own RAM. */
	    {COPY(own_ptr(0, 0), own_ptr(4, 0), 8, 0), GNTST_bad_page},
	    {COPY(own_ptr(3, 0), own_ptr(20, 0), 8, 0), GNTST_bad_page},
	    {COPY(own_ptr(3, 0), own_ptr(1ULL << 40, 0), 8, 0), GNTST_bad_page},
	    {COPY(dom_ptr(1, 3), own_ptr(4, 0), 8, 0), GNTST_bad_domain},
	    /* Grant sides. */
	    {COPY(gref_ptr(9, 10, 0), own_ptr(4, 0), 8, GNTCOPY_source_gref),
	     GNTST_bad_domain},
	    {COPY(gref_ptr(1, 600, 0), own_ptr(4, 0), 8, GNTCOPY_source_gref),
	     GNTST_bad_gntref},
	    {COPY(gref_ptr(1, 12, 0), own_ptr(4, 0), 8, GNTCOPY_source_gref),
	     GNTST_permission_denied},
	    {COPY(own_ptr(3, 0), gref_ptr(1, 11, 0), 8, GNTCOPY_dest_gref),
	     GNTST_permission_denied}, /* read-only grant */
	    {COPY(gref_ptr(1, 13, 0), own_ptr(4, 0), 8, GNTCOPY_source_gref),
	     GNTST_bad_page},
	    {COPY(gref_ptr(1, 10, 0), own_ptr(20, 0), 8, GNTCOPY_source_gref),
	     GNTST_bad_page},
	    /* Fine: reading a read-only grant. */
	    {COPY(gref_ptr(1, 11, 0), own_ptr(4, 0), 8, GNTCOPY_source_gref),
	     GNTST_okay},
	};

	grant(a, 10, 2, 5, 0);
	grant(a, 11, 2, 6, GTF_readonly);
	grant(a, 12, 3, 6, 0);	/* someone else's */
	grant(a, 13, 2, 40, 0); /* not a's RAM */
	for (unsigned i = 0; i < ARRAY_SIZE(cases); i++) {
		print_message("case %u\n", i);
		assert_int_equal(copy(b, cases[i].op), cases[i].status);
	}
	assert_int_equal(entry(a, 10)->flags, GTF_permit_access);
	assert_int_equal(entry(a, 11)->flags, GTF_permit_access | GTF_readonly);
	assert_int_equal(entry(a, 13)->flags, GTF_permit_access);
	assert_int_equal(pins(a, 5) + pins(a, 6) + pins(b, 3) + pins(b, 4), 0);
	destroy_all_and_check_leaks();
}

/* ---- Teardown ------------------------------------------------------------ */

static void test_granter_destroy_keeps_frame(void **state)
{
	struct domain *a = dom_new(1, 16, 0), *b = dom_new(2, 16, 0);
	grant_handle_t h;
	paddr_t pa;
	long frames_of_a;

	grant(a, 10, 2, 5, 0);
	assert_int_equal(map(b, 1, 10, WIN, GNTMAP_host_map, &h), GNTST_okay);
	memcpy(gframe(a, 5), "survives", 9);

	/* Dying: teardown has begun, a is still in the domain table. */
	gnttab_domain_destroy(a);
	grant(a, 11, 2, 6, 0);
	assert_int_equal(map(b, 1, 11, WIN + PAGE_SIZE, GNTMAP_host_map, NULL),
			 GNTST_bad_domain);
	assert_int_equal(
	    copy(b, (struct gnttab_copy){.source = gref_ptr(1, 11, 0),
					 .dest = own_ptr(3, 0),
					 .len = 8,
					 .flags = GNTCOPY_source_gref}),
	    GNTST_bad_domain);

	frames_of_a = 15 + 8; /* RAM, grant table and its bookkeeping */
	long before = fake_frames_live;

	dom_destroy(a);
	/* The mapped frame and a's table stay until b lets go. */
	assert_int_equal(fake_frames_live, before - frames_of_a + 1 + 8);
	pa = mapped_at(b, WIN, ASPACE_WRITE);
	assert_string_equal((char *)arch_phys_to_virt(pa), "survives");
	assert_int_equal(frame_pins(pa), 1);
	assert_int_equal(map(b, 1, 10, WIN + PAGE_SIZE, GNTMAP_host_map, NULL),
			 GNTST_bad_domain);

	assert_int_equal(unmap(b, h, WIN), GNTST_okay);
	assert_int_equal(fake_frames_live, before - frames_of_a);
	destroy_all_and_check_leaks();
}

static void test_mapper_destroy_unmaps(void **state)
{
	struct domain *a = dom_new(1, 16, 0), *b = dom_new(2, 16, 0);

	grant(a, 10, 2, 5, 0);
	grant(a, 11, 2, 6, GTF_readonly);
	assert_int_equal(map(b, 1, 10, WIN, GNTMAP_host_map, NULL), GNTST_okay);
	assert_int_equal(map(b, 1, 11, WIN + PAGE_SIZE,
			     GNTMAP_host_map | GNTMAP_readonly, NULL),
			 GNTST_okay);
	dom_destroy(b);
	assert_int_equal(entry(a, 10)->flags, GTF_permit_access);
	assert_int_equal(entry(a, 11)->flags, GTF_permit_access | GTF_readonly);
	assert_int_equal(pins(a, 5) + pins(a, 6), 0);
	destroy_all_and_check_leaks();
}

static void test_both_destroyed_in_either_order(void **state)
{
	/* Each maps the other's grant; destroy the lower id first, then the
	 * other way round: nothing leaks either way. */
	for (int order = 0; order < 2; order++) {
		struct domain *a = dom_new(1, 16, 0), *b = dom_new(2, 16, 0);

		grant(a, 10, 2, 5, 0);
		grant(b, 10, 1, 5, 0);
		assert_int_equal(map(b, 1, 10, WIN, GNTMAP_host_map, NULL),
				 GNTST_okay);
		assert_int_equal(map(a, 2, 10, WIN, GNTMAP_host_map, NULL),
				 GNTST_okay);
		dom_destroy(order ? b : a);
		dom_destroy(order ? a : b);
		assert_int_equal(fake_frames_live, 0);
	}
	destroy_all_and_check_leaks();
}

static void test_init_out_of_memory(void **state)
{
	struct domain d = {.id = 5};

	for (int budget = 0; budget < 2; budget++) {
		fake_alloc_budget = budget;
		assert_int_equal(gnttab_domain_init(&d), -XEN_ENOMEM);
		assert_null(d.gnttab);
		assert_int_equal(fake_frames_live, 0);
	}
	fake_alloc_budget = -1;
	gnttab_domain_free(&d); /* fine without a table */
	assert_int_equal(gnttab_domain_init(&d), 0);
	gnttab_domain_destroy(&d);
	gnttab_domain_free(&d);
	destroy_all_and_check_leaks();
}

static void test_map_page_tables_out_of_memory(void **state)
{
	struct domain *a = dom_new(1, 16, 0), *b = dom_new(2, 16, 0);

	grant(a, 10, 2, 5, 0);
	fake_map_budget = 0;
	assert_int_equal(map(b, 1, 10, WIN, GNTMAP_host_map, NULL),
			 GNTST_general_error);
	fake_map_budget = -1;
	assert_int_equal(entry(a, 10)->flags, GTF_permit_access);
	assert_int_equal(pins(a, 5), 0);
	assert_false(is_mapped(b, WIN));
	destroy_all_and_check_leaks();
}

/* ---- Dispatch ------------------------------------------------------------ */

static void test_dispatch(void **state)
{
	struct domain *a = dom_new(1, 16, 0);
	struct gnttab_copy op = {
	    .source = own_ptr(3, 0), .dest = own_ptr(4, 0), .len = 8};

	fake_current = a;
	assert_int_equal(do_grant_table_op(GNTTABOP_transfer, GVA(&op), 1),
			 -XEN_ENOSYS);
	assert_int_equal(
	    do_grant_table_op(GNTTABOP_unmap_and_replace, GVA(&op), 1),
	    -XEN_ENOSYS);
	assert_int_equal(do_grant_table_op(99, GVA(&op), 1), -XEN_ENOSYS);
	assert_int_equal(do_grant_table_op(~0U, GVA(&op), 1), -XEN_ENOSYS);
	assert_int_equal(do_grant_table_op(GNTTABOP_copy, GVA(&op), 1U << 31),
			 -XEN_EINVAL);
	assert_int_equal(
	    do_grant_table_op(GNTTABOP_copy, GVA(&op), GNTTAB_BATCH_MAX + 1),
	    -XEN_EINVAL);
	assert_int_equal(do_grant_table_op(GNTTABOP_copy, BAD_VA, 0), 0);
	assert_int_equal(do_grant_table_op(GNTTABOP_copy, BAD_VA, 1),
			 -XEN_EFAULT);
	memcpy(HOLE - 8, &op, 8);
	assert_int_equal(do_grant_table_op(GNTTABOP_copy, GVA(HOLE - 8), 1),
			 -XEN_EFAULT); /* straddles into the hole */
	assert_int_equal(do_grant_table_op(GNTTABOP_copy, ~0ULL - 8, 1),
			 -XEN_EFAULT); /* wraps */
	assert_int_equal(do_grant_table_op(GNTTABOP_copy, GVA(&op), 1), 0);
	assert_int_equal(op.status, GNTST_okay);
	destroy_all_and_check_leaks();
}

static void test_unwritable_ops_do_nothing(void **state)
{
	struct domain *a = dom_new(1, 16, 0), *b = dom_new(2, 16, 0);
	struct gnttab_map_grant_ref *op = (void *)arena; /* in one page */

	*op = (struct gnttab_map_grant_ref){
	    .host_addr = WIN, .flags = GNTMAP_host_map, .ref = 10, .dom = 1};
	grant(a, 10, 2, 5, 0);
	memcpy(RO_PAGE, op, sizeof(*op));
	fake_current = b;
	assert_int_equal(
	    do_grant_table_op(GNTTABOP_map_grant_ref, GVA(RO_PAGE), 1),
	    -XEN_EFAULT);
	assert_int_equal(pins(a, 5), 0);
	assert_false(is_mapped(b, WIN));

	/* The array goes away after the probe: the mapping is taken back. */
	fake_copy_to_fail_in = 2; /* one probe write, then the result */
	assert_int_equal(do_grant_table_op(GNTTABOP_map_grant_ref, GVA(op), 1),
			 -XEN_EFAULT);
	fake_copy_to_fail_in = 0;
	assert_int_equal(pins(a, 5), 0);
	assert_false(is_mapped(b, WIN));
	assert_int_equal(entry(a, 10)->flags, GTF_permit_access);
	assert_int_equal(map(b, 1, 10, WIN, GNTMAP_host_map, NULL), GNTST_okay);
	destroy_all_and_check_leaks();
}

static void test_dump(void **state)
{
	struct domain *a = dom_new(1, 16, 0), *b = dom_new(2, 16, 0);
	struct domain *c = dom_new(3, 16, ATOLL_CAP_CONSOLE);
	struct gnttab_dump_table op = {.dom = 1};

	grant(a, 10, 2, 5, 0);
	assert_int_equal(map(b, 1, 10, WIN, GNTMAP_host_map, NULL), GNTST_okay);
	fake_log_clear();
	gnttab_dump();
	assert_non_null(strstr(fake_log, "ref 10 flags 0x19 dom 2 frame 0x5"));
	assert_non_null(
	    strstr(fake_log, "handle 0: d1 ref 10 at 0x7e0000000000"));

	fake_current = b;
	assert_int_equal(do_grant_table_op(GNTTABOP_dump_table, GVA(&op), 1),
			 0);
	assert_int_equal(op.status, GNTST_permission_denied);
	op.dom = DOMID_SELF;
	assert_int_equal(do_grant_table_op(GNTTABOP_dump_table, GVA(&op), 1),
			 0);
	assert_int_equal(op.status, GNTST_okay);
	fake_current = c;
	op.dom = 1;
	fake_log_clear();
	assert_int_equal(do_grant_table_op(GNTTABOP_dump_table, GVA(&op), 1),
			 0);
	assert_int_equal(op.status, GNTST_okay);
	assert_non_null(strstr(fake_log, "ref 10 "));
	op.dom = 9;
	assert_int_equal(do_grant_table_op(GNTTABOP_dump_table, GVA(&op), 1),
			 0);
	assert_int_equal(op.status, GNTST_bad_domain);
	destroy_all_and_check_leaks();
}

#define T(fn) cmocka_unit_test_setup(fn, setup)

int main(void)
{
	const struct CMUnitTest tests[] = {
	    T(test_setup_table),
	    T(test_setup_table_hostile),
	    T(test_query_size_caps),
	    T(test_map_unmap_rw),
	    T(test_map_readonly),
	    T(test_map_not_granted),
	    T(test_map_bad_frames),
	    T(test_map_grows_with_table),
	    T(test_map_self_grant),
	    T(test_map_bad_addresses),
	    T(test_map_flags),
	    T(test_map_batch_mixed),
	    T(test_maptrack_exhaustion),
	    T(test_pin_counter_overflow),
	    T(test_unmap_errors),
	    T(test_copy),
	    T(test_copy_hostile),
	    T(test_granter_destroy_keeps_frame),
	    T(test_mapper_destroy_unmaps),
	    T(test_both_destroyed_in_either_order),
	    T(test_init_out_of_memory),
	    T(test_map_page_tables_out_of_memory),
	    T(test_dispatch),
	    T(test_unwritable_ops_do_nothing),
	    T(test_dump),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
