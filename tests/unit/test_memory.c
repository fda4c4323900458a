// SPDX-License-Identifier: GPL-2.0-only
/*
 * memory_op (kernel/common/hc_memory.c) against a fake core: frames come
 * from a host arena whose addresses are their "physical" addresses (the
 * fake arch's direct map is the identity), an address space is an array
 * indexed by page, and guest addresses are host pointers except the low
 * 128 KiB and one hole page. Each test tears its domains down as the
 * domain builder does and checks that every frame came back.
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
#include <atoll/guest.h>
#include <atoll/memory.h>
#include <atoll/sched.h>
#include <atoll/caps.h>
#include <atoll/layout.h>
#include <xen/errno.h>
#include <xen/memory.h>
#include "fake_core.h"

/* ---- Fake frames: an arena of order-0 frames ------------------------ */

#define FAKE_FRAMES 8192

struct fake_frame {
	bool used;
	bool released;
	uint16_t owner;
	uint32_t pins;
};

static uint8_t *arena;
static struct fake_frame fake_frames[FAKE_FRAMES];
static uint32_t fake_free_stack[FAKE_FRAMES];
static unsigned fake_free_top;
static long fake_frames_live;
static int fake_alloc_budget = -1; /* allocations left; -1: unlimited */

static struct fake_frame *fake_find(paddr_t pa)
{
	uint64_t off = pa_addr(pa) - (uintptr_t)arena;

	assert_true(pa_addr(pa) >= (uintptr_t)arena && off % PAGE_SIZE == 0 &&
		    off / PAGE_SIZE < FAKE_FRAMES);
	assert_true(fake_frames[off / PAGE_SIZE].used);
	return &fake_frames[off / PAGE_SIZE];
}

bool frame_alloc(unsigned order, paddr_t *out)
{
	uint32_t i;

	assert_int_equal(order, 0); /* memory_op needs no more */
	if (fake_alloc_budget == 0 || !fake_free_top)
		return false;
	if (fake_alloc_budget > 0)
		fake_alloc_budget--;
	i = fake_free_stack[--fake_free_top];
	fake_frames[i] = (struct fake_frame){.used = true};
	memset(arena + (uint64_t)i * PAGE_SIZE, 0xa5, PAGE_SIZE); /* poison */
	fake_frames_live++;
	*out = pa_init((uintptr_t)arena + (uint64_t)i * PAGE_SIZE);
	return true;
}

static void fake_free(struct fake_frame *f)
{
	uint32_t i = f - fake_frames;

	*f = (struct fake_frame){0};
	memset(arena + (uint64_t)i * PAGE_SIZE, 0x5a, PAGE_SIZE);
	fake_free_stack[fake_free_top++] = i;
	fake_frames_live--;
}

void frame_free(paddr_t pa, unsigned order)
{
	struct fake_frame *f = fake_find(pa);

	assert_int_equal(order, 0);
	assert_int_equal(f->pins, 0);
	fake_free(f);
}

void frame_set_owner(paddr_t pa, uint16_t owner)
{
	fake_find(pa)->owner = owner;
}

uint16_t frame_owner(paddr_t pa)
{
	return fake_find(pa)->owner;
}

void frame_pin(paddr_t pa)
{
	fake_find(pa)->pins++;
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

	if (f->pins)
		f->released = true;
	else
		fake_free(f);
}

/* ---- Fake address spaces: one page array per domain ----------------- */

#define FAKE_SPACES 4
#define FAKE_PAGES  16384 /* virtual pages a fake space can map */

struct fake_space {
	const struct aspace *as;
	uint64_t *pte; /* pa | access << 1 | 1, indexed by page */
	long count;
};

static struct fake_space fake_spaces[FAKE_SPACES];
static int fake_map_budget = -1;

static struct fake_space *space_of(const struct aspace *as, bool create)
{
	struct fake_space *spare = NULL;

	for (int i = 0; i < FAKE_SPACES; i++) {
		if (fake_spaces[i].as == as)
			return &fake_spaces[i];
		if (!fake_spaces[i].as && !spare)
			spare = &fake_spaces[i];
	}
	if (!create)
		return NULL;
	assert_non_null(spare);
	spare->as = as;
	spare->pte = calloc(FAKE_PAGES, sizeof(uint64_t));
	return spare;
}

