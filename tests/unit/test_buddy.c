// SPDX-License-Identifier: GPL-2.0-only
/*
 * The buddy frame allocator. It never touches the frames it manages, so the
 * tests give it a frame array on the host heap and keep a shadow bitmap of
 * what it handed out: no frame may be given twice, or given from a hole.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/wait.h>

#include <atoll/buddy.h>

struct fixture {
	struct buddy b;
	struct buddy_frame *frames;
	uint8_t *usable; /* 1 if a range added this frame */
	uint8_t *taken;	 /* 1 if handed out and not yet freed */
};

static struct fixture *fx_new(uint64_t base, uint64_t count)
{
	struct fixture *fx = calloc(1, sizeof(*fx));

	assert_non_null(fx);
	fx->frames = calloc(count ? count : 1, sizeof(*fx->frames));
	fx->usable = calloc(count ? count : 1, 1);
	fx->taken = calloc(count ? count : 1, 1);
	assert_non_null(fx->frames);
	assert_non_null(fx->usable);
	assert_non_null(fx->taken);
	buddy_init(&fx->b, fx->frames, base, count);
	return fx;
}

static void fx_free(struct fixture *fx)
{
	free(fx->frames);
	free(fx->usable);
	free(fx->taken);
	free(fx);
}

/* Add a range that lies inside the span and expect all of it to be new. */
static void fx_add(struct fixture *fx, uint64_t pfn, uint64_t count)
{
	uint64_t before = buddy_free_count(&fx->b);

	assert_int_equal(buddy_add_range(&fx->b, pfn, count), count);
	assert_int_equal(buddy_free_count(&fx->b), before + count);
	for (uint64_t i = 0; i < count; i++)
		fx->usable[pfn + i - fx->b.base_pfn] = 1;
	assert_true(buddy_check(&fx->b));
}

/* Record a block handed out: aligned, usable, never handed out before. */
static void fx_take(struct fixture *fx, uint64_t pfn, unsigned order)
{
	uint64_t n = buddy_order_frames(order);

	assert_true((pfn & (n - 1)) == 0);
	assert_true(pfn >= fx->b.base_pfn);
	assert_true(pfn - fx->b.base_pfn + n <= fx->b.frame_count);
	for (uint64_t i = 0; i < n; i++) {
		uint64_t idx = pfn + i - fx->b.base_pfn;

		assert_true(fx->usable[idx]);
		assert_false(fx->taken[idx]);
		fx->taken[idx] = 1;
	}
}

static uint64_t fx_alloc(struct fixture *fx, unsigned order)
{
	uint64_t pfn = ~0ULL;

	assert_true(buddy_alloc(&fx->b, order, &pfn));
	fx_take(fx, pfn, order);
	return pfn;
}

static void fx_release(struct fixture *fx, uint64_t pfn, unsigned order)
{
	for (uint64_t i = 0; i < buddy_order_frames(order); i++)
		fx->taken[pfn + i - fx->b.base_pfn] = 0;
	buddy_free(&fx->b, pfn, order);
}

static uint64_t fx_usable_count(const struct fixture *fx)
{
	uint64_t n = 0;

	for (uint64_t i = 0; i < fx->b.frame_count; i++)
		n += fx->usable[i];
	return n;
}

static void expect_blocks(const struct buddy *b, const uint64_t *want)
{
	for (unsigned k = 0; k < BUDDY_ORDER_COUNT; k++) {
		if (buddy_free_blocks(b, k) != want[k])
			fail_msg("order %u: %llu blocks, want %llu", k,
				 (unsigned long long)buddy_free_blocks(b, k),
				 (unsigned long long)want[k]);
	}
}

/*
 * The block layout: every frame's state, and the order of each block head
 * (a tail's order field is stale and means nothing). Links are left out.
 */
static uint16_t *layout_save(const struct fixture *fx)
{
	uint16_t *l = calloc(fx->b.frame_count + 1, sizeof(*l));

	assert_non_null(l);
	for (uint64_t i = 0; i < fx->b.frame_count; i++) {
		const struct buddy_frame *f = &fx->frames[i];
		bool head =
		    f->state == BUDDY_FREE || f->state == BUDDY_ALLOCATED;

		l[i] = (uint16_t)(f->state << 8 | (head ? f->order : 0));
	}
	return l;
}

