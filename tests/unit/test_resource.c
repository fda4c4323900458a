// SPDX-License-Identifier: GPL-2.0-only
/*
 * Resource ownership (kernel/common/resource.c) against a fake core: four
 * domains in a fake domain table, an arch that counts I/O bitmap reloads
 * and an event-channel layer that records IRQ bindings revoked. Covers the
 * list operations (sorted insert, merging, cutting, full tables), what the
 * core keeps, boot grants, giving, taking back through a chain, and what a
 * dying domain's ranges do.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include <atoll/domain.h>
#include <atoll/domain_build.h>
#include <atoll/evtchn.h>
#include <atoll/resource.h>
#include <xen/errno.h>
#include "fake_core.h"

#define NDOMS 4

/* ---- Fake core ------------------------------------------------------- */

static struct domain doms[NDOMS + 1]; /* by id; [0] unused */
static struct domain *fake_table[DOMAIN_MAX + 1];
static unsigned bitmap_reloads[NDOMS + 1];
static unsigned revoked_irq[NDOMS + 1]; /* last GSI revoked + 1 */

struct domain *domain_get(domid_t id)
{
	return id <= DOMAIN_MAX ? fake_table[id] : NULL;
}

void arch_ioports_changed(struct domain *d)
{
	bitmap_reloads[d->id]++;
}

void evtchn_pirq_revoke(struct domain *d, uint32_t gsi)
{
	revoked_irq[d->id] = gsi + 1;
}

static unsigned revoked_mmio[NDOMS + 1]; /* last frame revoked + 1 */

void mmio_revoke(struct domain *d, uint32_t pfn, uint32_t count)
{
	revoked_mmio[d->id] = pfn + 1;
}

static bool core_kept_registered;

static int setup(void **state)
{
	memset(doms, 0, sizeof(doms));
	memset(fake_table, 0, sizeof(fake_table));
	memset(bitmap_reloads, 0, sizeof(bitmap_reloads));
	memset(revoked_irq, 0, sizeof(revoked_irq));
	memset(revoked_mmio, 0, sizeof(revoked_mmio));
	for (domid_t i = 1; i <= NDOMS; i++) {
		doms[i].id = i;
		doms[i].state = DOMAIN_RUNNING;
		fake_table[i] = &doms[i];
	}
	/* The core's list only grows; register it once for every test. */
	if (!core_kept_registered) {
		resource_core_keep(RESOURCE_IOPORT, 0x3f8, 8, "COM1");
		resource_core_keep(RESOURCE_IOPORT, 0x40, 4, "PIT");
		resource_core_keep(RESOURCE_IRQ, 4, 1, "COM1");
		resource_core_keep(RESOURCE_MMIO, 0xfee00, 1, "LAPIC");
		core_kept_registered = true;
	}
	return 0;
}

static struct resource_list *ports(domid_t id)
{
	return &doms[id].res.list[RESOURCE_IOPORT];
}

static const struct resource_chain boot = {{0}, 0};

/* ---- List operations ------------------------------------------------- */

static void test_add_sorted_and_merged(void **state)
{
	struct resource_list l = {0};
	struct resource_chain other = {{7}, 1};

	assert_int_equal(resource_list_add(&l, 0x100, 4, &boot), 0);
	assert_int_equal(resource_list_add(&l, 0x10, 2, &boot), 0);
	assert_int_equal(l.count, 2);
	assert_int_equal(l.range[0].base, 0x10);
	/* Adjacent, same chain: merged on either side, then both. */
	assert_int_equal(resource_list_add(&l, 0x104, 4, &boot), 0);
	assert_int_equal(resource_list_add(&l, 0xf0, 0x10, &boot), 0);
	assert_int_equal(l.count, 2);
	assert_int_equal(l.range[1].base, 0xf0);
	assert_int_equal(l.range[1].count, 0x18);
	assert_int_equal(resource_list_add(&l, 0x12, 0xde, &boot), 0);
	assert_int_equal(l.count, 1);
	assert_int_equal(l.range[0].base, 0x10);
	assert_int_equal(l.range[0].count, 0xf8);
	/* Adjacent, another chain: kept apart. */
	assert_int_equal(resource_list_add(&l, 0x108, 1, &other), 0);
	assert_int_equal(l.count, 2);
	assert_int_equal(resource_list_find(&l, 0x100, 9), -1);
	assert_int_equal(resource_list_find(&l, 0x100, 8), 0);
	assert_int_equal(resource_list_find(&l, 0x108, 1), 1);
}