bool aspace_map(struct aspace *as, uint64_t va, paddr_t pa, unsigned access)
{
	struct fake_space *s = space_of(as, true);
	uint64_t page = va >> PAGE_SHIFT;

	assert_true(va % PAGE_SIZE == 0 && page < FAKE_PAGES);
	if (fake_map_budget == 0)
		return false;
	if (fake_map_budget > 0)
		fake_map_budget--;
	s->count += !s->pte[page];
	s->pte[page] = pa_addr(pa) | access << 1 | 1;
	return true;
}

bool aspace_unmap(struct aspace *as, uint64_t va, paddr_t *old)
{
	struct fake_space *s = space_of(as, false);
	uint64_t page = va >> PAGE_SHIFT;

	if (!s || page >= FAKE_PAGES || !s->pte[page])
		return false;
	if (old)
		*old = pa_init(s->pte[page] & ~(PAGE_SIZE - 1));
	s->pte[page] = 0;
	s->count--;
	return true;
}

/* The entry at va: 0 if none, else pa | access << 1 | 1. */
static uint64_t pte_at(struct domain *d, uint64_t va)
{
	struct fake_space *s = space_of(&d->as, false);

	return s && (va >> PAGE_SHIFT) < FAKE_PAGES ? s->pte[va >> PAGE_SHIFT]
						    : 0;
}

void aspace_destroy(struct aspace *as)
{
	struct fake_space *s = space_of(as, false);

	if (s) {
		free(s->pte);
		*s = (struct fake_space){0};
	}
}

/* ---- Fake domains and guest memory ----------------------------------- */

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

static uint8_t guest_mem[2 * 4096] __attribute__((aligned(4096)));
#define HOLE (guest_mem + 4096) /* unmapped */

static bool overlaps(uint64_t a, uint64_t len, const void *b, uint64_t blen)
{
	return a < (uintptr_t)b + blen && (uintptr_t)b < a + len;
}

int copy_from_guest(struct domain *d, void *dst, uint64_t gva, size_t len)
{
	if (gva + len < gva || overlaps(gva, len, NULL, 0x20000) ||
	    overlaps(gva, len, HOLE, 4096))
		return -XEN_EFAULT;
	memcpy(dst, (void *)(uintptr_t)gva, len);
	return 0;
}

int copy_to_guest(struct domain *d, uint64_t gva, const void *src, size_t len)
{
	fail_msg("memory_op writes nothing back");
	return -XEN_EFAULT;
}

/* A domain with frames 1 .. pages-1 populated and room for p2m_size. */
static struct domain *dom_new(domid_t id, uint64_t pages, uint64_t p2m_size,
			      uint32_t caps)
{
	struct domain *d = calloc(1, sizeof(*d));

	assert_non_null(d);
	d->id = id;
	d->lock = (struct spinlock)SPINLOCK_INIT;
	d->caps = caps;
	d->p2m_size = d->max_pages = p2m_size;
	d->p2m = calloc(p2m_size, sizeof(uint64_t));
	for (uint64_t gpfn = 1; gpfn < pages; gpfn++) {
		paddr_t pa;

		assert_true(frame_alloc(0, &pa));
		assert_true(
		    aspace_map(&d->as, gpfn << PAGE_SHIFT, pa, ASPACE_WRITE));
		d->p2m[gpfn] = pa_addr(pa);
		d->tot_pages++;
	}
	fake_domains[id] = d;
	return d;
}

/* What domain_build_release does with RAM. */
static void dom_destroy(struct domain *d)
{
	fake_domains[d->id] = NULL;
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
	arena = aligned_alloc(PAGE_SIZE, (size_t)FAKE_FRAMES * PAGE_SIZE);
	assert_non_null(arena);
	memset(fake_frames, 0, sizeof(fake_frames));
	for (uint32_t i = 0; i < FAKE_FRAMES; i++)
		fake_free_stack[i] = FAKE_FRAMES - 1 - i;
	fake_free_top = FAKE_FRAMES;
	fake_frames_live = 0;
	fake_alloc_budget = fake_map_budget = -1;
	fake_current = NULL;
	return 0;
}

static int teardown(void **state)
{
	free(arena);
	arena = NULL;
	return 0;
}

