// SPDX-License-Identifier: GPL-2.0-only
/*
 * The scheduler policy on a simulated clock. A small simulator plays the
 * mechanism's part on one pCPU: pick, run until the slice ends or an event
 * (a task blocks, a sleeper wakes), charge, repeat. Tasks are CPU-bound or
 * interactive (run a short burst, sleep, wake). Every step ends with
 * sched_rq_check(), so each scenario also checks the queue's invariants.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>
#include <atoll/sched_policy.h>
#include "fake_core.h"

#define US	      1000ULL
#define MS	      1000000ULL
#define SEC	      1000000000ULL
#define NEVER	      UINT64_MAX
#define TIMER_LATE_NS (20 * US)

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

static uint64_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

struct task {
	struct sched_entity se;
	uint64_t burst_ns; /* 0: CPU-bound; else runs this long, then sleeps */
	uint64_t sleep_ns; /* blocked this long between bursts */
	uint64_t burst_left;
	uint64_t wake_at; /* while blocked */
	uint64_t woke_at; /* runnable but not yet run since; NEVER if not */
	uint64_t max_latency;
	uint64_t wakeups;
	bool blocked;
};

struct sim {
	struct sched_runqueue rq;
	struct task *tasks;
	unsigned count;
	uint64_t now;
	struct task *cur;
	uint64_t slice_end;
	bool need_pick;
	bool preempt_on_wake; /* use sched_wake_preempts() */
	uint64_t idle_ns;
	uint64_t picks;
};

static void task_init(struct task *t, unsigned weight, unsigned cap,
		      uint64_t burst_ns, uint64_t sleep_ns)
{
	memset(t, 0, sizeof(*t));
	sched_entity_init(&t->se, weight, cap);
	t->burst_ns = burst_ns;
	t->sleep_ns = sleep_ns;
	t->burst_left = burst_ns;
	t->woke_at = NEVER;
}

static void sim_init(struct sim *s, struct task *tasks, unsigned count,
		     bool preempt_on_wake)
{
	memset(s, 0, sizeof(*s));
	sched_rq_init(&s->rq);
	s->tasks = tasks;
	s->count = count;
	s->need_pick = true;
	s->preempt_on_wake = preempt_on_wake;
	for (unsigned i = 0; i < count; i++)
		sched_enqueue(&s->rq, &tasks[i].se, 0);
}

static struct task *task_of(struct sched_entity *e)
{
	return e ? container_of(e, struct task, se) : NULL;
}

static void sim_pick(struct sim *s)
{
	uint64_t slice = 12345;
	struct sched_entity *e =
	    sched_pick(&s->rq, s->cur ? &s->cur->se : NULL, s->now, &slice);

	s->cur = task_of(e);
	s->need_pick = false;
	s->picks++;
	if (!e) {
		s->slice_end = slice ? s->now + slice : NEVER;
		return;
	}
	assert_true(slice >= SCHED_SLICE_MIN_NS && slice <= SCHED_SLICE_MAX_NS);
	/* Like a real timer, the slice ends up to TIMER_LATE_NS late. */
	s->slice_end = s->now + slice + rng() % TIMER_LATE_NS;
	if (s->cur->woke_at != NEVER) {
		s->cur->max_latency =
		    MAX(s->cur->max_latency, s->now - s->cur->woke_at);
		s->cur->woke_at = NEVER;
	}
}

static uint64_t sim_next_wake(const struct sim *s)
{
	uint64_t next = NEVER;

	for (unsigned i = 0; i < s->count; i++)
		if (s->tasks[i].blocked)
			next = MIN(next, s->tasks[i].wake_at);
	return next;
}

static void sim_block_current(struct sim *s)
{
	struct task *t = s->cur;

	sched_dequeue(&s->rq, &t->se);
	t->blocked = true;
	t->wake_at = s->now + t->sleep_ns;
	s->cur = NULL;
	s->need_pick = true;
}

