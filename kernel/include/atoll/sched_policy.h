/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Scheduler policy: weighted-fair sharing with caps, after Xen's credit2.
 *
 * A pure data structure, like the buddy allocator: it never touches the
 * hardware, never allocates, never reads a clock (time comes in as now_ns on
 * the arch_now_ns() clock) and takes no lock. The mechanism (context switch,
 * vCPU states, timers) owns one struct sched_runqueue per pCPU, embeds one
 * struct sched_entity in each vCPU, and calls every function below with that
 * run queue's lock held. Every field of both structs is guarded by it.
 *
 * Credit. Each entity holds credit in weighted nanoseconds. Running for t ns
 * burns t * SCHED_WEIGHT_DEFAULT / weight, so an entity of the default
 * weight burns at wall-clock rate and one of twice the weight at half that
 * rate. The runnable entity with the most credit runs. When the best
 * eligible credit reaches 0, every entity of the queue gets
 * SCHED_CREDIT_INIT more (a "reset"); credit above SCHED_CREDIT_INIT +
 * SCHED_CREDIT_CARRYOVER is clipped then, so sleeping earns little.
 * Entities that miss resets while blocked catch up when enqueued again.
 *
 * Caps. An entity with cap_percent = c may run c% of each
 * SCHED_CAP_PERIOD_NS period of its own: its budget is refilled to
 * period * c / 100 at each period start; running spends it; at 0 the entity
 * stays queued but is not picked ("throttled") until the next refill.
 * Overrun (a slice is never shorter than SCHED_SLICE_MIN_NS) is a debt
 * carried into the next period, so the long-run share is exact.
 *
 * Intended use by the mechanism, on the pCPU that owns rq:
 *   wake:     sched_enqueue(); if sched_wake_preempts() ask that pCPU
 *             to reschedule.
 *   schedule: sched_charge(current, time it ran since last charged);
 *             if it blocks, sched_dequeue(); then
 *             next = sched_pick(rq, current, now, &slice) and arm the
 *             slice timer for now + slice (no timer if NULL and slice 0).
 *   yield:    sched_charge(); sched_yield_once(); then schedule as above.
 */
#ifndef ATOLL_SCHED_POLICY_H
#define ATOLL_SCHED_POLICY_H

#include <atoll/types.h>
#include <atoll/compiler.h>

#define SCHED_WEIGHT_MIN     1
#define SCHED_WEIGHT_MAX     65535
#define SCHED_WEIGHT_DEFAULT 256 /* burns credit at wall-clock rate */
#define SCHED_CAP_NONE	     0
#define SCHED_CAP_MAX	     100 /* percent of one pCPU */

/* Credit added at each reset, and the longest slice (Xen: 10 ms both). */
#define SCHED_CREDIT_INIT      10000000LL
#define SCHED_SLICE_MAX_NS     10000000ULL
/*
 * Shortest slice: bounds context switches to 1000/s per pCPU when equal
 * entities alternate (Xen's 1 ms ratelimit), yet keeps latency low.
 */
#define SCHED_SLICE_MIN_NS     1000000ULL
/* Credit kept across a reset beyond SCHED_CREDIT_INIT: one short slice. */
#define SCHED_CREDIT_CARRYOVER ((int64_t)SCHED_SLICE_MIN_NS)
#define SCHED_CREDIT_MAX       (SCHED_CREDIT_INIT + SCHED_CREDIT_CARRYOVER)
/*
 * Floor for credit (about 52 days at the default weight), so that no
 * sequence of charges can overflow; resets lift any entity back from it.
 */
#define SCHED_CREDIT_MIN       (-(1LL << 52))
/* Cap accounting period (Xen's budget replenishment period: 10 ms). */
#define SCHED_CAP_PERIOD_NS    10000000ULL
/* Cap debt kept at most (1 s): one runaway charge can't throttle for long. */
#define SCHED_BUDGET_MIN       (-1000000000LL)
/* One charge counts at most this much run time (about 18 minutes). */
#define SCHED_CHARGE_MAX_NS    (1ULL << 40)

/* Run-queue links; a queue's sentinel is a struct sched_link too. */
struct sched_link {
	struct sched_link *next;
	struct sched_link *prev;
};

struct sched_runqueue;