static void test_add_full(void **state)
{
	struct resource_list l = {0};

	for (unsigned i = 0; i < RESOURCE_MAX_RANGES; i++)
		assert_int_equal(resource_list_add(&l, i * 4, 1, &boot), 0);
	assert_int_equal(resource_list_add(&l, 0x1000, 1, &boot), -XEN_ENOSPC);
	assert_int_equal(l.count, RESOURCE_MAX_RANGES);
	/* A merge needs no slot. */
	assert_int_equal(resource_list_add(&l, 1, 1, &boot), 0);
}

static void test_overlaps(void **state)
{
	struct resource_list l = {0};

	assert_int_equal(resource_list_add(&l, 0x2f8, 8, &boot), 0);
	assert_true(resource_list_overlaps(&l, 0x2ff, 1));
	assert_true(resource_list_overlaps(&l, 0x2f0, 9));
	assert_false(resource_list_overlaps(&l, 0x2f0, 8));
	assert_false(resource_list_overlaps(&l, 0x300, 0x100));
	assert_int_equal(resource_list_find(&l, 0x2f9, 7), 0);
	assert_int_equal(resource_list_find(&l, 0x2f9, 8), -1);
}

static void test_cut(void **state)
{
	struct resource_list l = {0};

	assert_int_equal(resource_list_add(&l, 0x100, 0x10, &boot), 0);
	assert_int_equal(resource_list_cut(&l, 0, 0x104, 4), 0); /* middle */
	assert_int_equal(l.count, 2);
	assert_int_equal(l.range[0].count, 4);
	assert_int_equal(l.range[1].base, 0x108);
	assert_int_equal(l.range[1].count, 8);
	assert_int_equal(resource_list_cut(&l, 1, 0x108, 2), 0); /* left */
	assert_int_equal(l.range[1].base, 0x10a);
	assert_int_equal(resource_list_cut(&l, 1, 0x10e, 2), 0); /* right */
	assert_int_equal(l.range[1].count, 4);
	assert_int_equal(resource_list_cut(&l, 0, 0x100, 4), 0); /* whole */
	assert_int_equal(l.count, 1);
	assert_int_equal(l.range[0].base, 0x10a);
}

static void test_cut_full(void **state)
{
	struct resource_list l = {0};

	for (unsigned i = 0; i < RESOURCE_MAX_RANGES; i++)
		assert_int_equal(resource_list_add(&l, i * 8, 4, &boot), 0);
	assert_int_equal(resource_list_cut(&l, 0, 1, 2), -XEN_ENOSPC);
	assert_int_equal(l.range[0].count, 4); /* unchanged */
	assert_int_equal(resource_list_cut(&l, 0, 0, 2), 0);
}

static void test_range_valid(void **state)
{
	assert_true(resource_range_valid(RESOURCE_IOPORT, 0xfff8, 8));
	assert_false(resource_range_valid(RESOURCE_IOPORT, 0xfff8, 9));
	assert_false(resource_range_valid(RESOURCE_IOPORT, 0x10, 0));
	assert_false(resource_range_valid(RESOURCE_IOPORT, 0xffffffff, 2));
	assert_true(resource_range_valid(RESOURCE_IRQ, 1023, 1));
	assert_false(resource_range_valid(RESOURCE_IRQ, 1024, 1));
	assert_false(resource_range_valid(RESOURCE_IRQ, 3, 2));
}

/* ---- Grants ---------------------------------------------------------- */