static void layout_expect(const struct fixture *fx, const uint16_t *l)
{
	uint16_t *now = layout_save(fx);

	assert_memory_equal(now, l, fx->b.frame_count * sizeof(*l));
	free(now);
}

static uint64_t rng_state;

static uint64_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

struct block {
	uint64_t pfn;
	unsigned order;
};

static void shuffle(struct block *v, size_t n)
{
	for (size_t i = n; i > 1; i--) {
		size_t j = rng() % i;
		struct block t = v[i - 1];

		v[i - 1] = v[j];
		v[j] = t;
	}
}

static void test_empty(void **state)
{
	struct fixture *fx = fx_new(0x100, 256);
	uint64_t pfn = 0x5a5a;
	uint64_t zero[BUDDY_ORDER_COUNT] = {0};

	assert_true(buddy_check(&fx->b));
	assert_int_equal(buddy_free_count(&fx->b), 0);
	expect_blocks(&fx->b, zero);
	for (unsigned k = 0; k <= BUDDY_MAX_ORDER; k++) {
		assert_false(buddy_alloc(&fx->b, k, &pfn));
		assert_false(buddy_alloc_below(&fx->b, k, ~0ULL, &pfn));
	}
	assert_int_equal(pfn, 0x5a5a);
	fx_free(fx);

	/* A zero-sized span is valid and simply has nothing. */
	fx = fx_new(0, 0);
	assert_int_equal(buddy_add_range(&fx->b, 0, 100), 0);
	assert_false(buddy_alloc(&fx->b, 0, &pfn));
	assert_true(buddy_check(&fx->b));
	fx_free(fx);
}

static void test_each_order(void **state)
{
	uint64_t span = 2 * buddy_order_frames(BUDDY_MAX_ORDER);
	struct fixture *fx = fx_new(0, span);
	uint64_t want[BUDDY_ORDER_COUNT] = {[BUDDY_MAX_ORDER] = 2};
	uint64_t pfn[BUDDY_ORDER_COUNT];
	uint64_t junk = 7;

	fx_add(fx, 0, span);
	expect_blocks(&fx->b, want);
	for (unsigned k = 0; k <= BUDDY_MAX_ORDER; k++) {
		pfn[k] = fx_alloc(fx, k);
		assert_int_equal(buddy_free_count(&fx->b),
				 span - buddy_order_frames(k));
		assert_true(buddy_check(&fx->b));
		fx_release(fx, pfn[k], k);
		assert_int_equal(buddy_free_count(&fx->b), span);
		expect_blocks(&fx->b, want);
	}
	/* All orders live at once: 2^19 - 1 frames, one frame left over. */
	for (unsigned k = 0; k <= BUDDY_MAX_ORDER; k++)
		pfn[k] = fx_alloc(fx, k);
	assert_int_equal(buddy_free_count(&fx->b), 1);
	assert_int_equal(buddy_free_blocks(&fx->b, 0), 1);
	assert_true(buddy_check(&fx->b));
	assert_false(buddy_alloc(&fx->b, 1, &junk));
	for (unsigned k = 0; k <= BUDDY_MAX_ORDER; k++)
		fx_release(fx, pfn[k], k);
	expect_blocks(&fx->b, want);
	assert_true(buddy_check(&fx->b));

	/* Orders past the largest are refused, not clamped. */
	assert_false(buddy_alloc(&fx->b, BUDDY_MAX_ORDER + 1, &junk));
	assert_false(buddy_alloc(&fx->b, 1000, &junk));
	assert_false(buddy_alloc_below(&fx->b, 64, ~0ULL, &junk));
	assert_int_equal(junk, 7);
	assert_int_equal(buddy_free_blocks(&fx->b, BUDDY_MAX_ORDER + 1), 0);
	fx_free(fx);
}

/* Allocate @order until that fails; returns the number of blocks. */
static size_t exhaust(struct fixture *fx, unsigned order, struct block *out)
{
	size_t n = 0;
	uint64_t pfn;

	while (buddy_alloc(&fx->b, order, &pfn)) {
		fx_take(fx, pfn, order);
		out[n++] = (struct block){pfn, order};
	}
	return n;
}