static void destroy_all_and_check_leaks(void)
{
	for (int i = DOMID_FIRST; i <= DOMAIN_MAX; i++) {
		if (fake_domains[i])
			dom_destroy(fake_domains[i]);
	}
	assert_int_equal(fake_frames_live, 0);
	for (int i = 0; i < FAKE_SPACES; i++)
		assert_null(fake_spaces[i].as);
}

/* ---- Helpers acting as a domain ------------------------------------- */

#define GVA(p) ((uint64_t)(uintptr_t)(p))

static long reservation(struct domain *cd, unsigned cmd, domid_t dom,
			unsigned order, const xen_pfn_t *list, uint64_t count)
{
	struct xen_memory_reservation r = {
	    .nr_extents = count,
	    .extent_order = order,
	    .domid = dom,
	};

	set_xen_guest_handle(r.extent_start, list);
	fake_current = cd;
	return do_memory_op(cmd, GVA(&r));
}

static long populate(struct domain *d, const xen_pfn_t *list, uint64_t n)
{
	return reservation(d, XENMEM_populate_physmap, DOMID_SELF, 0, list, n);
}

static long decrease(struct domain *d, const xen_pfn_t *list, uint64_t n)
{
	return reservation(d, XENMEM_decrease_reservation, DOMID_SELF, 0, list,
			   n);
}

static long query(struct domain *cd, unsigned cmd, domid_t dom)
{
	struct xen_memory_domain md = {dom};

	fake_current = cd;
	return do_memory_op(cmd, GVA(&md));
}

static bool all_bytes(const uint8_t *p, uint8_t v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (p[i] != v)
			return false;
	}
	return true;
}

/* ---- Populate -------------------------------------------------------- */

static void test_populate(void **state)
{
	struct domain *d = dom_new(1, 16, 64, 0);
	const xen_pfn_t list[] = {20, 21, 63};

	assert_int_equal(populate(d, list, 3), 3);
	assert_int_equal(d->tot_pages, 15 + 3);
	for (unsigned i = 0; i < 3; i++) {
		uint64_t pte = pte_at(d, list[i] << PAGE_SHIFT);
		paddr_t pa = pa_init(d->p2m[list[i]]);

		assert_true(pa_addr(pa));
		/* Read-write, never executable, at va == gpfn << 12. */
		assert_int_equal(pte, pa_addr(pa) | ASPACE_WRITE << 1 | 1);
		assert_true(all_bytes(arch_phys_to_virt(pa), 0, PAGE_SIZE));
		assert_int_equal(frame_owner(pa), 1);
	}
	assert_int_equal(populate(d, list, 0), 0);
	destroy_all_and_check_leaks();
}

static void test_populate_stops_at_bad_frames(void **state)
{
	struct domain *d = dom_new(1, 16, 64, 0);
	const xen_pfn_t lists[][2] = {
	    {20, 5},	      /* already populated */
	    {22, 22},	      /* twice */
	    {24, 0},	      /* page 0 */
	    {25, 64},	      /* beyond p2m */
	    {26, 1ULL << 52}, /* far beyond */
	    {27, ~0ULL},      /* would wrap */
	    {28, ATOLL_RAM_LIMIT >> PAGE_SHIFT},
	};
	uint64_t tot = d->tot_pages;

	for (unsigned i = 0; i < ARRAY_SIZE(lists); i++) {
		assert_int_equal(populate(d, lists[i], 2), 1);
		assert_int_equal(d->tot_pages, ++tot);
	}
	assert_int_equal(pte_at(d, 0), 0);
	assert_int_equal(d->p2m[0], 0);
	destroy_all_and_check_leaks();
}

static void test_populate_max_pages(void **state)
{
	struct domain *d = dom_new(1, 16, 64, 0);
	const xen_pfn_t list[] = {20, 21, 22, 23};

	d->max_pages = d->tot_pages + 2;
	assert_int_equal(populate(d, list, 4), 2);
	assert_int_equal(d->tot_pages, d->max_pages);
	assert_int_equal(d->p2m[22], 0);
	assert_int_equal(populate(d, list + 2, 2), 0);
	/* Giving one back makes room for one. */
	assert_int_equal(decrease(d, list, 1), 1);
	assert_int_equal(populate(d, list + 2, 2), 1);
	destroy_all_and_check_leaks();
}

