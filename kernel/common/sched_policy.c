// SPDX-License-Identifier: GPL-2.0-only
/*
 * Scheduler policy (see atoll/sched_policy.h for the model and contracts).
 *
 * The run queue is a circular list through a sentinel, sorted by credit,
 * highest first, FIFO among equal credits. Every operation is linear in the
 * number of runnable entities, which is tens per pCPU. All arithmetic is
 * 64-bit integer: credit and budget stay in [SCHED_CREDIT_MIN,
 * SCHED_CREDIT_MAX] and [SCHED_BUDGET_MIN, period], run times are clamped
 * to SCHED_CHARGE_MAX_NS, so no product below can overflow.
 */
#include <atoll/sched_policy.h>
#include <atoll/panic.h>
#include <atoll/printk.h>
#include <atoll/string.h>

#define sched_entry(l) container_of(l, struct sched_entity, link)

static unsigned sched_clamp_weight(unsigned weight)
{
	return MIN(MAX(weight, SCHED_WEIGHT_MIN), SCHED_WEIGHT_MAX);
}

static unsigned sched_clamp_cap(unsigned cap_percent)
{
	return MIN(cap_percent, SCHED_CAP_MAX);
}

/* Credit burned by running @ns: slower for heavier entities. */
static int64_t sched_time_to_credit(uint64_t ns, const struct sched_entity *e)
{
	ns = MIN(ns, SCHED_CHARGE_MAX_NS);
	return (int64_t)(ns * SCHED_WEIGHT_DEFAULT / e->weight);
}

/* Run time that burns @credit (>= 0), saturating at SCHED_SLICE_MAX_NS. */
static uint64_t sched_credit_to_time(int64_t credit,
				     const struct sched_entity *e)
{
	if (credit >= sched_time_to_credit(SCHED_SLICE_MAX_NS, e))
		return SCHED_SLICE_MAX_NS;
	return (uint64_t)credit * e->weight / SCHED_WEIGHT_DEFAULT;
}

/* ---- Cap budget ---- */

static bool sched_capped(const struct sched_entity *e)
{
	return e->cap_percent != SCHED_CAP_NONE;
}

static int64_t sched_cap_quota(const struct sched_entity *e)
{
	return (int64_t)(SCHED_CAP_PERIOD_NS * e->cap_percent / 100);
}

/* May @e be picked: uncapped, or budget left this period. */
static bool sched_eligible(const struct sched_entity *e)
{
	return !sched_capped(e) || e->budget_ns > 0;
}

/*
 * Add the quota of every period that began by @now, keeping at most one
 * quota: unused budget is lost, debt is repaid. Starts the first period at
 * @now if none is running.
 */
static void sched_cap_refill(struct sched_entity *e, uint64_t now)
{
	int64_t quota = sched_cap_quota(e);
	uint64_t periods, needed;

	if (!sched_capped(e))
		return;
	if (e->refill_ns == 0) {
		e->refill_ns = now + SCHED_CAP_PERIOD_NS;
		e->budget_ns = quota;
		return;
	}
	if (now < e->refill_ns)
		return;
	periods = (now - e->refill_ns) / SCHED_CAP_PERIOD_NS + 1;
	e->refill_ns += periods * SCHED_CAP_PERIOD_NS;
	needed = (uint64_t)((2 * quota - e->budget_ns - 1) / quota);
	if (periods >= needed)
		e->budget_ns = quota;
	else
		e->budget_ns += (int64_t)periods * quota;
}

static void sched_cap_consume(struct sched_entity *e, uint64_t ns)
{
	ns = MIN(ns, SCHED_CHARGE_MAX_NS);
	e->budget_ns = MAX(e->budget_ns - (int64_t)ns, SCHED_BUDGET_MIN);
}

/*
 * Spend budget for [now - ran, now]. A run that crosses a period start is
 * split there, so each period pays for its own part.
 */