static void test_exhaust_and_restore(void **state)
{
	struct fixture *fx = fx_new(0, 3000);
	struct block *live = calloc(3000, sizeof(*live));
	uint64_t usable, pfn, small = 0;
	uint16_t *initial;
	size_t n;

	fx_add(fx, 3, 997);
	fx_add(fx, 1500, 1500);
	usable = fx_usable_count(fx);
	initial = layout_save(fx);

	/* Single frames: every usable frame exactly once, then nothing. */
	n = exhaust(fx, 0, live);
	assert_int_equal(n, usable);
	assert_int_equal(buddy_free_count(&fx->b), 0);
	assert_false(buddy_alloc_below(&fx->b, 0, ~0ULL, &pfn));
	assert_true(buddy_check(&fx->b));
	rng_state = 0x1234567;
	shuffle(live, n);
	for (size_t i = 0; i < n; i++)
		fx_release(fx, live[i].pfn, live[i].order);
	assert_int_equal(buddy_free_count(&fx->b), usable);
	assert_true(buddy_check(&fx->b));
	layout_expect(fx, initial);

	/* Order 3 first: what is left are the blocks smaller than that. */
	for (unsigned k = 0; k < 3; k++)
		small += buddy_free_blocks(&fx->b, k) * buddy_order_frames(k);
	n = exhaust(fx, 3, live);
	assert_int_equal(n * 8, usable - small);
	assert_int_equal(buddy_free_count(&fx->b), small);
	n += exhaust(fx, 0, live + n);
	assert_int_equal(buddy_free_count(&fx->b), 0);
	assert_true(buddy_check(&fx->b));
	shuffle(live, n);
	for (size_t i = 0; i < n; i++)
		fx_release(fx, live[i].pfn, live[i].order);
	assert_true(buddy_check(&fx->b));
	layout_expect(fx, initial);

	free(initial);
	free(live);
	fx_free(fx);
}

/* No free block of order >= @order keeps its first 2^order frames below. */
static bool nothing_fits_below(const struct fixture *fx, unsigned order,
			       uint64_t limit)
{
	for (uint64_t i = 0; i < fx->b.frame_count; i++) {
		const struct buddy_frame *f = &fx->frames[i];
		uint64_t pfn = fx->b.base_pfn + i;

		if (f->state == BUDDY_FREE && f->order >= order &&
		    pfn + buddy_order_frames(order) <= limit)
			return false;
	}
	return true;
}

static bool nothing_fits(const struct buddy *b, unsigned order)
{
	for (unsigned k = order; k <= BUDDY_MAX_ORDER; k++) {
		if (buddy_free_blocks(b, k))
			return false;
	}
	return true;
}

static unsigned random_order(void)
{
	uint64_t r = rng() % 16;

	return r < 12 ? (unsigned)(r % 4) : (unsigned)(rng() % 10);
}

/* One random allocation; on failure, check that nothing could fit. */
static void random_alloc(struct fixture *fx, struct block *live, size_t *n)
{
	unsigned order = random_order();
	bool below = rng() % 4 == 0;
	uint64_t limit = fx->b.base_pfn + rng() % (fx->b.frame_count + 64);
	uint64_t pfn;
	bool ok;

	if (below)
		ok = buddy_alloc_below(&fx->b, order, limit, &pfn);
	else
		ok = buddy_alloc(&fx->b, order, &pfn);
	if (!ok) {
		assert_true(below ? nothing_fits_below(fx, order, limit)
				  : nothing_fits(&fx->b, order));
		return;
	}
	if (below)
		assert_true(pfn + buddy_order_frames(order) <= limit);
	fx_take(fx, pfn, order);
	live[(*n)++] = (struct block){pfn, order};
}