static void test_populate_orders(void **state)
{
	struct domain *d = dom_new(1, 16, 1024, 0);
	const xen_pfn_t list[] = {24, 27, 26, 512};
	uint64_t tot = d->tot_pages;

	assert_int_equal(
	    reservation(d, XENMEM_populate_physmap, DOMID_SELF, 1, list, 1), 1);
	assert_true(d->p2m[24] && d->p2m[25]);
	assert_int_equal(d->tot_pages, tot + 2);
	/* Misaligned; half populated already: nothing done. */
	assert_int_equal(
	    reservation(d, XENMEM_populate_physmap, DOMID_SELF, 1, list + 1, 1),
	    0);
	assert_int_equal(populate(d, list + 2, 1), 1);
	assert_int_equal(
	    reservation(d, XENMEM_populate_physmap, DOMID_SELF, 1, list + 2, 1),
	    0);
	assert_int_equal(d->p2m[27], 0);
	assert_int_equal(d->tot_pages, tot + 3);
	tot++;

	/* The largest order; one more would pass max_pages: all or none. */
	d->max_pages = d->tot_pages + 511;
	assert_int_equal(reservation(d, XENMEM_populate_physmap, DOMID_SELF,
				     XENMEM_ATOLL_MAX_ORDER, list + 3, 1),
			 0);
	d->max_pages = 1024;
	assert_int_equal(reservation(d, XENMEM_populate_physmap, DOMID_SELF,
				     XENMEM_ATOLL_MAX_ORDER, list + 3, 1),
			 1);
	assert_int_equal(d->tot_pages, tot + 2 + 512);
	assert_true(d->p2m[512] && d->p2m[1023]);
	assert_int_equal(reservation(d, XENMEM_decrease_reservation, DOMID_SELF,
				     XENMEM_ATOLL_MAX_ORDER, list + 3, 1),
			 1);
	assert_int_equal(d->tot_pages, tot + 2);

	assert_int_equal(reservation(d, XENMEM_populate_physmap, DOMID_SELF,
				     XENMEM_ATOLL_MAX_ORDER + 1, list, 1),
			 -XEN_EINVAL);
	assert_int_equal(
	    reservation(d, XENMEM_populate_physmap, DOMID_SELF, ~0U, list, 1),
	    -XEN_EINVAL);
	destroy_all_and_check_leaks();
}

static void test_populate_out_of_memory(void **state)
{
	struct domain *d = dom_new(1, 16, 64, 0);
	const xen_pfn_t list[] = {20, 22};
	long live = fake_frames_live;

	/* The second frame of the extent is missing: none is kept. */
	fake_alloc_budget = 1;
	assert_int_equal(
	    reservation(d, XENMEM_populate_physmap, DOMID_SELF, 1, list, 1), 0);
	fake_alloc_budget = -1;
	assert_int_equal(fake_frames_live, live);
	assert_int_equal(d->p2m[20] | d->p2m[21], 0);
	assert_int_equal(pte_at(d, 20 << PAGE_SHIFT), 0);

	/* No memory for page tables: the frame goes back. */
	fake_map_budget = 1;
	assert_int_equal(populate(d, list, 2), 1);
	fake_map_budget = -1;
	assert_int_equal(fake_frames_live, live + 1);
	assert_int_equal(d->p2m[22], 0);
	assert_int_equal(d->tot_pages, 16);
	destroy_all_and_check_leaks();
}

static void test_populate_frames_per_call(void **state)
{
	struct domain *d = dom_new(1, 2, 8192, 0);
	xen_pfn_t *list = calloc(MEMORY_OP_FRAMES_MAX + 8, sizeof(*list));

	for (unsigned i = 0; i < MEMORY_OP_FRAMES_MAX + 8; i++)
		list[i] = 2 + i;
	assert_int_equal(populate(d, list, MEMORY_OP_FRAMES_MAX + 8),
			 MEMORY_OP_FRAMES_MAX);
	/* The caller goes on from where it stopped. */
	assert_int_equal(populate(d, list + MEMORY_OP_FRAMES_MAX, 8), 8);
	assert_int_equal(d->tot_pages, 1 + MEMORY_OP_FRAMES_MAX + 8);
	list[0] = 4096;
	assert_int_equal(reservation(d, XENMEM_decrease_reservation, DOMID_SELF,
				     XENMEM_ATOLL_MAX_ORDER, list, 2),
			 0); /* 4096 + 511 > what was populated */
	free(list);
	destroy_all_and_check_leaks();
}