static void sim_wake_due(struct sim *s)
{
	for (unsigned i = 0; i < s->count; i++) {
		struct task *t = &s->tasks[i];

		if (!t->blocked || t->wake_at > s->now)
			continue;
		t->blocked = false;
		t->burst_left = t->burst_ns;
		t->woke_at = s->now;
		t->wakeups++;
		sched_enqueue(&s->rq, &t->se, s->now);
		if (!s->cur ||
		    (s->preempt_on_wake &&
		     sched_wake_preempts(&s->rq, &t->se, &s->cur->se, s->now)))
			s->need_pick = true;
	}
}

static void sim_check_bounds(const struct sim *s)
{
	for (unsigned i = 0; i < s->count; i++) {
		assert_true(s->tasks[i].se.credit >= SCHED_CREDIT_MIN);
		assert_true(s->tasks[i].se.credit <= SCHED_CREDIT_MAX);
	}
	assert_true(sched_rq_check(&s->rq));
}

/* Run to the next event: slice end, end of burst, a wake-up or @end. */
static void sim_step(struct sim *s, uint64_t end)
{
	uint64_t next = MIN(MIN(s->slice_end, end), sim_next_wake(s));
	uint64_t ran;

	if (s->cur && s->cur->burst_ns)
		next = MIN(next, s->now + s->cur->burst_left);
	ran = next - s->now;
	s->now = next;
	if (s->cur) {
		sched_charge(&s->rq, &s->cur->se, ran, s->now);
		if (s->cur->burst_ns) {
			s->cur->burst_left -= ran;
			if (s->cur->burst_left == 0)
				sim_block_current(s);
		}
	} else {
		s->idle_ns += ran;
	}
	if (s->now >= s->slice_end)
		s->need_pick = true;
	sim_wake_due(s);
	sim_check_bounds(s);
}

static void sim_run(struct sim *s, uint64_t duration)
{
	uint64_t end = s->now + duration;

	while (s->now < end) {
		if (s->need_pick)
			sim_pick(s);
		sim_step(s, end);
	}
}

/* Percentage of @total that @t ran, in hundredths of a percent. */
static uint64_t share_bp(const struct task *t, uint64_t total)
{
	return t->se.runtime_ns * 10000 / total;
}

static void expect_share(const char *what, const struct task *t, uint64_t total,
			 uint64_t want_bp, uint64_t tol_bp)
{
	uint64_t got = share_bp(t, total);

	print_message(
	    "  %s: %llu.%02llu%% (want %llu.%02llu%% +-%llu.%02llu)\n", what,
	    (unsigned long long)got / 100, (unsigned long long)got % 100,
	    (unsigned long long)want_bp / 100,
	    (unsigned long long)want_bp % 100, (unsigned long long)tol_bp / 100,
	    (unsigned long long)tol_bp % 100);
	assert_true(got + tol_bp >= want_bp && got <= want_bp + tol_bp);
}

/* @a ran @num/@den times what @b did, within @tol_pct percent. */
static void expect_ratio(const struct task *a, const struct task *b,
			 uint64_t num, uint64_t den, uint64_t tol_pct)
{
	uint64_t lhs = a->se.runtime_ns * den * 100;
	uint64_t rhs = b->se.runtime_ns * num;

	print_message("  ratio %.4f (want %.4f)\n",
		      (double)a->se.runtime_ns / (double)b->se.runtime_ns,
		      (double)num / (double)den);
	assert_true(lhs >= rhs * (100 - tol_pct) &&
		    lhs <= rhs * (100 + tol_pct));
}

/* ---- Basic contracts ---- */

static void test_empty_queue_idles(void **state)
{
	struct sched_runqueue rq;
	uint64_t slice = 99;

	sched_rq_init(&rq);
	assert_null(sched_pick(&rq, NULL, 0, &slice));
	assert_int_equal(slice, 0);
	assert_true(sched_rq_check(&rq));
}

static void test_alone_runs_max_slice(void **state)
{
	struct sched_runqueue rq;
	struct sched_entity e;
	uint64_t now = 0, slice;

	sched_rq_init(&rq);
	sched_entity_init(&e, SCHED_WEIGHT_DEFAULT, SCHED_CAP_NONE);
	sched_enqueue(&rq, &e, now);
	for (int i = 0; i < 1000; i++) {
		assert_ptr_equal(sched_pick(&rq, &e, now, &slice), &e);
		assert_int_equal(slice, SCHED_SLICE_MAX_NS);
		/* A late or early timer changes nothing. */
		uint64_t ran = slice + (i % 3) * 37 * US - 37 * US;

		now += ran;
		sched_charge(&rq, &e, ran, now);
		assert_true(sched_rq_check(&rq));
	}
	assert_int_equal(e.runtime_ns, now);
}

