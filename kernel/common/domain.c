// SPDX-License-Identifier: GPL-2.0-only
/*
 * Domain life cycle: build from an ELF image, pause, shut down, crash,
 * destroy. Building follows decode-then-invoke: everything is checked and
 * every resource reserved first; a failure part-way releases what was taken
 * and leaves nothing behind.
 */
#include <arch/iommu.h>
#include <arch/mm.h>
#include <atoll/arch.h>
#include <atoll/core.h>
#include <atoll/domain.h>
#include <atoll/domain_build.h>
#include <atoll/evtchn.h>
#include <atoll/frame.h>
#include <atoll/gnttab.h>
#include <atoll/printk.h>
#include <atoll/resource.h>
#include <atoll/sched.h>
#include <atoll/string.h>
#include <atoll/layout.h>
#include <xen/errno.h>
#include <xen/sched.h>
#include <xen/xen.h>

static struct spinlock domain_table_lock = SPINLOCK_INIT;
static struct domain *domain_table[DOMAIN_MAX + 1]; /* by id; guarded */

struct domain *domain_get(domid_t id)
{
	struct domain *d = NULL;
	irqflags_t f = spin_lock_irqsave(&domain_table_lock);

	if (id >= DOMID_FIRST && id <= DOMAIN_MAX)
		d = domain_table[id];
	spin_unlock_irqrestore(&domain_table_lock, f);
	return d;
}

struct domain *domain_by_name(const char *name)
{
	struct domain *found = NULL;
	irqflags_t f = spin_lock_irqsave(&domain_table_lock);

	for (unsigned i = DOMID_FIRST; i <= DOMAIN_MAX && !found; i++) {
		if (domain_table[i] && !strcmp(domain_table[i]->name, name))
			found = domain_table[i];
	}
	spin_unlock_irqrestore(&domain_table_lock, f);
	return found;
}

void domain_for_each(void (*fn)(struct domain *d, void *ctx), void *ctx)
{
	for (unsigned i = DOMID_FIRST; i <= DOMAIN_MAX; i++) {
		struct domain *d = domain_get(i);

		if (d)
			fn(d, ctx);
	}
}

/* A slot being built: taken, but domain_get() does not return it. */
static bool reserved_ids[DOMAIN_MAX + 1]; /* guarded by domain_table_lock */

/*
 * Takes the next free id after the last one given, wrapping (as Xen does),
 * so that a destroyed domain's id is not handed out again at once: the
 * XenStore and the toolstack see a new domain, not the old one back.
 * 0 if all are in use.
 */
static domid_t domain_id_reserve(void)
{
	static unsigned last = DOMID_FIRST - 1;
	irqflags_t f = spin_lock_irqsave(&domain_table_lock);
	domid_t id = 0;

	for (unsigned n = 0; n < DOMAIN_MAX && !id; n++) {
		unsigned i = (last + n) % DOMAIN_MAX + DOMID_FIRST;

		if (!domain_table[i] && !reserved_ids[i]) {
			reserved_ids[i] = true;
			id = i;
			last = i;
		}
	}
	spin_unlock_irqrestore(&domain_table_lock, f);
	return id;
}

/* Publishes d in its reserved slot, or (d NULL) frees the slot. */
static void domain_id_settle(domid_t id, struct domain *d)
{
	irqflags_t f = spin_lock_irqsave(&domain_table_lock);

	reserved_ids[id] = false;
	domain_table[id] = d;
	spin_unlock_irqrestore(&domain_table_lock, f);
}

static void domain_table_remove(struct domain *d)
{
	irqflags_t f = spin_lock_irqsave(&domain_table_lock);

	if (domain_table[d->id] == d)
		domain_table[d->id] = NULL;
	spin_unlock_irqrestore(&domain_table_lock, f);
}

int domain_create(const struct domain_config *cfg, struct domain **out)
{
	struct domain *d;
	int err = domain_build_check(cfg);
	domid_t id;

	if (err)
		return err;
	id = domain_id_reserve();
	if (!id)
		return -XEN_ENOSPC;
	err = domain_build(cfg, id, &d);
	domain_id_settle(id, err ? NULL : d);
	if (err)
		return err;
	evtchn_domain_created(d);
	pr_info("d%u: created '%s': %llu KiB, %u vCPU%s\n", d->id, d->name,
		(unsigned long long)(d->tot_pages * 4), d->vcpu_count,
		d->vcpu_count > 1 ? "s" : "");
	*out = d;
	return 0;
}