/* ---- Decrease --------------------------------------------------------- */

static void test_decrease(void **state)
{
	struct domain *d = dom_new(1, 16, 64, 0);
	const xen_pfn_t list[] = {5, 6, 40, 7};
	long live = fake_frames_live;

	assert_int_equal(decrease(d, list, 4), 2); /* stops at 40 */
	assert_int_equal(fake_frames_live, live - 2);
	assert_int_equal(d->tot_pages, 13);
	assert_int_equal(d->p2m[5] | d->p2m[6], 0);
	assert_int_equal(pte_at(d, 5 << PAGE_SHIFT), 0);
	assert_true(d->p2m[7]);
	assert_int_equal(decrease(d, list, 1), 0); /* already gone */
	assert_int_equal(decrease(d, (xen_pfn_t[]){0}, 1), 0);
	assert_int_equal(decrease(d, (xen_pfn_t[]){64}, 1), 0);
	/* An extent half populated is left alone. */
	assert_int_equal(reservation(d, XENMEM_decrease_reservation, DOMID_SELF,
				     1, (xen_pfn_t[]){6}, 1),
			 0);
	assert_true(d->p2m[7]);
	assert_int_equal(d->tot_pages, 13);
	destroy_all_and_check_leaks();
}

static void test_decrease_pinned_frame(void **state)
{
	struct domain *d = dom_new(1, 16, 64, 0);
	paddr_t pa = pa_init(d->p2m[7]);
	long live = fake_frames_live;

	frame_pin(pa); /* as a grant mapping by another domain would */
	assert_int_equal(decrease(d, (xen_pfn_t[]){7}, 1), 1);
	assert_int_equal(d->p2m[7], 0);
	assert_int_equal(d->tot_pages, 14);
	assert_int_equal(fake_frames_live, live); /* still in use */
	/* The gpfn can be populated again with a new frame. */
	assert_int_equal(populate(d, (xen_pfn_t[]){7}, 1), 1);
	assert_true(d->p2m[7] != pa_addr(pa));
	frame_unpin(pa); /* the last unmap frees it */
	assert_int_equal(fake_frames_live, live);
	destroy_all_and_check_leaks();
}

/* ---- Arguments -------------------------------------------------------- */

static void test_bad_pointers(void **state)
{
	struct domain *d = dom_new(1, 16, 64, 0);
	xen_pfn_t *straddle = (xen_pfn_t *)HOLE - 1;
	struct xen_memory_reservation *r_straddle =
	    (struct xen_memory_reservation *)(HOLE - 8);

	fake_current = d;
	assert_int_equal(do_memory_op(XENMEM_populate_physmap, 0x10000),
			 -XEN_EFAULT);
	assert_int_equal(do_memory_op(XENMEM_populate_physmap, GVA(r_straddle)),
			 -XEN_EFAULT);
	assert_int_equal(do_memory_op(XENMEM_decrease_reservation, ~0ULL - 4),
			 -XEN_EFAULT);
	assert_int_equal(populate(d, (xen_pfn_t *)0x10000, 1), 0);
	assert_int_equal(populate(d, (xen_pfn_t *)(~0ULL - 7), 2), 0);
	*straddle = 20; /* the next entry lies in the hole */
	assert_int_equal(populate(d, straddle, 2), 1);
	assert_int_equal(decrease(d, straddle, 2), 1);
	assert_int_equal(do_memory_op(XENMEM_current_reservation, 0x10000),
			 -XEN_EFAULT);
	assert_int_equal(
	    do_memory_op(XENMEM_current_reservation, GVA(HOLE - 1)),
	    -XEN_EFAULT);
	destroy_all_and_check_leaks();
}