static void test_params_clamped(void **state)
{
	struct sched_entity e;

	sched_entity_init(&e, 0, 250);
	assert_int_equal(e.weight, SCHED_WEIGHT_MIN);
	assert_int_equal(e.cap_percent, SCHED_CAP_MAX);
	sched_entity_set_params(NULL, &e, 1u << 20, 50);
	assert_int_equal(e.weight, SCHED_WEIGHT_MAX);
	assert_int_equal(e.cap_percent, 50);
	assert_int_equal(e.budget_ns, SCHED_CAP_PERIOD_NS / 2);
	sched_entity_set_params(NULL, &e, 512, SCHED_CAP_NONE);
	assert_int_equal(e.weight, 512);
	assert_int_equal(e.cap_percent, 0);
}

/* ---- Fairness ---- */

static void test_equal_weights_share(void **state)
{
	struct task t[8];
	struct sim s;

	task_init(&t[0], 256, 0, 0, 0);
	task_init(&t[1], 256, 0, 0, 0);
	sim_init(&s, t, 2, true);
	sim_run(&s, SEC);
	expect_ratio(&t[0], &t[1], 1, 1, 5);
	assert_int_equal(s.idle_ns, 0);

	for (unsigned i = 0; i < 8; i++)
		task_init(&t[i], 256, 0, 0, 0);
	sim_init(&s, t, 8, true);
	sim_run(&s, SEC);
	for (unsigned i = 0; i < 8; i++)
		expect_share("one of eight", &t[i], SEC, 1250, 62);
}

static void test_weights_1_to_2(void **state)
{
	struct task t[2];
	struct sim s;

	task_init(&t[0], 256, 0, 0, 0);
	task_init(&t[1], 512, 0, 0, 0);
	sim_init(&s, t, 2, true);
	sim_run(&s, SEC);
	expect_ratio(&t[1], &t[0], 2, 1, 5);
}

static void test_weights_1_1_2(void **state)
{
	struct task t[3];
	struct sim s;

	task_init(&t[0], 100, 0, 0, 0);
	task_init(&t[1], 100, 0, 0, 0);
	task_init(&t[2], 200, 0, 0, 0);
	sim_init(&s, t, 3, true);
	sim_run(&s, SEC);
	expect_ratio(&t[0], &t[1], 1, 1, 5);
	expect_ratio(&t[2], &t[0], 2, 1, 5);
	expect_ratio(&t[2], &t[1], 2, 1, 5);
}

static void test_extreme_weights(void **state)
{
	struct task t[2];
	struct sim s;

	task_init(&t[0], 64, 0, 0, 0);
	task_init(&t[1], 4096, 0, 0, 0);
	sim_init(&s, t, 2, true);
	sim_run(&s, 10 * SEC);
	expect_ratio(&t[1], &t[0], 64, 1, 5);
}

/* ---- Caps ---- */

static void test_cap_alone(void **state)
{
	struct task t[1];
	struct sim s;

	task_init(&t[0], 256, 25, 0, 0);
	sim_init(&s, t, 1, true);
	sim_run(&s, SEC);
	expect_share("cap 25% alone", &t[0], SEC, 2500, 300);
	assert_int_equal(s.idle_ns + t[0].se.runtime_ns, SEC);
}

static void test_cap_throttled_slice(void **state)
{
	struct sched_runqueue rq;
	struct sched_entity e;
	uint64_t slice;

	sched_rq_init(&rq);
	sched_entity_init(&e, 256, 25);
	sched_enqueue(&rq, &e, 0);
	assert_ptr_equal(sched_pick(&rq, NULL, 0, &slice), &e);
	assert_int_equal(slice, 2500 * US);
	sched_charge(&rq, &e, slice, slice);
	/* Throttled: idle until its period ends, 7.5 ms later. */
	assert_null(sched_pick(&rq, &e, slice, &slice));
	assert_int_equal(slice, 7500 * US);
	assert_ptr_equal(sched_pick(&rq, NULL, 10 * MS, &slice), &e);
	assert_int_equal(slice, 2500 * US);
}

