// SPDX-License-Identifier: GPL-2.0-only
/*
 * Scheduling mechanism. A vCPU is on its CPU's run queue exactly when it is
 * VCPU_RUNNABLE and not paused; the running vCPU stays queued. Switching
 * abandons the kernel stack (see atoll/cpu.h), so schedule() never returns.
 */
#include <atoll/arch.h>
#include <atoll/cpu.h>
#include <atoll/evtchn.h>
#include <atoll/printk.h>
#include <atoll/sched.h>
#include <atoll/vcpu_arch.h>
#include <xen/errno.h>
#include <xen/xen.h>

static struct cpu *cpu_of(struct vcpu *v);

struct vcpu *current_vcpu(void)
{
	return this_cpu()->current;
}

struct domain *current_domain(void)
{
	struct vcpu *v = current_vcpu();

	return v ? v->domain : NULL;
}

static void slice_expired(struct timer *t)
{
	((struct cpu *)t->data)->need_resched = true;
}

void sched_init_cpu(struct cpu *cpu, unsigned id)
{
	cpu->id = id;
	cpu->rq_lock = (struct spinlock)SPINLOCK_INIT;
	sched_rq_init(&cpu->rq);
	timer_init(&cpu->slice_timer, slice_expired, cpu);
}

/* Queues or unqueues v to match its state; rq_lock held. */
static void update_queue(struct cpu *cpu, struct vcpu *v)
{
	bool want = v->state == VCPU_RUNNABLE && !v->paused;

	if (want && !v->sched.runnable) {
		sched_enqueue(&cpu->rq, &v->sched, arch_now_ns());
		if (!cpu->current ||
		    sched_wake_preempts(&cpu->rq, &v->sched,
					&cpu->current->sched, arch_now_ns()))
			cpu->need_resched = true;
	} else if (!want && v->sched.runnable) {
		sched_dequeue(&cpu->rq, &v->sched);
		if (cpu->current == v)
			cpu->need_resched = true;
	}
}

/* Runs fn(v) with v's run-queue lock held, then requeues v. */
static void with_rq(struct vcpu *v, void (*fn)(struct vcpu *v))
{
	struct cpu *cpu = cpu_of(v);
	irqflags_t f = spin_lock_irqsave(&cpu->rq_lock);

	fn(v);
	update_queue(cpu, v);
	spin_unlock_irqrestore(&cpu->rq_lock, f);
}

static struct cpu *cpu_of(struct vcpu *v)
{
	return this_cpu(); /* one CPU runs domains for now */
}

static void set_runnable(struct vcpu *v)
{
	v->state = VCPU_RUNNABLE;
}

static void set_down(struct vcpu *v)
{
	v->state = VCPU_DOWN;
}

static void set_paused(struct vcpu *v)
{
	v->paused = true;
}

static void clear_paused(struct vcpu *v)
{
	v->paused = false;
}

static void wake_if_blocked(struct vcpu *v)
{
	if (v->state == VCPU_BLOCKED)
		v->state = VCPU_RUNNABLE;
	v->poll_count = 0;
}

void sched_vcpu_start(struct vcpu *v)
{
	with_rq(v, set_runnable);
}

void sched_vcpu_kill(struct vcpu *v)
{
	struct cpu *cpu = cpu_of(v);

	with_rq(v, set_down);
	timer_cancel(&v->singleshot);
	timer_cancel(&v->poll_timer);
	/* It may be the vCPU whose hypercall got us here: forget it, so the
	 * exit path neither saves into nor charges a freed vCPU. */
	if (cpu->current == v) {
		cpu->current = NULL;
		cpu->need_resched = true;
	}
}

void sched_vcpu_pause(struct vcpu *v)
{
	with_rq(v, set_paused);
}

void sched_vcpu_unpause(struct vcpu *v)
{
	with_rq(v, clear_paused);
}

void sched_wake(struct vcpu *v)
{
	with_rq(v, wake_if_blocked);
}

void sched_block_current(void)
{
	struct vcpu *v = current_vcpu();
	struct cpu *cpu = this_cpu();
	irqflags_t f = spin_lock_irqsave(&cpu->rq_lock);

	/* An event that is already pending means: don't sleep. */
	if (!evtchn_vcpu_has_pending(v)) {
		v->state = VCPU_BLOCKED;
		update_queue(cpu, v);
	}
	spin_unlock_irqrestore(&cpu->rq_lock, f);
}

void sched_yield_current(void)
{
	struct cpu *cpu = this_cpu();
	irqflags_t f = spin_lock_irqsave(&cpu->rq_lock);

	sched_yield_once(&cpu->rq, &cpu->current->sched);
	cpu->need_resched = true;
	spin_unlock_irqrestore(&cpu->rq_lock, f);
}