static void test_core_keeps(void **state)
{
	assert_string_equal(resource_core_kept(RESOURCE_IOPORT, 0x3f0, 9),
			    "COM1");
	assert_null(resource_core_kept(RESOURCE_IOPORT, 0x3f0, 8));
	assert_null(resource_core_kept(RESOURCE_IRQ, 0x3f8, 1));
	assert_int_equal(resource_grant(&doms[1], RESOURCE_IOPORT, 0x3fc, 1),
			 -XEN_EPERM);
	assert_int_equal(resource_grant(&doms[1], RESOURCE_IOPORT, 0x42, 1),
			 -XEN_EPERM);
	assert_int_equal(resource_grant(&doms[1], RESOURCE_IRQ, 4, 1),
			 -XEN_EPERM);
	assert_int_equal(ports(1)->count, 0);
}

static void test_grant(void **state)
{
	assert_int_equal(resource_grant(&doms[1], RESOURCE_IOPORT, 0x2f8, 8),
			 0);
	assert_int_equal(bitmap_reloads[1], 1);
	assert_true(resource_holds(&doms[1], RESOURCE_IOPORT, 0x2fa, 2));
	assert_false(resource_holds(&doms[2], RESOURCE_IOPORT, 0x2fa, 2));
	/* One holder at a time, counting the domain itself. */
	assert_int_equal(resource_grant(&doms[2], RESOURCE_IOPORT, 0x2ff, 4),
			 -XEN_EBUSY);
	assert_int_equal(resource_grant(&doms[1], RESOURCE_IOPORT, 0x2f0, 9),
			 -XEN_EBUSY);
	assert_int_equal(resource_grant(&doms[2], RESOURCE_IOPORT, 0, 0),
			 -XEN_EINVAL);
	assert_int_equal(resource_grant(&doms[2], RESOURCE_IRQ, 3, 1), 0);
	assert_int_equal(bitmap_reloads[2], 0); /* IRQs leave it alone */
	assert_int_equal(resource_grant(&doms[1], RESOURCE_IRQ, 3, 1),
			 -XEN_EBUSY);
	assert_int_equal(resource_grant(&doms[1], RESOURCE_IRQ, 1024, 1),
			 -XEN_EINVAL);
	for (unsigned i = 1; i < RESOURCE_MAX_RANGES; i++)
		assert_int_equal(resource_grant(&doms[3], RESOURCE_IOPORT,
						0x1000 + i * 2, 1),
				 0);
	assert_int_equal(resource_grant(&doms[3], RESOURCE_IOPORT, 0x800, 1),
			 0);
	assert_int_equal(resource_grant(&doms[3], RESOURCE_IOPORT, 0x900, 1),
			 -XEN_ENOSPC);
}

/* ---- Moves ------------------------------------------------------------ */

static void test_give_and_take_back(void **state)
{
	assert_int_equal(resource_grant(&doms[1], RESOURCE_IOPORT, 0x2f8, 8),
			 0);
	/* Only what the caller holds, all of it. */
	assert_int_equal(
	    resource_give(&doms[1], &doms[2], RESOURCE_IOPORT, 0x2f0, 16),
	    -XEN_EPERM);
	assert_int_equal(
	    resource_give(&doms[2], &doms[3], RESOURCE_IOPORT, 0x2f8, 1),
	    -XEN_EPERM);
	assert_int_equal(
	    resource_give(&doms[1], &doms[2], RESOURCE_IOPORT, 0x2f8, 4), 0);
	assert_int_equal(
	    resource_give(&doms[1], &doms[2], RESOURCE_IOPORT, 0x2fc, 4), 0);
	assert_int_equal(ports(1)->count, 0);
	assert_int_equal(ports(2)->count, 1); /* merged: same giver */
	assert_int_equal(ports(2)->range[0].from.depth, 1);
	assert_int_equal(ports(2)->range[0].from.giver[0], 1);
	assert_true(bitmap_reloads[1] >= 2 && bitmap_reloads[2] >= 2);
	/* d2 passes part on; d1 may take it back from d3 directly. */
	assert_int_equal(
	    resource_give(&doms[2], &doms[3], RESOURCE_IOPORT, 0x2fa, 2), 0);
	assert_int_equal(ports(2)->count, 2);
	/* Only someone up the chain may take back. */
	assert_int_equal(
	    resource_take_back(&doms[4], &doms[3], RESOURCE_IOPORT, 0x2fa, 2),
	    -XEN_EPERM);
	assert_int_equal(
	    resource_take_back(&doms[3], &doms[2], RESOURCE_IOPORT, 0x2f8, 2),
	    -XEN_EPERM);
	assert_int_equal(
	    resource_take_back(&doms[1], &doms[3], RESOURCE_IOPORT, 0x2fa, 2),
	    0);
	assert_int_equal(ports(1)->range[0].from.depth, 0);
	assert_int_equal(
	    resource_take_back(&doms[1], &doms[2], RESOURCE_IOPORT, 0x2f8, 2),
	    0);
	assert_int_equal(
	    resource_take_back(&doms[1], &doms[2], RESOURCE_IOPORT, 0x2fc, 4),
	    0);
	/* All back, in one piece. */
	assert_int_equal(ports(1)->count, 1);
	assert_int_equal(ports(1)->range[0].base, 0x2f8);
	assert_int_equal(ports(1)->range[0].count, 8);
	assert_int_equal(ports(2)->count, 0);
	assert_int_equal(ports(3)->count, 0);
}