/* A quota below the shortest slice: the overrun is repaid later. */
static void test_cap_small_quota(void **state)
{
	static const unsigned caps[] = {1, 5, 15};
	struct task t[2];
	struct sim s;

	for (unsigned i = 0; i < 3; i++) {
		task_init(&t[0], 256, caps[i], 0, 0);
		task_init(&t[1], 256, 0, 0, 0);
		sim_init(&s, t, 2, true);
		sim_run(&s, SEC);
		expect_share("small cap", &t[0], SEC, caps[i] * 100, 30);
		task_init(&t[0], 256, caps[i], 0, 0);
		sim_init(&s, t, 1, true);
		sim_run(&s, SEC);
		expect_share("small cap alone", &t[0], SEC, caps[i] * 100, 30);
	}
}

/* A run across a period start pays each period its own part. */
static void test_cap_charge_split(void **state)
{
	struct sched_runqueue rq;
	struct sched_entity e;

	sched_rq_init(&rq);
	sched_entity_init(&e, 256, 50);
	sched_enqueue(&rq, &e, 0);
	assert_int_equal(e.refill_ns, 10 * MS);
	/* Ran 8..12 ms: 2 ms from the old period, 2 ms from a fresh 5. */
	sched_charge(&rq, &e, 4 * MS, 12 * MS);
	assert_int_equal(e.refill_ns, 20 * MS);
	assert_int_equal(e.budget_ns, 3 * MS);
	/* Debt carries over: 9 ms more leaves -6 ms, then -1 ms at 20 ms. */
	sched_charge(&rq, &e, 9 * MS, 19 * MS);
	assert_int_equal(e.budget_ns, -6 * (int64_t)MS);
	sched_charge(&rq, &e, 0, 20 * MS);
	assert_int_equal(e.budget_ns, -1 * (int64_t)MS);
	/* Idle for long: one quota, no more. */
	sched_charge(&rq, &e, 0, 10 * SEC + 3);
	assert_int_equal(e.budget_ns, 5 * MS);
	assert_int_equal(e.refill_ns, 10 * SEC + 10 * MS);
}

static void test_cap_competing(void **state)
{
	struct task t[3];
	struct sim s;

	task_init(&t[0], 256, 25, 0, 0);
	task_init(&t[1], 256, 0, 0, 0);
	sim_init(&s, t, 2, true);
	sim_run(&s, SEC);
	expect_share("cap 25% vs uncapped", &t[0], SEC, 2500, 300);
	expect_share("uncapped vs cap 25%", &t[1], SEC, 7500, 300);

	/* Fair share 33%, cap 25%; the heavier one can't lift it either. */
	task_init(&t[0], 256, 25, 0, 0);
	task_init(&t[1], 256, 0, 0, 0);
	task_init(&t[2], 512, 0, 0, 0);
	sim_init(&s, t, 3, true);
	sim_run(&s, SEC);
	expect_share("cap 25% vs two", &t[0], SEC, 2500, 300);
	expect_ratio(&t[2], &t[1], 2, 1, 5);

	/* A cap above the fair share doesn't bind. */
	task_init(&t[0], 256, 75, 0, 0);
	task_init(&t[1], 256, 0, 0, 0);
	sim_init(&s, t, 2, true);
	sim_run(&s, SEC);
	expect_ratio(&t[0], &t[1], 1, 1, 5);
}

static void test_cap_both_capped(void **state)
{
	struct task t[2];
	struct sim s;

	task_init(&t[0], 256, 10, 0, 0);
	task_init(&t[1], 1024, 30, 0, 0);
	sim_init(&s, t, 2, true);
	sim_run(&s, SEC);
	expect_share("cap 10%", &t[0], SEC, 1000, 300);
	expect_share("cap 30%", &t[1], SEC, 3000, 300);
	assert_int_equal(s.idle_ns + t[0].se.runtime_ns + t[1].se.runtime_ns,
			 SEC);
}

