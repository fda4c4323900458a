/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Generic per-CPU state. The core runs on one kernel stack per CPU and
 * keeps no kernel context per vCPU: a hypercall or interrupt either returns
 * to the vCPU that made it or abandons the stack and enters another vCPU
 * (or idles), so there is no kernel-side blocking to save.
 */
#ifndef ATOLL_CPU_H
#define ATOLL_CPU_H

#include <atoll/types.h>
#include <atoll/spinlock.h>
#include <atoll/sched_policy.h>
#include <atoll/timer.h>

struct vcpu;

struct cpu {
	unsigned id;
	struct vcpu *current;	  /* only this CPU writes it */
	bool need_resched;	  /* set by wake-ups and timers */
	struct spinlock rq_lock;  /* guards rq */
	struct sched_runqueue rq; /* guarded by rq_lock */
	uint64_t idle_ns;	  /* time spent idle, for 'r' */
	uint64_t slice_start_ns;  /* when current started running */
	struct timer slice_timer; /* ends the current slice */
	uint64_t switches;	  /* context switches, for 'r' */
};

struct cpu *this_cpu(void);

#endif