static void test_flags_and_foreign_domains(void **state)
{
	struct domain *a = dom_new(1, 16, 64, 0);
	struct domain *p = dom_new(2, 16, 64, ATOLL_CAP_MEMORY_POLICY);
	struct xen_memory_reservation r = {
	    .nr_extents = 1, .mem_flags = 1, .domid = DOMID_SELF};
	const xen_pfn_t list[] = {20};

	set_xen_guest_handle(r.extent_start, list);
	fake_current = a;
	assert_int_equal(do_memory_op(XENMEM_populate_physmap, GVA(&r)),
			 -XEN_EINVAL);
	assert_int_equal(reservation(a, XENMEM_populate_physmap, 2, 0, list, 1),
			 -XEN_EPERM);
	assert_int_equal(reservation(a, XENMEM_decrease_reservation, 2, 0,
				     (xen_pfn_t[]){5}, 1),
			 -XEN_EPERM);
	/* Not even with a capability: only one's own memory. */
	assert_int_equal(reservation(p, XENMEM_populate_physmap, 1, 0, list, 1),
			 -XEN_EPERM);
	assert_int_equal(reservation(p, XENMEM_populate_physmap, 9, 0, list, 1),
			 -XEN_ESRCH);
	assert_int_equal(a->tot_pages, 15);
	assert_int_equal(a->p2m[20], 0);
	assert_int_equal(reservation(a, XENMEM_populate_physmap, 1, 0, list, 1),
			 1); /* own id */
	destroy_all_and_check_leaks();
}

static void test_reservation_queries(void **state)
{
	struct domain *a = dom_new(1, 16, 64, 0);
	struct domain *c = dom_new(2, 8, 32, ATOLL_CAP_DOMCTL);
	struct domain *p = dom_new(3, 4, 16, ATOLL_CAP_MEMORY_POLICY);

	a->max_pages = 48;
	assert_int_equal(query(a, XENMEM_current_reservation, DOMID_SELF), 15);
	assert_int_equal(query(a, XENMEM_maximum_reservation, DOMID_SELF), 48);
	assert_int_equal(query(a, XENMEM_current_reservation, 1), 15);
	assert_int_equal(query(a, XENMEM_maximum_gpfn, DOMID_SELF), 15);
	assert_int_equal(query(a, XENMEM_current_reservation, 2), -XEN_EPERM);
	assert_int_equal(query(a, XENMEM_maximum_reservation, 3), -XEN_EPERM);
	assert_int_equal(query(a, XENMEM_maximum_gpfn, 9), -XEN_EPERM);
	assert_int_equal(query(c, XENMEM_current_reservation, 1), 15);
	assert_int_equal(query(c, XENMEM_maximum_reservation, 3), 16);
	assert_int_equal(query(p, XENMEM_current_reservation, 2), 7);
	assert_int_equal(query(p, XENMEM_maximum_gpfn, 1), 15);
	assert_int_equal(query(p, XENMEM_current_reservation, 9), -XEN_ESRCH);
	assert_int_equal(query(p, XENMEM_current_reservation, DOMID_INVALID),
			 -XEN_ESRCH);
	assert_int_equal(populate(a, (xen_pfn_t[]){40}, 1), 1);
	assert_int_equal(query(a, XENMEM_maximum_gpfn, DOMID_SELF), 40);
	assert_int_equal(query(a, XENMEM_current_reservation, DOMID_SELF), 16);
	fake_current = a;
	assert_int_equal(do_memory_op(XENMEM_maximum_ram_page, 0),
			 (ATOLL_RAM_LIMIT >> PAGE_SHIFT) - 1);
	destroy_all_and_check_leaks();
}

static void test_unsupported(void **state)
{
	struct domain *a = dom_new(1, 16, 64, 0);
	const xen_pfn_t list[] = {20};

	assert_int_equal(
	    reservation(a, XENMEM_increase_reservation, DOMID_SELF, 0, list, 1),
	    -XEN_ENOSYS);
	assert_int_equal(reservation(a, 5, DOMID_SELF, 0, list, 1),
			 -XEN_ENOSYS);
	assert_int_equal(reservation(a, 1000, DOMID_SELF, 0, list, 1),
			 -XEN_ENOSYS);
	/* Xen's continuation encoding (start extent in the high bits). */
	assert_int_equal(reservation(a, XENMEM_populate_physmap | 1 << 6,
				     DOMID_SELF, 0, list, 1),
			 -XEN_ENOSYS);
	assert_int_equal(a->p2m[20], 0);
	destroy_all_and_check_leaks();
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
	    T(test_populate),
	    T(test_populate_stops_at_bad_frames),
	    T(test_populate_max_pages),
	    T(test_populate_orders),
	    T(test_populate_out_of_memory),
	    T(test_populate_frames_per_call),
	    T(test_decrease),
	    T(test_decrease_pinned_frame),
	    T(test_bad_pointers),
	    T(test_flags_and_foreign_domains),
	    T(test_reservation_queries),
	    T(test_unsupported),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