/* ---- Latency ---- */

static void run_interactive(bool preempt, uint64_t max_latency)
{
	struct task t[3];
	struct sim s;
	uint64_t busy;

	task_init(&t[0], 256, 0, 0, 0);
	task_init(&t[1], 256, 0, 0, 0);
	/* Odd periods, so that wake-ups don't fall on slice ends. */
	task_init(&t[2], 256, 0, 211 * US, 5 * MS + 337 * US + 11);
	sim_init(&s, t, 3, preempt);
	sim_run(&s, SEC);
	print_message("  %s: woken %llu times, max latency %llu us\n",
		      preempt ? "preempting" : "at slice end",
		      (unsigned long long)t[2].wakeups,
		      (unsigned long long)t[2].max_latency / US);
	assert_true(t[2].max_latency <= max_latency);
	/* It got every burst it asked for... */
	assert_true(t[2].se.runtime_ns + 211 * US >=
		    (t[2].wakeups + 1) * 211 * US);
	assert_true(t[2].wakeups + 1 >=
		    SEC / (t[2].burst_ns + t[2].sleep_ns + max_latency));
	/* ...and the CPU-bound ones share the rest evenly, unstarved. */
	busy = t[0].se.runtime_ns + t[1].se.runtime_ns;
	assert_true(busy + t[2].se.runtime_ns == SEC);
	expect_ratio(&t[0], &t[1], 1, 1, 5);
	expect_share("cpu-bound pair", &t[0], busy, 5000, 250);
}

static void test_interactive_latency(void **state)
{
	/* Preempted on wake: runs at once. */
	run_interactive(true, 0);
	/* Without preemption: by the next pick, within one slice. */
	run_interactive(false, SCHED_SLICE_MAX_NS);
}

static void test_wake_after_long_sleep(void **state)
{
	struct task t[2];
	struct sim s;

	task_init(&t[0], 256, 0, 0, 0);
	task_init(&t[1], 256, 0, 0, 0);
	sim_init(&s, t, 2, true);
	/* t[1] sleeps 10 s, through about a thousand resets, then spins. */
	sched_dequeue(&s.rq, &t[1].se);
	t[1].blocked = true;
	t[1].wake_at = 10 * SEC;
	sim_run(&s, 10 * SEC);
	assert_int_equal(t[1].wakeups, 1);
	assert_int_equal(t[1].se.credit, SCHED_CREDIT_MAX);
	sim_run(&s, 100 * MS);
	assert_int_equal(t[1].max_latency, 0);
	/*
	 * Sleeping earned at most SCHED_CREDIT_MAX; with one minimum slice
	 * for a tie, the spinner's lead is at most 12 ms, then they share.
	 */
	print_message("  woken spinner: %llu us of the first 100 ms\n",
		      (unsigned long long)t[1].se.runtime_ns / US);
	assert_true(t[1].se.runtime_ns >= 50 * MS);
	assert_true(t[1].se.runtime_ns <=
		    (100 * MS + SCHED_CREDIT_MAX + SCHED_SLICE_MIN_NS) / 2);
}

/* ---- Yield ---- */

static void test_yield_lets_other_run(void **state)
{
	struct sched_runqueue rq;
	struct sched_entity a, b;
	uint64_t now = 0, slice;

	sched_rq_init(&rq);
	sched_entity_init(&a, 256, 0);
	sched_entity_init(&b, 256, 0);
	sched_enqueue(&rq, &a, now);
	sched_enqueue(&rq, &b, now);
	/* b is behind by 3 ms of credit, so a runs... */
	sched_charge(&rq, &b, 3 * MS, now);
	assert_ptr_equal(sched_pick(&rq, NULL, now, &slice), &a);
	assert_int_equal(slice, 3 * MS);
	now += 1 * MS;
	sched_charge(&rq, &a, 1 * MS, now);
	/* ...until it yields: then b, for the shortest slice. */
	sched_yield_once(&rq, &a);
	assert_true(sched_rq_check(&rq));
	assert_ptr_equal(sched_pick(&rq, &a, now, &slice), &b);
	assert_int_equal(slice, SCHED_SLICE_MIN_NS);
	now += slice;
	sched_charge(&rq, &b, slice, now);
	/* The yield counted for one pick only. */
	assert_ptr_equal(sched_pick(&rq, &b, now, &slice), &a);

	/* Alone, a yielder runs on; a dequeued yielder is forgotten. */
	sched_dequeue(&rq, &b);
	sched_yield_once(&rq, &a);
	assert_ptr_equal(sched_pick(&rq, &a, now, &slice), &a);
	sched_yield_once(&rq, &a);
	sched_dequeue(&rq, &a);
	assert_null(rq.yielding);
	assert_true(sched_rq_check(&rq));
}