static void test_irq_move_revokes_binding(void **state)
{
	assert_int_equal(resource_grant(&doms[1], RESOURCE_IRQ, 3, 1), 0);
	assert_int_equal(resource_give(&doms[1], &doms[2], RESOURCE_IRQ, 3, 1),
			 0);
	assert_int_equal(revoked_irq[1], 3 + 1);
	assert_true(resource_holds(&doms[2], RESOURCE_IRQ, 3, 1));
	assert_int_equal(
	    resource_take_back(&doms[1], &doms[2], RESOURCE_IRQ, 3, 1), 0);
	assert_int_equal(revoked_irq[2], 3 + 1);
	assert_true(resource_holds(&doms[1], RESOURCE_IRQ, 3, 1));
	assert_int_equal(resource_give(&doms[1], &doms[2], RESOURCE_IRQ, 3, 2),
			 -XEN_EINVAL);
}

/* MMIO frames: the core's pages refused, a move unmaps the old holder's
 * mappings, the range is checked against 16 TiB. */
static void test_mmio_frames(void **state)
{
	assert_int_equal(resource_grant(&doms[1], RESOURCE_MMIO, 0xfee00, 1),
			 -XEN_EPERM);
	assert_int_equal(resource_grant(&doms[1], RESOURCE_MMIO, 0xfebc0, 64),
			 0);
	assert_int_equal(
	    resource_give(&doms[1], &doms[2], RESOURCE_MMIO, 0xfebf8, 4), 0);
	assert_int_equal(revoked_mmio[1], 0xfebf8 + 1);
	assert_true(resource_holds(&doms[2], RESOURCE_MMIO, 0xfebf8, 4));
	assert_false(resource_holds(&doms[1], RESOURCE_MMIO, 0xfebf8, 1));
	assert_int_equal(
	    resource_take_back(&doms[1], &doms[2], RESOURCE_MMIO, 0xfebf8, 4),
	    0);
	assert_int_equal(revoked_mmio[2], 0xfebf8 + 1);
	assert_true(resource_holds(&doms[1], RESOURCE_MMIO, 0xfebc0, 64));
	assert_false(resource_range_valid(RESOURCE_MMIO, 0xffffffffu, 2));
	assert_true(resource_range_valid(RESOURCE_MMIO, 0xffffffffu, 1));
}

static void test_chain_depth(void **state)
{
	assert_int_equal(resource_grant(&doms[1], RESOURCE_IOPORT, 0x80, 1), 0);
	/* 1 -> 2 -> 3 -> 4 -> 1: four givers recorded; a fifth is refused. */
	for (domid_t i = 1; i <= NDOMS; i++)
		assert_int_equal(resource_give(&doms[i], &doms[i % NDOMS + 1],
					       RESOURCE_IOPORT, 0x80, 1),
				 0);
	assert_int_equal(ports(1)->range[0].from.depth, RESOURCE_CHAIN_MAX);
	assert_int_equal(
	    resource_give(&doms[1], &doms[2], RESOURCE_IOPORT, 0x80, 1),
	    -XEN_ENOSPC);
	assert_true(resource_holds(&doms[1], RESOURCE_IOPORT, 0x80, 1));
}