/* The XenStore domain hears of new domains through VIRQ_DOM_EXC too. */
void domain_start(struct domain *d)
{
	for (unsigned i = 0; i < d->vcpu_count; i++)
		sched_vcpu_start(d->vcpus[i]);
	evtchn_send_virq_global(VIRQ_DOM_EXC);
}

void domain_pause(struct domain *d)
{
	irqflags_t f = spin_lock_irqsave(&d->lock);

	if (d->pause_count++ == 0) {
		for (unsigned i = 0; i < d->vcpu_count; i++)
			sched_vcpu_pause(d->vcpus[i]);
	}
	spin_unlock_irqrestore(&d->lock, f);
}

int domain_unpause(struct domain *d)
{
	irqflags_t f = spin_lock_irqsave(&d->lock);
	int err = 0;

	if (!d->pause_count)
		err = -XEN_EINVAL;
	else if (--d->pause_count == 0 && d->state == DOMAIN_RUNNING) {
		for (unsigned i = 0; i < d->vcpu_count; i++)
			sched_vcpu_unpause(d->vcpus[i]);
	}
	spin_unlock_irqrestore(&d->lock, f);
	return err;
}

static const char *shutdown_name(unsigned reason)
{
	static const char *const names[] = {
	    [SHUTDOWN_poweroff] = "poweroff", [SHUTDOWN_reboot] = "reboot",
	    [SHUTDOWN_suspend] = "suspend",   [SHUTDOWN_crash] = "crash",
	    [SHUTDOWN_watchdog] = "watchdog",
	};

	return reason < ARRAY_SIZE(names) && names[reason] ? names[reason]
							   : "unknown";
}

/* Stops every vCPU and tells the domains watching VIRQ_DOM_EXC. */
void domain_shutdown(struct domain *d, unsigned reason)
{
	irqflags_t f = spin_lock_irqsave(&d->lock);

	if (d->state != DOMAIN_RUNNING) {
		spin_unlock_irqrestore(&d->lock, f);
		return;
	}
	d->state = DOMAIN_SHUTDOWN;
	d->shutdown_reason = reason;
	for (unsigned i = 0; i < d->vcpu_count; i++)
		sched_vcpu_pause(d->vcpus[i]);
	spin_unlock_irqrestore(&d->lock, f);
	pr_info("d%u: '%s' shut down: %s\n", d->id, d->name,
		shutdown_name(reason));
	evtchn_send_virq_global(VIRQ_DOM_EXC);
	if (domain_build_autodestroy(d))
		domain_destroy(d);
	core_check_all_done();
}

void domain_crash(struct domain *d, const struct cpu_regs *regs)
{
	pr_err("d%u: '%s' crashed\n", d->id, d->name);
	if (regs)
		arch_dump_guest_regs(d->id, regs);
	domain_shutdown(d, SHUTDOWN_crash);
}

/*
 * Tears the domain down. Its grants that others still map keep their
 * frames pinned; the last unmap frees them (gnttab handles that), so this
 * never waits.
 */
int domain_destroy(struct domain *d)
{
	irqflags_t f = spin_lock_irqsave(&d->lock);

	if (d->state == DOMAIN_DYING) {
		spin_unlock_irqrestore(&d->lock, f);
		return -XEN_EINVAL;
	}
	if (d->state == DOMAIN_RUNNING) {
		for (unsigned i = 0; i < d->vcpu_count; i++)
			sched_vcpu_pause(d->vcpus[i]);
	}
	d->state = DOMAIN_DYING;
	spin_unlock_irqrestore(&d->lock, f);
	for (unsigned i = 0; i < d->vcpu_count; i++)
		sched_vcpu_kill(d->vcpus[i]);
	/* Its devices stop reaching its memory before any of it is freed. */
	arch_iommu_domain_destroy(d);
	evtchn_domain_destroy(d);
	/* After the ports: its IRQ lines are masked by then. */
	resource_domain_destroy(d);
	gnttab_domain_destroy(d);
	domain_table_remove(d);
	pr_info("d%u: '%s' destroyed\n", d->id, d->name);
	domain_build_release(d);
	evtchn_send_virq_global(VIRQ_DOM_EXC);
	core_check_all_done();
	return 0;
}