static void test_tie_keeps_current(void **state)
{
	struct sched_runqueue rq;
	struct sched_entity a, b;
	uint64_t slice;

	sched_rq_init(&rq);
	sched_entity_init(&a, 256, 0);
	sched_entity_init(&b, 256, 0);
	sched_enqueue(&rq, &a, 0);
	sched_enqueue(&rq, &b, 0);
	assert_ptr_equal(sched_pick(&rq, &b, 0, &slice), &b);
	assert_ptr_equal(sched_pick(&rq, NULL, 0, &slice), &a);
}

/* ---- Random operations against a shadow model ---- */

#define RANDOM_ENTITIES 16

/* The list holds exactly the entities the shadow says are runnable. */
static void check_membership(const struct sched_runqueue *rq,
			     const struct sched_entity *e, const bool *queued)
{
	unsigned seen[RANDOM_ENTITIES] = {0};
	unsigned listed = 0;
	int64_t prev = INT64_MAX;

	for (const struct sched_link *l = rq->entities.next; l != &rq->entities;
	     l = l->next, listed++) {
		const struct sched_entity *x =
		    container_of(l, struct sched_entity, link);
		ptrdiff_t i = x - e;

		assert_true(i >= 0 && i < RANDOM_ENTITIES);
		assert_true(x->credit <= prev);
		prev = x->credit;
		seen[i]++;
		assert_true(listed < RANDOM_ENTITIES);
	}
	for (unsigned i = 0; i < RANDOM_ENTITIES; i++) {
		assert_int_equal(seen[i], queued[i] ? 1 : 0);
		assert_int_equal(e[i].runnable, queued[i]);
	}
	assert_int_equal(listed, rq->count);
	assert_true(sched_rq_check(rq));
}

static void random_step(struct sched_runqueue *rq, struct sched_entity *e,
			bool *queued, uint64_t *now)
{
	unsigned i = rng() % RANDOM_ENTITIES;
	uint64_t slice, dt = rng() % (3 * MS);

	*now += dt;
	switch (rng() % 6) {
	case 0:
		if (queued[i])
			sched_dequeue(rq, &e[i]);
		else
			sched_enqueue(rq, &e[i], *now);
		queued[i] = !queued[i];
		break;
	case 1:
		sched_charge(rq, &e[i], dt, *now);
		break;
	case 2:
	case 3: {
		struct sched_entity *p = sched_pick(rq, &e[i], *now, &slice);

		assert_true(!p ||
			    (queued[p - e] && slice >= SCHED_SLICE_MIN_NS));
		break;
	}
	case 4:
		if (queued[i])
			sched_yield_once(rq, &e[i]);
		break;
	default:
		sched_entity_set_params(rq, &e[i], rng() % 70000, rng() % 120);
		break;
	}
}

static void test_random_operations(void **state)
{
	struct sched_entity e[RANDOM_ENTITIES];
	bool queued[RANDOM_ENTITIES] = {false};
	struct sched_runqueue rq;
	uint64_t now = 0;

	sched_rq_init(&rq);
	for (unsigned i = 0; i < RANDOM_ENTITIES; i++)
		sched_entity_init(&e[i], 1 + rng() % 1000, rng() % 4 * 20);
	for (int step = 0; step < 200000; step++) {
		random_step(&rq, e, queued, &now);
		check_membership(&rq, e, queued);
	}
}

/* ---- Long runs and migration ---- */

