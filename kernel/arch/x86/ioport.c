// SPDX-License-Identifier: GPL-2.0-only
/*
 * Ring-3 port access through the TSS I/O permission bitmap. Domains run
 * with IOPL 0, so every in/out they execute is checked against this CPU's
 * bitmap; a port whose bit is set raises #GP, which crashes the domain.
 *
 * The bitmap holds the ports of one domain at a time: the one whose vCPU
 * runs here. Switching to another domain closes the ranges the last one had
 * open (a copy is kept, so this never reads a domain that may be gone) and
 * opens the new one's. Domains hold few, small ranges, and switching between
 * two domains without ports touches nothing.
 *
 * With SMP, a change to a domain's ports must also reach the other CPUs
 * running it (an IPI); today one CPU runs domains.
 */
#include <arch/percpu.h>
#include <atoll/domain.h>
#include <atoll/resource.h>
#include <atoll/sched.h>
#include <atoll/string.h>

_Static_assert(IO_OPEN_MAX >= RESOURCE_MAX_RANGES, "every range fits");

/* Sets (deny) or clears (allow) the bits of [base, base + count). */
static void bitmap_set(uint8_t *map, uint32_t base, uint32_t count, bool deny)
{
	uint32_t port = base, end = base + count;

	for (; port < end && (port & 7); port++)
		map[port / 8] = deny ? map[port / 8] | (1u << (port & 7))
				     : map[port / 8] & ~(1u << (port & 7));
	if (end - port >= 8) {
		memset(&map[port / 8], deny ? 0xff : 0, (end - port) / 8);
		port += (end - port) & ~7u;
	}
	for (; port < end; port++)
		map[port / 8] = deny ? map[port / 8] | (1u << (port & 7))
				     : map[port / 8] & ~(1u << (port & 7));
}

static void close_all(struct cpu_desc *c)
{
	for (unsigned i = 0; i < c->io_open_count; i++)
		bitmap_set(c->io_bitmap, c->io_open[i].base,
			   c->io_open[i].count, true);
	c->io_open_count = 0;
	c->io_domain = NULL;
}

/* Opens d's ranges on this CPU; resource lock held. */
static void load(struct cpu_desc *c, struct domain *d)
{
	const struct resource_list *l = &d->res.list[RESOURCE_IOPORT];

	close_all(c);
	for (unsigned i = 0; i < l->count; i++) {
		c->io_open[i] =
		    (struct io_open_range){l->range[i].base, l->range[i].count};
		bitmap_set(c->io_bitmap, l->range[i].base, l->range[i].count,
			   false);
	}
	c->io_open_count = l->count;
	/* A domain without ports is not remembered: nothing to undo. */
	c->io_domain = l->count ? d : NULL;
}

/* The domain running here may have just gained its first ports. */
void arch_ioports_changed(struct domain *d)
{
	struct cpu_desc *c = &this_percpu()->desc;

	if (c->io_domain == d || d == current_domain())
		load(c, d);
}

/* Called when a vCPU of d is about to run on this CPU. */
void arch_ioports_switch(struct domain *d)
{
	struct cpu_desc *c = &this_percpu()->desc;
	irqflags_t f;

	if (c->io_domain == d)
		return;
	/* The common case: neither domain has ports. */
	if (!c->io_domain && !READ_ONCE(d->res.list[RESOURCE_IOPORT].count))
		return;
	f = resource_lock();
	load(c, d);
	resource_unlock(f);
}