static void test_random(void **state)
{
	const uint64_t base = 0x805, count = 4096;
	struct fixture *fx = fx_new(base, count);
	struct block *live = calloc(count, sizeof(*live));
	uint64_t usable, held = 0;
	uint16_t *initial;
	size_t n = 0;

	fx_add(fx, base + 3, 997);
	fx_add(fx, base + 1200, 1);
	fx_add(fx, base + 1500, 2590);
	usable = fx_usable_count(fx);
	initial = layout_save(fx);
	rng_state = 0xa7011;
	for (int step = 0; step < 20000; step++) {
		if (n > 0 && rng() % 100 < 45) {
			size_t i = rng() % n;

			fx_release(fx, live[i].pfn, live[i].order);
			live[i] = live[--n];
		} else {
			random_alloc(fx, live, &n);
		}
		held = 0;
		for (size_t i = 0; i < n; i++)
			held += buddy_order_frames(live[i].order);
		assert_int_equal(buddy_free_count(&fx->b), usable - held);
		if (!buddy_check(&fx->b))
			fail_msg("inconsistent after step %d", step);
	}
	while (n > 0) {
		fx_release(fx, live[n - 1].pfn, live[n - 1].order);
		n--;
	}
	assert_true(buddy_check(&fx->b));
	layout_expect(fx, initial);
	free(initial);
	free(live);
	fx_free(fx);
}

static void test_ranges_and_holes(void **state)
{
	struct fixture *fx = fx_new(0, 64);
	uint64_t w1[BUDDY_ORDER_COUNT] = {
	    [0] = 2, [1] = 1, [2] = 1, [3] = 1, [4] = 1};
	uint64_t w2[BUDDY_ORDER_COUNT] = {[0] = 1, [1] = 1, [3] = 2, [4] = 1};
	uint64_t w3[BUDDY_ORDER_COUNT] = {[3] = 1, [5] = 1};
	uint64_t w4[BUDDY_ORDER_COUNT] = {[6] = 1};

	/* [5, 37): 5, 6-7, 8-15, 16-31, 32-35, 36. */
	fx_add(fx, 5, 32);
	expect_blocks(&fx->b, w1);
	/* [37, 40) joins 36 and then 32-35 into 32-39. */
	fx_add(fx, 37, 3);
	expect_blocks(&fx->b, w2);
	/* Overlap: only 0-4 are new; all of 0-31 coalesces. */
	assert_int_equal(buddy_add_range(&fx->b, 0, 10), 5);
	assert_int_equal(buddy_free_count(&fx->b), 40);
	expect_blocks(&fx->b, w3);
	assert_true(buddy_check(&fx->b));
	/* Beyond the span, overflowing, empty: clipped or ignored. */
	assert_int_equal(buddy_add_range(&fx->b, 64, 10), 0);
	assert_int_equal(buddy_add_range(&fx->b, ~0ULL - 2, 10), 0);
	assert_int_equal(buddy_add_range(&fx->b, 50, 0), 0);
	assert_int_equal(buddy_add_range(&fx->b, 40, ~0ULL), 24);
	expect_blocks(&fx->b, w4);
	assert_true(buddy_check(&fx->b));
	fx_free(fx);

	/* A range around a free island adds exactly the frames around it. */
	fx = fx_new(0, 16);
	fx_add(fx, 3, 3);
	assert_int_equal(buddy_add_range(&fx->b, 0, 16), 13);
	assert_int_equal(buddy_free_blocks(&fx->b, 4), 1);
	assert_true(buddy_check(&fx->b));
	fx_free(fx);
}

static void test_holes_never_handed_out(void **state)
{
	struct fixture *fx = fx_new(0x333, 1000);
	struct block *live = calloc(1000, sizeof(*live));
	size_t n;

	/* A range reaching below the span is clipped to it. */
	assert_int_equal(buddy_add_range(&fx->b, 0x300, 0x40), 0x340 - 0x333);
	for (uint64_t i = 0; i < 0x340 - 0x333; i++)
		fx->usable[i] = 1;
	fx_add(fx, 0x351, 1);
	fx_add(fx, 0x355, 0x77);
	fx_add(fx, 0x400, 0x333 + 1000 - 0x400);
	n = exhaust(fx, 0, live);
	assert_int_equal(n, fx_usable_count(fx));
	for (size_t i = 0; i < n; i++)
		fx_release(fx, live[i].pfn, 0);
	assert_int_equal(buddy_free_count(&fx->b), n);
	assert_true(buddy_check(&fx->b));
	free(live);
	fx_free(fx);
}

