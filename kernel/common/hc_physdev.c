// SPDX-License-Identifier: GPL-2.0-only
/*
 * Physical interrupts delivered as event channels, and the physdev_op
 * hypercall (xen/physdev.h).
 *
 * A domain holding a GSI (atoll/resource.h) binds it to a port with
 * EVTCHNOP_bind_pirq; evtchn.c then calls physdev_pirq_bind(), which routes
 * the line to a vector of this CPU and records the port here. When the line
 * fires, the arch masks it if it is level-triggered, calls
 * physdev_irq_fired() and EOIs the local APIC; the port is raised in the
 * holder, waking it. A level-triggered line stays masked until the holder
 * has quietened the device and says PHYSDEVOP_eoi. Closing the port (or the
 * domain dying, which closes it) masks the line and frees the vector.
 *
 * Lock order: a domain's event-channel lock, then pirq_lock. The interrupt
 * path takes pirq_lock alone and drops it before it raises the port, which
 * takes the event-channel lock (evtchn_send_pirq checks the binding again).
 */
#include <atoll/evtchn.h>
#include <atoll/guest.h>
#include <atoll/resource.h>
#include <atoll/sched.h>
#include <atoll/spinlock.h>
#include <xen/errno.h>
#include <xen/physdev.h>

/* The port a GSI is bound to; guarded by pirq_lock. */
struct pirq_binding {
	struct domain *d; /* NULL: not bound */
	uint16_t port;
	bool level; /* level-triggered: masked when it fires, until EOI */
};

static struct spinlock pirq_lock = SPINLOCK_INIT;
static struct pirq_binding pirqs[RESOURCE_IRQ_LIMIT];

int physdev_pirq_bind(struct domain *d, uint32_t gsi, uint16_t port)
{
	irqflags_t f = spin_lock_irqsave(&pirq_lock);
	struct pirq_binding *b = &pirqs[gsi];
	bool level;
	int rc = b->d ? -XEN_EEXIST : arch_irq_bind(gsi, &level);

	if (!rc)
		*b = (struct pirq_binding){d, port, level};
	spin_unlock_irqrestore(&pirq_lock, f);
	return rc;
}

void physdev_pirq_unbind(uint32_t gsi)
{
	irqflags_t f = spin_lock_irqsave(&pirq_lock);

	if (pirqs[gsi].d) {
		arch_irq_unbind(gsi);
		pirqs[gsi] = (struct pirq_binding){0};
	}
	spin_unlock_irqrestore(&pirq_lock, f);
}

void physdev_irq_fired(uint32_t gsi)
{
	irqflags_t f = spin_lock_irqsave(&pirq_lock);
	struct pirq_binding b = pirqs[gsi];

	spin_unlock_irqrestore(&pirq_lock, f);
	if (b.d)
		evtchn_send_pirq(b.d, b.port, gsi);
}

/* Unmasks gsi if it is a level-triggered line bound by d. */
static void physdev_pirq_eoi(struct domain *d, uint32_t gsi)
{
	irqflags_t f = spin_lock_irqsave(&pirq_lock);

	if (pirqs[gsi].d == d && pirqs[gsi].level)
		arch_irq_unmask(gsi);
	spin_unlock_irqrestore(&pirq_lock, f);
}

/* True if gsi is level-triggered and bound by d. */
static bool physdev_pirq_needs_eoi(struct domain *d, uint32_t gsi)
{
	irqflags_t f = spin_lock_irqsave(&pirq_lock);
	bool needs = pirqs[gsi].d == d && pirqs[gsi].level;

	spin_unlock_irqrestore(&pirq_lock, f);
	return needs;
}

/* Only the holder may act on an IRQ; like Xen, anything else is EINVAL. */
static bool physdev_holds(struct domain *d, uint32_t irq)
{
	return irq < RESOURCE_IRQ_LIMIT &&
	       resource_holds(d, RESOURCE_IRQ, irq, 1);
}

static long physdev_eoi(struct domain *cd, uint64_t arg)
{
	struct physdev_eoi op;

	if (copy_from_guest(cd, &op, arg, sizeof(op)))
		return -XEN_EFAULT;
	if (!physdev_holds(cd, op.irq))
		return -XEN_EINVAL;
	physdev_pirq_eoi(cd, op.irq);
	return 0;
}

static long physdev_irq_status_query(struct domain *cd, uint64_t arg)
{
	struct physdev_irq_status_query op;

	if (copy_from_guest(cd, &op, arg, sizeof(op)))
		return -XEN_EFAULT;
	if (!physdev_holds(cd, op.irq))
		return -XEN_EINVAL;
	op.flags =
	    physdev_pirq_needs_eoi(cd, op.irq) ? XENIRQSTAT_needs_eoi : 0;
	return copy_to_guest(cd, arg, &op, sizeof(op)) ? -XEN_EFAULT : 0;
}

long do_physdev_op(unsigned cmd, uint64_t arg)
{
	struct domain *cd = current_domain();

	switch (cmd) {
	case PHYSDEVOP_eoi:
		return physdev_eoi(cd, arg);
	case PHYSDEVOP_irq_status_query:
		return physdev_irq_status_query(cd, arg);
	default:
		return -XEN_ENOSYS;
	}
}