static void test_hour_without_overflow(void **state)
{
	struct task t[5];
	struct sim s;
	uint64_t total = 0;

	task_init(&t[0], SCHED_WEIGHT_MIN, 0, 0, 0);
	task_init(&t[1], SCHED_WEIGHT_MAX, 0, 0, 0);
	task_init(&t[2], SCHED_WEIGHT_MAX, 10, 0, 0);
	task_init(&t[3], 7, 50, 300 * US, 2 * MS);
	task_init(&t[4], 40000, 0, 3 * MS, 20 * MS);
	sim_init(&s, t, 5, true);
	sim_run(&s, 3600 * SEC);
	for (unsigned i = 0; i < 5; i++)
		total += t[i].se.runtime_ns;
	assert_int_equal(total + s.idle_ns, 3600 * SEC);
	expect_share("cap 10% in the mix", &t[2], 3600 * SEC, 1000, 300);
	print_message("  %llu picks, %llu resets\n",
		      (unsigned long long)s.picks,
		      (unsigned long long)s.rq.reset_gen);
}

static void test_migrate_between_queues(void **state)
{
	struct sched_runqueue rq0, rq1;
	struct sched_entity a, b;
	uint64_t slice;

	sched_rq_init(&rq0);
	sched_rq_init(&rq1);
	sched_entity_init(&a, 256, 0);
	sched_entity_init(&b, 256, 0);
	sched_enqueue(&rq0, &a, 0);
	sched_charge(&rq0, &a, 25 * MS, 25 * MS);
	sched_dequeue(&rq0, &a);
	sched_enqueue(&rq1, &b, 25 * MS);
	sched_enqueue(&rq1, &a, 25 * MS);
	assert_ptr_equal(a.rq, &rq1);
	assert_true(sched_rq_check(&rq0) && sched_rq_check(&rq1));
	assert_int_equal(rq0.count, 0);
	assert_int_equal(rq1.count, 2);
	assert_ptr_equal(sched_pick(&rq1, NULL, 25 * MS, &slice), &b);
}

/* ---- Dump ---- */

static unsigned dump_lines;

static void dump_line(void *arg, const struct sched_entity *e, const char *line)
{
	char *out = arg;

	dump_lines++;
	strcat(out, line);
	strcat(out, "\n");
}

static void test_dump(void **state)
{
	struct sched_runqueue rq;
	struct sched_entity a, b;
	char out[512] = "";

	sched_rq_init(&rq);
	sched_entity_init(&a, 256, 0);
	sched_entity_init(&b, 512, 25);
	sched_enqueue(&rq, &a, 0);
	sched_enqueue(&rq, &b, 0);
	sched_charge(&rq, &b, 3 * MS, 3 * MS);
	sched_yield_once(&rq, &a);
	dump_lines = 0;
	sched_dump(&rq, dump_line, out);
	assert_int_equal(dump_lines, 2);
	assert_string_equal(out,
			    "#0 weight=256 cap=0% credit=10000000 budget=0 "
			    "runtime=0 yielding\n"
			    "#1 weight=512 cap=25% credit=8500000 "
			    "budget=-500000 runtime=3000000 throttled\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_empty_queue_idles),
	    cmocka_unit_test(test_alone_runs_max_slice),
	    cmocka_unit_test(test_params_clamped),
	    cmocka_unit_test(test_equal_weights_share),
	    cmocka_unit_test(test_weights_1_to_2),
	    cmocka_unit_test(test_weights_1_1_2),
	    cmocka_unit_test(test_extreme_weights),
	    cmocka_unit_test(test_cap_alone),
	    cmocka_unit_test(test_cap_throttled_slice),
	    cmocka_unit_test(test_cap_small_quota),
	    cmocka_unit_test(test_cap_charge_split),
	    cmocka_unit_test(test_cap_competing),
	    cmocka_unit_test(test_cap_both_capped),
	    cmocka_unit_test(test_interactive_latency),
	    cmocka_unit_test(test_wake_after_long_sleep),
	    cmocka_unit_test(test_yield_lets_other_run),
	    cmocka_unit_test(test_tie_keeps_current),
	    cmocka_unit_test(test_random_operations),
	    cmocka_unit_test(test_hour_without_overflow),
	    cmocka_unit_test(test_migrate_between_queues),
	    cmocka_unit_test(test_dump),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