static void test_nonzero_base(void **state)
{
	/* 2 GiB from 4 GiB + 3 frames: blocks align on absolute pfns. */
	const uint64_t base = 0x100003, count = 0x80000;
	struct fixture *fx = fx_new(base, count);
	uint64_t want[BUDDY_ORDER_COUNT];
	uint64_t pfn;

	fx_add(fx, base, count);
	for (unsigned k = 0; k < BUDDY_ORDER_COUNT; k++)
		want[k] = 1;
	want[0] = 2; /* 0x100003 and 0x180002 */
	expect_blocks(&fx->b, want);
	pfn = fx_alloc(fx, BUDDY_MAX_ORDER);
	assert_int_equal(pfn, 0x140000);
	assert_false(buddy_alloc(&fx->b, BUDDY_MAX_ORDER, &pfn));
	assert_int_equal(fx_alloc(fx, 17), 0x120000);
	assert_int_equal(fx_alloc(fx, 1), 0x180000);
	assert_true(buddy_check(&fx->b));
	/* Nothing lies below the span. */
	assert_false(buddy_alloc_below(&fx->b, 0, base, &pfn));
	assert_true(buddy_alloc_below(&fx->b, 0, base + 1, &pfn));
	assert_int_equal(pfn, base);
	fx_release(fx, pfn, 0);
	fx_release(fx, 0x140000, BUDDY_MAX_ORDER);
	fx_release(fx, 0x120000, 17);
	fx_release(fx, 0x180000, 1);
	expect_blocks(&fx->b, want);
	assert_true(buddy_check(&fx->b));
	fx_free(fx);
}

static void test_alloc_below(void **state)
{
	struct fixture *fx = fx_new(0, 4096);
	struct block live[64];
	uint64_t pfn, before;
	size_t n = 0;

	fx_add(fx, 0, 64);
	fx_add(fx, 1024, 3072);
	assert_false(buddy_alloc_below(&fx->b, 0, 0, &pfn));
	/* An order-6 block at 0 needs a limit of at least 64. */
	assert_false(buddy_alloc_below(&fx->b, 6, 63, &pfn));
	assert_true(buddy_alloc_below(&fx->b, 6, 64, &pfn));
	assert_int_equal(pfn, 0);
	fx_take(fx, pfn, 6);
	fx_release(fx, pfn, 6);
	/* Unaligned limit: order-2 blocks must end at or before 37. */
	while (buddy_alloc_below(&fx->b, 2, 37, &pfn)) {
		assert_true(pfn + 4 <= 37);
		fx_take(fx, pfn, 2);
		live[n++] = (struct block){pfn, 2};
	}
	assert_int_equal(n, 9);
	/* Single frames below 64: the rest of the low range, then no more. */
	before = buddy_free_count(&fx->b);
	while (buddy_alloc_below(&fx->b, 0, 64, &pfn)) {
		assert_true(pfn < 64);
		fx_take(fx, pfn, 0);
		live[n++] = (struct block){pfn, 0};
	}
	assert_int_equal(n, 9 + 64 - 36);
	assert_int_equal(buddy_free_count(&fx->b), before - (64 - 36));
	assert_true(buddy_check(&fx->b));
	/* Higher memory is still there for an unlimited request. */
	assert_true(buddy_alloc_below(&fx->b, 3, 4096, &pfn));
	assert_true(pfn >= 1024 && pfn + 8 <= 4096);
	fx_take(fx, pfn, 3);
	fx_release(fx, pfn, 3);
	while (n > 0) {
		n--;
		fx_release(fx, live[n].pfn, live[n].order);
	}
	assert_int_equal(buddy_free_count(&fx->b), 64 + 3072);
	assert_true(buddy_check(&fx->b));
	fx_free(fx);
}

static void test_check_detects_corruption(void **state)
{
	struct fixture *fx = fx_new(0, 256);
	struct buddy_frame saved;
	uint64_t p;

	fx_add(fx, 0, 200);
	p = fx_alloc(fx, 0);
	(void)fx_alloc(fx, 0);
	(void)fx_alloc(fx, 0);
	assert_true(buddy_check(&fx->b));

	fx->b.free_frames++;
	assert_false(buddy_check(&fx->b));
	fx->b.free_frames--;

	fx->b.free_blocks[3]++;
	assert_false(buddy_check(&fx->b));
	fx->b.free_blocks[3]--;

	/* A tail that claims to be a block head overlaps its block. */
	saved = fx->frames[130];
	fx->frames[130].state = BUDDY_FREE;
	assert_false(buddy_check(&fx->b));
	fx->frames[130] = saved;

	/* An allocated frame put on a list without being marked free. */
	saved = fx->frames[p];
	fx->frames[p].next = fx->b.free_head[0];
	fx->b.free_head[0] = (uint32_t)p;
	assert_false(buddy_check(&fx->b));
	fx->b.free_head[0] = fx->frames[p].next;
	fx->frames[p] = saved;

	/* A list that points outside the frame array. */
	assert_int_equal(fx->b.free_head[7], 0);
	fx->frames[0].next = 5000;
	assert_false(buddy_check(&fx->b));
	fx->frames[0].next = BUDDY_NONE;
	assert_true(buddy_check(&fx->b));
	fx_free(fx);
}