static void sched_cap_charge(struct sched_entity *e, uint64_t ran, uint64_t now)
{
	uint64_t start = now > ran ? now - ran : 0;

	if (!sched_capped(e))
		return;
	sched_cap_refill(e, start);
	if (now < e->refill_ns) {
		sched_cap_consume(e, ran);
		return;
	}
	sched_cap_consume(e, e->refill_ns - start);
	sched_cap_refill(e, now);
	sched_cap_consume(e, now - (e->refill_ns - SCHED_CAP_PERIOD_NS));
}

/* ---- The sorted list ---- */

static void sched_list_remove(struct sched_runqueue *rq, struct sched_entity *e)
{
	e->link.prev->next = e->link.next;
	e->link.next->prev = e->link.prev;
	e->link.next = e->link.prev = NULL;
	rq->count--;
}

/* Insert behind every entity with at least @e's credit (FIFO on ties). */
static void sched_list_insert(struct sched_runqueue *rq, struct sched_entity *e)
{
	struct sched_link *pos = rq->entities.next;

	while (pos != &rq->entities && sched_entry(pos)->credit >= e->credit)
		pos = pos->next;
	e->link.next = pos;
	e->link.prev = pos->prev;
	pos->prev->next = &e->link;
	pos->prev = &e->link;
	rq->count++;
}

/* First eligible entity in pick order, other than @skip; or NULL. */
static struct sched_entity *
sched_first_eligible(struct sched_runqueue *rq, const struct sched_entity *skip)
{
	for (struct sched_link *l = rq->entities.next; l != &rq->entities;
	     l = l->next) {
		struct sched_entity *e = sched_entry(l);

		if (e != skip && sched_eligible(e))
			return e;
	}
	return NULL;
}

/* ---- Entities and queues ---- */

void sched_entity_init(struct sched_entity *e, unsigned weight,
		       unsigned cap_percent)
{
	*e = (struct sched_entity){
	    .weight = sched_clamp_weight(weight),
	    .cap_percent = sched_clamp_cap(cap_percent),
	    .credit = SCHED_CREDIT_INIT,
	};
	e->budget_ns = sched_cap_quota(e);
}

void sched_rq_init(struct sched_runqueue *rq)
{
	*rq = (struct sched_runqueue){0};
	rq->entities.next = rq->entities.prev = &rq->entities;
}

/*
 * Apply the resets @rq did while @e was away: each would have added at
 * least SCHED_CREDIT_INIT, then clipped. From another queue, credit has
 * another scale; only the clip is applied.
 */
static void sched_catch_up(struct sched_runqueue *rq, struct sched_entity *e)
{
	uint64_t missed = rq->reset_gen - e->reset_gen;
	uint64_t to_max = (uint64_t)(SCHED_CREDIT_MAX - e->credit);

	if (e->rq == rq && missed > 0) {
		if (missed >= to_max / SCHED_CREDIT_INIT + 1)
			e->credit = SCHED_CREDIT_MAX;
		else
			e->credit += (int64_t)missed * SCHED_CREDIT_INIT;
	}
	e->credit = MIN(e->credit, SCHED_CREDIT_MAX);
	e->rq = rq;
	e->reset_gen = rq->reset_gen;
}

void sched_enqueue(struct sched_runqueue *rq, struct sched_entity *e,
		   uint64_t now_ns)
{
	ASSERT(!e->runnable);
	sched_catch_up(rq, e);
	sched_cap_refill(e, now_ns);
	e->accounted_ns = now_ns;
	sched_list_insert(rq, e);
	e->runnable = true;
}

void sched_dequeue(struct sched_runqueue *rq, struct sched_entity *e)
{
	ASSERT(e->runnable && e->rq == rq);
	sched_list_remove(rq, e);
	e->runnable = false;
	if (rq->yielding == e)
		rq->yielding = NULL;
}