static void test_move_needs_room(void **state)
{
	assert_int_equal(resource_grant(&doms[1], RESOURCE_IOPORT, 0x2f8, 8),
			 0);
	for (unsigned i = 0; i < RESOURCE_MAX_RANGES; i++)
		assert_int_equal(resource_grant(&doms[2], RESOURCE_IOPORT,
						0x1000 + i * 2, 1),
				 0);
	assert_int_equal(
	    resource_give(&doms[1], &doms[2], RESOURCE_IOPORT, 0x2f8, 1),
	    -XEN_ENOSPC);
	/* Nothing moved. */
	assert_int_equal(ports(1)->range[0].count, 8);
	assert_int_equal(ports(2)->count, RESOURCE_MAX_RANGES);
}

/* ---- Destruction ------------------------------------------------------ */

static void destroy(domid_t id)
{
	doms[id].state = DOMAIN_DYING;
	resource_domain_destroy(&doms[id]);
	fake_table[id] = NULL;
}

static void test_destroy_returns_up_the_chain(void **state)
{
	assert_int_equal(resource_grant(&doms[1], RESOURCE_IOPORT, 0x2f8, 8),
			 0);
	assert_int_equal(resource_grant(&doms[3], RESOURCE_IOPORT, 0x1f0, 8),
			 0);
	assert_int_equal(
	    resource_give(&doms[1], &doms[2], RESOURCE_IOPORT, 0x2f8, 8), 0);
	assert_int_equal(
	    resource_give(&doms[2], &doms[3], RESOURCE_IOPORT, 0x2fc, 4), 0);
	/* d2 dies: what it held goes to d1; d3 keeps what it was given,
	 * now as if from d1. */
	destroy(2);
	assert_true(resource_holds(&doms[1], RESOURCE_IOPORT, 0x2f8, 4));
	assert_int_equal(ports(2)->count, 0);
	assert_int_equal(ports(3)->range[1].from.depth, 1);
	assert_int_equal(ports(3)->range[1].from.giver[0], 1);
	/* A new domain with d2's id takes nothing back. */
	doms[2].state = DOMAIN_RUNNING;
	fake_table[2] = &doms[2];
	assert_int_equal(
	    resource_take_back(&doms[2], &doms[3], RESOURCE_IOPORT, 0x2fc, 4),
	    -XEN_EPERM);
	/* d1 dies: its boot grant goes back to the pool, and d3's range
	 * given through it too, when d3 dies. */
	destroy(1);
	destroy(3);
	assert_int_equal(ports(1)->count + ports(2)->count + ports(3)->count +
			     ports(4)->count,
			 0);
	assert_int_equal(resource_grant(&doms[4], RESOURCE_IOPORT, 0x1f0, 8),
			 0);
	assert_int_equal(resource_grant(&doms[4], RESOURCE_IOPORT, 0x2f8, 8),
			 0);
}

static void test_destroy_skips_dying_giver(void **state)
{
	assert_int_equal(resource_grant(&doms[1], RESOURCE_IRQ, 9, 1), 0);
	assert_int_equal(resource_give(&doms[1], &doms[2], RESOURCE_IRQ, 9, 1),
			 0);
	assert_int_equal(resource_give(&doms[2], &doms[3], RESOURCE_IRQ, 9, 1),
			 0);
	doms[2].state = DOMAIN_DYING; /* being destroyed, not yet stripped */
	destroy(3);
	assert_true(resource_holds(&doms[1], RESOURCE_IRQ, 9, 1));
}

int main(void)
{
#define T(f) cmocka_unit_test_setup(f, setup)
	const struct CMUnitTest tests[] = {
	    T(test_add_sorted_and_merged),
	    T(test_add_full),
	    T(test_overlaps),
	    T(test_cut),
	    T(test_cut_full),
	    T(test_range_valid),
	    T(test_core_keeps),
	    T(test_grant),
	    T(test_give_and_take_back),
	    T(test_irq_move_revokes_binding),
	    T(test_mmio_frames),
	    T(test_chain_depth),
	    T(test_move_needs_room),
	    T(test_destroy_returns_up_the_chain),
	    T(test_destroy_skips_dying_giver),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