/* ---- Core bugs must stop the core: each runs in a child and must abort. */

static struct fixture *death_fx(void)
{
	struct fixture *fx = fx_new(0x40, 256);

	fx_add(fx, 0x40, 128);
	return fx;
}

static void death_double_free(void)
{
	struct fixture *fx = death_fx();
	uint64_t p = fx_alloc(fx, 0);

	buddy_free(&fx->b, p, 0);
	buddy_free(&fx->b, p, 0);
}

static void death_double_free_merged(void)
{
	struct fixture *fx = death_fx();
	uint64_t p = fx_alloc(fx, 0);
	uint64_t q = fx_alloc(fx, 0);

	buddy_free(&fx->b, p, 0);
	buddy_free(&fx->b, q, 0);
	buddy_free(&fx->b, q, 0);
}

static void death_wrong_order(void)
{
	struct fixture *fx = death_fx();
	uint64_t p = fx_alloc(fx, 2);

	buddy_free(&fx->b, p, 1);
}

static void death_free_tail(void)
{
	struct fixture *fx = death_fx();
	uint64_t p = fx_alloc(fx, 2);

	buddy_free(&fx->b, p + 2, 1);
}

static void death_misaligned(void)
{
	struct fixture *fx = death_fx();
	uint64_t p = fx_alloc(fx, 2);

	buddy_free(&fx->b, p + 1, 1);
}

static void death_never_allocated(void)
{
	struct fixture *fx = death_fx();

	buddy_free(&fx->b, 0x40 + 200, 0); /* reserved hole */
}

static void death_out_of_range(void)
{
	struct fixture *fx = death_fx();

	buddy_free(&fx->b, 0x40 + 256, 0);
}

static void death_below_range(void)
{
	struct fixture *fx = death_fx();

	buddy_free(&fx->b, 0x3f, 0);
}

static void death_bad_order(void)
{
	struct fixture *fx = death_fx();
	uint64_t p = fx_alloc(fx, 0);

	buddy_free(&fx->b, p, BUDDY_MAX_ORDER + 1);
}

static void expect_abort(void (*fn)(void), const char *name)
{
	int status;
	pid_t pid = fork();

	assert_true(pid >= 0);
	if (pid == 0) {
		int devnull = open("/dev/null", O_WRONLY);

		if (devnull >= 0)
			dup2(devnull, STDERR_FILENO);
		fn();
		_exit(0);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGABRT)
		fail_msg("%s: child did not abort (status %#x)", name, status);
}

static void test_core_bugs_abort(void **state)
{
	expect_abort(death_double_free, "double free");
	expect_abort(death_double_free_merged, "double free after merge");
	expect_abort(death_wrong_order, "wrong order");
	expect_abort(death_free_tail, "free inside a block");
	expect_abort(death_misaligned, "misaligned");
	expect_abort(death_never_allocated, "never allocated");
	expect_abort(death_out_of_range, "past the span");
	expect_abort(death_below_range, "below the span");
	expect_abort(death_bad_order, "order too large");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_empty),
	    cmocka_unit_test(test_each_order),
	    cmocka_unit_test(test_exhaust_and_restore),
	    cmocka_unit_test(test_random),
	    cmocka_unit_test(test_ranges_and_holes),
	    cmocka_unit_test(test_holes_never_handed_out),
	    cmocka_unit_test(test_nonzero_base),
	    cmocka_unit_test(test_alloc_below),
	    cmocka_unit_test(test_check_detects_corruption),
	    cmocka_unit_test(test_core_bugs_abort),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