void sched_charge(struct sched_runqueue *rq, struct sched_entity *e,
		  uint64_t ran_ns, uint64_t now_ns)
{
	int64_t burn = sched_time_to_credit(ran_ns, e);

	ASSERT(!e->runnable || e->rq == rq);
	e->credit = MAX(e->credit - burn, SCHED_CREDIT_MIN);
	e->runtime_ns += MIN(ran_ns, UINT64_MAX - e->runtime_ns);
	e->accounted_ns = now_ns;
	sched_cap_charge(e, ran_ns, now_ns);
	if (e->runnable) {
		/* Credit only fell: the entity moves towards the tail. */
		sched_list_remove(rq, e);
		sched_list_insert(rq, e);
	}
}

void sched_yield_once(struct sched_runqueue *rq, struct sched_entity *e)
{
	ASSERT(e->runnable && e->rq == rq);
	rq->yielding = e;
}

void sched_entity_set_params(struct sched_runqueue *rq, struct sched_entity *e,
			     unsigned weight, unsigned cap_percent)
{
	unsigned cap = sched_clamp_cap(cap_percent);

	ASSERT(!e->runnable || e->rq == rq);
	e->weight = sched_clamp_weight(weight);
	if (cap != e->cap_percent) {
		e->cap_percent = cap;
		e->refill_ns = 0;
		e->budget_ns = sched_cap_quota(e);
	}
}

/* ---- Picking ---- */

/*
 * Everyone on @rq gets enough SCHED_CREDIT_INIT steps to lift @best (the
 * best eligible credit, <= 0) above 0. The same amount for all keeps the
 * order, and so does the clip; entities off the queue catch up later.
 */
static void sched_reset(struct sched_runqueue *rq, int64_t best)
{
	int64_t add = (-best / SCHED_CREDIT_INIT + 1) * SCHED_CREDIT_INIT;

	for (struct sched_link *l = rq->entities.next; l != &rq->entities;
	     l = l->next) {
		struct sched_entity *e = sched_entry(l);

		e->credit = MIN(e->credit + add, SCHED_CREDIT_MAX);
		e->reset_gen = rq->reset_gen + 1;
	}
	rq->reset_gen++;
}

/*
 * Refill budgets up to @now; return the time until the earliest throttled
 * entity refills, or UINT64_MAX if none is throttled.
 */
static uint64_t sched_refill_all(struct sched_runqueue *rq, uint64_t now)
{
	uint64_t earliest = UINT64_MAX;

	for (struct sched_link *l = rq->entities.next; l != &rq->entities;
	     l = l->next) {
		struct sched_entity *e = sched_entry(l);

		sched_cap_refill(e, now);
		if (!sched_eligible(e))
			earliest = MIN(earliest, e->refill_ns - now);
	}
	return earliest;
}

/* Eligible entity with the most credit; @current wins a tie. */
static struct sched_entity *sched_best(struct sched_runqueue *rq,
				       struct sched_entity *current)
{
	struct sched_entity *best = sched_first_eligible(rq, NULL);

	if (best && current && current->runnable && current->rq == rq &&
	    sched_eligible(current) && current->credit == best->credit)
		return current;
	return best;
}

/*
 * How long @e may run: until its credit falls to the next eligible
 * entity's (or to 0, if that one has none), its budget runs out or a
 * throttled entity refills (@refill_in), within the slice bounds. Alone,
 * it runs the longest slice: nobody to be fair to.
 */
static uint64_t sched_slice(struct sched_runqueue *rq, struct sched_entity *e,
			    uint64_t refill_in)
{
	struct sched_entity *next = sched_first_eligible(rq, e);
	uint64_t time = SCHED_SLICE_MAX_NS;

	if (next) {
		int64_t lead = e->credit - MAX(next->credit, 0);

		time = lead > 0 ? sched_credit_to_time(lead, e) : 0;
	}
	if (sched_capped(e))
		time = MIN(time, (uint64_t)e->budget_ns);
	time = MIN(time, refill_in);
	return MIN(MAX(time, SCHED_SLICE_MIN_NS), SCHED_SLICE_MAX_NS);
}