/* One per vCPU. Guarded by the lock of the run queue it is on / last was. */
struct sched_entity {
	struct sched_link link;	   /* in rq->entities while runnable */
	struct sched_runqueue *rq; /* queue last enqueued on, or NULL */
	bool runnable;		   /* on rq->entities */
	uint32_t weight;	   /* SCHED_WEIGHT_MIN..SCHED_WEIGHT_MAX */
	uint32_t cap_percent;	   /* SCHED_CAP_NONE or 1..SCHED_CAP_MAX */
	int64_t credit;		   /* SCHED_CREDIT_MIN..SCHED_CREDIT_MAX */
	uint64_t reset_gen;	   /* rq->reset_gen that credit reflects */
	uint64_t accounted_ns;	   /* picked or last charged at this time */
	int64_t budget_ns;	   /* capped: run time left this period */
	uint64_t refill_ns;	   /* capped: next period start; 0 = unset */
	uint64_t runtime_ns;	   /* stats: total time charged */
};

/* One per pCPU. Guarded by its own lock (held by the mechanism). */
struct sched_runqueue {
	struct sched_link entities;    /* runnable, credit highest first */
	uint32_t count;		       /* entities on the list */
	struct sched_entity *yielding; /* skip once at the next pick */
	uint64_t reset_gen;	       /* resets done so far */
};

void sched_entity_init(struct sched_entity *e, unsigned weight,
		       unsigned cap_percent);
void sched_rq_init(struct sched_runqueue *rq);

/*
 * @e becomes runnable on @rq (created, woken, unpaused or migrated here).
 * It must not be runnable anywhere (ASSERTed). Catches its credit up with
 * the resets it missed and its cap budget with the periods that passed.
 */
void sched_enqueue(struct sched_runqueue *rq, struct sched_entity *e,
		   uint64_t now_ns);

/* @e (runnable on @rq, ASSERTed) blocks, is paused, leaves or dies. */
void sched_dequeue(struct sched_runqueue *rq, struct sched_entity *e);

/*
 * @e ran for @ran_ns up to @now_ns: burn credit and cap budget and count
 * the run time. @e may be runnable on @rq (it is re-sorted) or not queued.
 */
void sched_charge(struct sched_runqueue *rq, struct sched_entity *e,
		  uint64_t ran_ns, uint64_t now_ns);

/*
 * Choose what runs next on @rq and for how long. @current is what ran until
 * now (already charged), or NULL; it keeps the pCPU on a credit tie. Returns
 * the eligible entity with the most credit (but not a yielder, if another
 * is eligible), and in *slice_ns the time until it should be re-picked:
 * until its credit falls to the next eligible one's, its cap budget runs
 * out or a throttled entity's budget refills, within
 * [SCHED_SLICE_MIN_NS, SCHED_SLICE_MAX_NS]. Returns NULL to run idle; then
 * *slice_ns is the time until a throttled entity refills, or 0 for "until
 * an entity is enqueued".
 */
struct sched_entity *sched_pick(struct sched_runqueue *rq,
				struct sched_entity *current, uint64_t now_ns,
				uint64_t *slice_ns);

/*
 * @e (runnable on @rq) is passed over by the next sched_pick() only. (Not
 * "sched_yield": host tests link libc, whose sched_yield() this would hide.)
 */
void sched_yield_once(struct sched_runqueue *rq, struct sched_entity *e);

/*
 * True if @woken, just enqueued on @rq, should preempt @current (NULL: the
 * pCPU is idle) now: it is eligible and has more credit than @current
 * would have if charged up to @now_ns.
 */
bool sched_wake_preempts(const struct sched_runqueue *rq,
			 const struct sched_entity *woken,
			 const struct sched_entity *current, uint64_t now_ns);

/*
 * New weight and cap for @e, which is runnable on @rq or not queued. The
 * hypercall layer validates ranges; out-of-range values are clamped here.
 * Credit is kept; a new cap starts a fresh period. (Named apart from the
 * mechanism's per-domain sched_set_params().)
 */
void sched_entity_set_params(struct sched_runqueue *rq, struct sched_entity *e,
			     unsigned weight, unsigned cap_percent);

/*
 * Full consistency check of @rq: links, count, order by credit, membership
 * flags, bounds. Logs the first problem found and returns false.
 */
bool sched_rq_check(const struct sched_runqueue *rq);

/* Debug console 'r': calls @fn once per runnable entity, in pick order. */
typedef void (*sched_dump_fn)(void *arg, const struct sched_entity *e,
			      const char *line);
void sched_dump(const struct sched_runqueue *rq, sched_dump_fn fn, void *arg);

#endif
