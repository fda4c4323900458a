/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The scheduler's mechanism: vCPU states, run queues, switching. The
 * policy (who runs next, for how long) is sched_policy.c.
 *
 * Callers hold no run-queue lock; these functions take it.
 */
#ifndef ATOLL_SCHED_H
#define ATOLL_SCHED_H

#include <atoll/cpu.h>
#include <atoll/domain.h>

/* The vCPU running on this CPU (NULL while idle) and its domain. */
struct vcpu *current_vcpu(void);
struct domain *current_domain(void);

void sched_init_cpu(struct cpu *cpu, unsigned id);

/* Life cycle: start makes a new vCPU runnable; kill removes it for good. */
void sched_vcpu_start(struct vcpu *v);
void sched_vcpu_kill(struct vcpu *v);
/* Pause/unpause on behalf of the domain (pause count kept by domain.c). */
void sched_vcpu_pause(struct vcpu *v);
void sched_vcpu_unpause(struct vcpu *v);

/* The current vCPU blocks until an event (or its timer) wakes it. Returns
 * at once (no block) if an event is already pending. */
void sched_block_current(void);
/* Makes a blocked vCPU runnable; safe from interrupt context. */
void sched_wake(struct vcpu *v);
void sched_yield_current(void);
int sched_domain_set_params(struct domain *d, unsigned weight,
			    unsigned cap) __must_check;

/*
 * Called on every way back to a guest (end of a hypercall or interrupt
 * from ring 3) with the frame that will be restored: returns if the
 * current vCPU goes on running, else saves it and switches (no return).
 */
void sched_exit_to_guest(struct cpu_regs *frame);

/* Runs the first vCPU (or idles); never returns. */
__noreturn void sched_start(void);

/* Debug key 'r': run queues. */
void sched_debug_dump(void);

#endif