struct sched_entity *sched_pick(struct sched_runqueue *rq,
				struct sched_entity *current, uint64_t now_ns,
				uint64_t *slice_ns)
{
	uint64_t refill_in = sched_refill_all(rq, now_ns);
	struct sched_entity *yielding = rq->yielding;
	struct sched_entity *e = sched_best(rq, current);

	rq->yielding = NULL;
	if (!e) {
		*slice_ns = refill_in == UINT64_MAX ? 0 : refill_in;
		return NULL;
	}
	if (e->credit <= 0)
		sched_reset(rq, e->credit);
	if (e == yielding && sched_first_eligible(rq, e))
		e = sched_first_eligible(rq, e);
	*slice_ns = sched_slice(rq, e, refill_in);
	e->accounted_ns = now_ns;
	return e;
}

bool sched_wake_preempts(const struct sched_runqueue *rq,
			 const struct sched_entity *woken,
			 const struct sched_entity *current, uint64_t now_ns)
{
	int64_t credit_now;

	if (!woken->runnable || woken == current || !sched_eligible(woken))
		return false;
	if (!current || !current->runnable)
		return true;
	credit_now = current->credit;
	if (now_ns > current->accounted_ns)
		credit_now -= sched_time_to_credit(
		    now_ns - current->accounted_ns, current);
	return woken->credit > credit_now;
}

/* ---- Checking and dumping ---- */

static bool sched_check_entity(const struct sched_runqueue *rq,
			       const struct sched_entity *e,
			       const struct sched_link *l)
{
	if (l->next->prev != l || l->prev->next != l)
		pr_err("sched: rq %p: broken links at %p\n", rq, e);
	else if (!e->runnable || e->rq != rq || e->reset_gen != rq->reset_gen)
		pr_err("sched: rq %p: %p queued but not marked so\n", rq, e);
	else if (e->credit < SCHED_CREDIT_MIN || e->credit > SCHED_CREDIT_MAX)
		pr_err("sched: rq %p: %p credit %lld out of range\n", rq, e,
		       (long long)e->credit);
	else if (e->weight < SCHED_WEIGHT_MIN || e->weight > SCHED_WEIGHT_MAX ||
		 e->cap_percent > SCHED_CAP_MAX)
		pr_err("sched: rq %p: %p bad params\n", rq, e);
	else
		return true;
	return false;
}

bool sched_rq_check(const struct sched_runqueue *rq)
{
	const struct sched_link *l = rq->entities.next;
	uint32_t seen = 0;
	int64_t prev_credit = INT64_MAX;

	for (; l != &rq->entities && seen <= rq->count; l = l->next, seen++) {
		const struct sched_entity *e = sched_entry(l);

		if (!sched_check_entity(rq, e, l))
			return false;
		if (e->credit > prev_credit) {
			pr_err("sched: rq %p: %p out of order\n", rq, e);
			return false;
		}
		prev_credit = e->credit;
	}
	if (seen != rq->count || l != &rq->entities) {
		pr_err("sched: rq %p: count %u, %u listed\n", rq, rq->count,
		       seen);
		return false;
	}
	if (rq->yielding &&
	    (!rq->yielding->runnable || rq->yielding->rq != rq)) {
		pr_err("sched: rq %p: yielder not queued\n", rq);
		return false;
	}
	return true;
}

void sched_dump(const struct sched_runqueue *rq, sched_dump_fn fn, void *arg)
{
	unsigned pos = 0;
	char line[160];

	for (const struct sched_link *l = rq->entities.next; l != &rq->entities;
	     l = l->next, pos++) {
		const struct sched_entity *e = sched_entry(l);

		snprintf(line, sizeof(line),
			 "#%u weight=%u cap=%u%% credit=%lld budget=%lld "
			 "runtime=%llu%s%s",
			 pos, e->weight, e->cap_percent, (long long)e->credit,
			 sched_capped(e) ? (long long)e->budget_ns : 0LL,
			 (unsigned long long)e->runtime_ns,
			 sched_eligible(e) ? "" : " throttled",
			 rq->yielding == e ? " yielding" : "");
		fn(arg, e, line);
	}
}