int sched_domain_set_params(struct domain *d, unsigned weight, unsigned cap)
{
	if (weight < SCHED_WEIGHT_MIN || weight > SCHED_WEIGHT_MAX ||
	    cap > SCHED_CAP_MAX)
		return -XEN_EINVAL;
	for (unsigned i = 0; i < d->vcpu_count; i++) {
		struct cpu *cpu = cpu_of(d->vcpus[i]);
		irqflags_t f = spin_lock_irqsave(&cpu->rq_lock);

		sched_entity_set_params(&cpu->rq, &d->vcpus[i]->sched, weight,
					cap);
		spin_unlock_irqrestore(&cpu->rq_lock, f);
	}
	d->weight = weight;
	d->cap = cap;
	return 0;
}

/* Charges the running vCPU and picks the next; rq_lock held. */
static struct vcpu *pick_next(struct cpu *cpu, uint64_t now, uint64_t *slice)
{
	struct vcpu *cur = cpu->current;
	struct sched_entity *e;

	if (cur) {
		sched_charge(&cpu->rq, &cur->sched, now - cpu->slice_start_ns,
			     now);
		cur->runtime_ns += now - cpu->slice_start_ns;
	}
	e = sched_pick(&cpu->rq,
		       cur && cur->sched.runnable ? &cur->sched : NULL, now,
		       slice);
	cpu->need_resched = false;
	return e ? container_of(e, struct vcpu, sched) : NULL;
}

static __noreturn void run_vcpu(struct cpu *cpu, struct vcpu *next,
				uint64_t now, uint64_t slice)
{
	if (next != cpu->current) {
		cpu->switches++;
		arch_vcpu_switch_to(next);
	}
	cpu->current = next;
	cpu->slice_start_ns = now;
	/* The TSC-to-ns conversion never changes, so a vCPU's time info is
	 * published once, when it first runs. */
	if (!next->domain->shared->vcpu_info[next->id].time.version)
		arch_time_fill(&next->domain->shared->vcpu_info[next->id].time);
	timer_set(&cpu->slice_timer, now + slice);
	arch_deliver_upcall(next, &next->regs);
	arch_enter_guest(&next->regs);
}

static __noreturn void schedule(void)
{
	struct cpu *cpu = this_cpu();

	for (;;) {
		uint64_t now = arch_now_ns(), slice;
		irqflags_t f = spin_lock_irqsave(&cpu->rq_lock);
		struct vcpu *next = pick_next(cpu, now, &slice);

		spin_unlock_irqrestore(&cpu->rq_lock, f);
		if (next)
			run_vcpu(cpu, next, now, slice);
		cpu->current = NULL;
		if (slice)
			timer_set(&cpu->slice_timer, now + slice);
		else
			timer_cancel(&cpu->slice_timer);
		/* Idle until an interrupt makes something runnable. */
		while (!cpu->need_resched)
			arch_wait_for_interrupt_then_disable();
		cpu->idle_ns += arch_now_ns() - now;
		cpu->slice_start_ns = arch_now_ns();
	}
}

void sched_exit_to_guest(struct cpu_regs *frame)
{
	struct cpu *cpu = this_cpu();
	struct vcpu *v = cpu->current;

	if (v && v->sched.runnable && !cpu->need_resched) {
		arch_deliver_upcall(v, frame);
		return;
	}
	if (v)
		arch_vcpu_save(v, frame);
	schedule();
}

void sched_start(void)
{
	this_cpu()->slice_start_ns = arch_now_ns();
	schedule();
}

static void dump_entity(void *arg, const struct sched_entity *e,
			const char *line)
{
	const struct vcpu *v = container_of(e, struct vcpu, sched);

	pr_info("  d%u v%u '%s': %s\n", v->domain->id, v->id, v->domain->name,
		line);
}

void sched_debug_dump(void)
{
	struct cpu *cpu = this_cpu();
	irqflags_t f = spin_lock_irqsave(&cpu->rq_lock);

	pr_info("run queue of CPU %u: %u runnable, current %s, %llu switches, "
		"idle %llu ms\n",
		cpu->id, cpu->rq.count,
		cpu->current ? cpu->current->domain->name : "(idle)",
		(unsigned long long)cpu->switches,
		(unsigned long long)(cpu->idle_ns / 1000000));
	sched_dump(&cpu->rq, dump_entity, NULL);
	spin_unlock_irqrestore(&cpu->rq_lock, f);
}
