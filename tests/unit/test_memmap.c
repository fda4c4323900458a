// SPDX-License-Identifier: GPL-2.0-only
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <atoll/memmap.h>

#define MiB (1024ULL * 1024)

static void expect_ranges(const struct memmap *m, unsigned n,
			  const uint64_t (*want)[2])
{
	assert_int_equal(m->count, n);
	for (unsigned i = 0; i < n; i++) {
		assert_int_equal(m->ranges[i].start, want[i][0]);
		assert_int_equal(m->ranges[i].end, want[i][1]);
	}
}

static void test_add_merges_and_sorts(void **state)
{
	struct memmap m;

	memmap_init(&m);
	memmap_add(&m, 8 * MiB, 16 * MiB);
	memmap_add(&m, 1 * MiB, 2 * MiB);
	memmap_add(&m, 2 * MiB, 3 * MiB);   /* adjacent: merges */
	memmap_add(&m, 12 * MiB, 20 * MiB); /* overlapping: merges */
	expect_ranges(
	    &m, 2,
	    (const uint64_t[][2]){{1 * MiB, 3 * MiB}, {8 * MiB, 20 * MiB}});
	memmap_add(&m, 0, 100 * MiB); /* swallows everything */
	expect_ranges(&m, 1, (const uint64_t[][2]){{0, 100 * MiB}});
}

static void test_add_aligns_inwards(void **state)
{
	struct memmap m;

	memmap_init(&m);
	memmap_add(&m, 0x1001, 0x3fff);
	expect_ranges(&m, 1, (const uint64_t[][2]){{0x2000, 0x3000}});
	memmap_add(&m, 0x5001, 0x5fff); /* less than a page: nothing */
	assert_int_equal(m.count, 1);
}

static void test_remove_outwards(void **state)
{
	struct memmap m;

	memmap_init(&m);
	memmap_add(&m, 0, 64 * MiB);
	memmap_remove(&m, 0, 1 * MiB);
	memmap_remove(&m, 0x100010, 0x180001); /* page-aligned outwards */
	memmap_remove(&m, 60 * MiB, 70 * MiB);
	expect_ranges(&m, 1, (const uint64_t[][2]){{0x181000, 60 * MiB}});
}

static void test_remove_cases(void **state)
{
	struct memmap m;

	memmap_init(&m);
	memmap_add(&m, 0, 16 * MiB);
	memmap_remove(&m, 4 * MiB, 8 * MiB); /* split */
	expect_ranges(&m, 2,
		      (const uint64_t[][2]){{0, 4 * MiB}, {8 * MiB, 16 * MiB}});
	memmap_remove(&m, 2 * MiB, 10 * MiB); /* clips both */
	expect_ranges(
	    &m, 2, (const uint64_t[][2]){{0, 2 * MiB}, {10 * MiB, 16 * MiB}});
	memmap_remove(&m, 0, ~0ULL); /* everything, no overflow */
	assert_int_equal(m.count, 0);
	assert_int_equal(memmap_total(&m), 0);
	assert_int_equal(memmap_end(&m), 0);
}

static void test_take_from_top_below_limit(void **state)
{
	struct memmap m;
	uint64_t at;

	memmap_init(&m);
	memmap_add(&m, 1 * MiB, 8 * MiB);
	memmap_add(&m, 16 * MiB, 32 * MiB);
	assert_true(memmap_take(&m, 0x3000, 0x1000, ~0ULL, &at));
	assert_int_equal(at, 32 * MiB - 0x3000);
	assert_true(memmap_take(&m, 1 * MiB, 2 * MiB, 10 * MiB, &at));
	assert_int_equal(at, 6 * MiB);
	assert_false(memmap_take(&m, 64 * MiB, 0x1000, ~0ULL, &at));
	assert_int_equal(memmap_total(&m),
			 7 * MiB - 1 * MiB + 16 * MiB - 0x3000);
}

static void test_full_table_counts_drops(void **state)
{
	struct memmap m;

	memmap_init(&m);
	for (unsigned i = 0; i < MEMMAP_MAX_RANGES + 5; i++)
		memmap_add(&m, i * 2 * MiB, i * 2 * MiB + MiB);
	assert_int_equal(m.count, MEMMAP_MAX_RANGES);
	assert_int_equal(m.dropped, 5);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_add_merges_and_sorts),
	    cmocka_unit_test(test_add_aligns_inwards),
	    cmocka_unit_test(test_remove_outwards),
	    cmocka_unit_test(test_remove_cases),
	    cmocka_unit_test(test_take_from_top_below_limit),
	    cmocka_unit_test(test_full_table_counts_drops),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
