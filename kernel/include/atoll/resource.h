/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Hardware resources a domain holds: I/O port ranges, MMIO ranges (by
 * page frame number) and interrupts (GSIs). A port, frame or GSI is held by at
 * most one domain at a time; the core keeps its own devices and never hands
 * them out. docs/devices.md describes the model.
 *
 * Each held range remembers the chain of domains it was delegated through
 * (empty for a boot grant from the manifest), so that any domain up the
 * chain may take it back, and a dying domain's ranges return to the
 * nearest live domain up the chain (or to the core's pool).
 *
 * Locking: one global resource lock guards every domain's resource_set.
 * It is taken before an event-channel table lock and before the pirq lock
 * (hc_physdev.c), never after; it is never held across domain_get().
 */
#ifndef ATOLL_RESOURCE_H
#define ATOLL_RESOURCE_H

#include <atoll/types.h>
#include <atoll/compiler.h>
#include <arch/cpu.h>
#include <xen/xen.h>

enum resource_kind {
	RESOURCE_IOPORT, /* x86 I/O ports, 0 .. 0xffff */
	RESOURCE_IRQ,	 /* interrupts by GSI, 0 .. RESOURCE_IRQ_LIMIT - 1 */
	RESOURCE_MMIO,	 /* MMIO by frame number (physical address >> 12) */
	RESOURCE_KINDS,
};

#define RESOURCE_IOPORT_LIMIT 0x10000
#define RESOURCE_IRQ_LIMIT    1024	   /* as the manifest's `irqs` */
#define RESOURCE_MMIO_LIMIT   (1ULL << 32) /* frames: below 16 TiB */
#define RESOURCE_MAX_RANGES   16	   /* per kind and domain */
#define RESOURCE_CHAIN_MAX    4 /* delegation depth from a boot grant */

/* The domains a range was delegated through, first giver first. */
struct resource_chain {
	domid_t giver[RESOURCE_CHAIN_MAX];
	uint8_t depth;
};

struct resource_range {
	uint32_t base, count; /* count >= 1; an IRQ range is one GSI */
	struct resource_chain from;
};

struct resource_list {
	struct resource_range range[RESOURCE_MAX_RANGES]; /* sorted by base */
	unsigned count;
};

/* MMIO a domain has mapped in its MMIO window (hc_mmio.c). */
#define RESOURCE_MMIO_MAPS 16

struct resource_mmio_map {
	uint64_t va;	     /* in the MMIO window; 0 = free slot */
	uint32_t pfn, count; /* frames mapped there */
};

/* Part of struct domain; guarded by the resource lock. */
struct resource_set {
	struct resource_list list[RESOURCE_KINDS];
	struct resource_mmio_map maps[RESOURCE_MMIO_MAPS];
};

/* ---- Pure list operations (no locks; host-tested) -------------------- */

/* Index of the range of l that contains all of [base, base + count), or
 * -1 if none does. */
int resource_list_find(const struct resource_list *l, uint32_t base,
		       uint32_t count);
/* True if any range of l shares a port/GSI with [base, base + count). */
bool resource_list_overlaps(const struct resource_list *l, uint32_t base,
			    uint32_t count);
/* Adds [base, base + count) with chain from, merging with neighbours of the
 * same chain. The range must not overlap l. 0, or -XEN_ENOSPC (l unchanged)
 * if l is full. */
int resource_list_add(struct resource_list *l, uint32_t base, uint32_t count,
		      const struct resource_chain *from) __must_check;
/* Cuts [base, base + count) out of range idx, which contains it. 0, or
 * -XEN_ENOSPC (l unchanged) if the cut splits a range and l is full. */
int resource_list_cut(struct resource_list *l, unsigned idx, uint32_t base,
		      uint32_t count) __must_check;

/* ---- What the core keeps --------------------------------------------- */

/* The arch registers each device it drives at boot; name is for messages. */
void resource_core_keep(enum resource_kind kind, uint32_t base, uint32_t count,
			const char *name);
/* The name of a kept device overlapping [base, base + count), or NULL. */
const char *resource_core_kept(enum resource_kind kind, uint32_t base,
			       uint32_t count);
/* True if [base, base + count) is a valid range of kind (in the space). */
bool resource_range_valid(enum resource_kind kind, uint32_t base,
			  uint32_t count);

/* ---- Domains' resources ---------------------------------------------- */

struct domain;

/*
 * Boot grant (the manifest): gives d the range. 0, or -XEN_EINVAL (out of
 * range), -XEN_EPERM (the core keeps part of it), -XEN_EBUSY (a domain
 * holds part of it), -XEN_ENOSPC (d's table is full).
 */
int resource_grant(struct domain *d, enum resource_kind kind, uint32_t base,
		   uint32_t count) __must_check;
/* True if d holds every port/GSI of [base, base + count). */
bool resource_holds(struct domain *d, enum resource_kind kind, uint32_t base,
		    uint32_t count);
/*
 * Moves a range caller holds to target, recording caller as its giver.
 * 0, or -XEN_EINVAL (bad range), -XEN_EPERM (caller does not hold all of
 * it), -XEN_ENOSPC (no room, or delegated RESOURCE_CHAIN_MAX times).
 */
int resource_give(struct domain *caller, struct domain *target,
		  enum resource_kind kind, uint32_t base,
		  uint32_t count) __must_check;
/*
 * Takes a range back from target, which must hold all of it through a
 * chain that has caller in it. 0, or -XEN_EINVAL, -XEN_EPERM, -XEN_ENOSPC.
 */
int resource_take_back(struct domain *caller, struct domain *target,
		       enum resource_kind kind, uint32_t base,
		       uint32_t count) __must_check;
/* d is being destroyed (its event channels are closed): everything it holds
 * goes back up its chain; no one may take back through d any more. */
void resource_domain_destroy(struct domain *d);

/* ---- MMIO mappings (hc_mmio.c) --------------------------------------- */

/* d no longer holds frames [pfn, pfn + count) (resource lock not held):
 * every mapping of d that touches them is removed. */
void mmio_revoke(struct domain *d, uint32_t pfn, uint32_t count);
long do_atoll_mmio(unsigned cmd, uint64_t arg);

/* Locking for the arch's I/O bitmap code, which reads resource sets. */
irqflags_t resource_lock(void);
void resource_unlock(irqflags_t f);

/* ---- What this asks of the arch -------------------------------------- */

/* d's I/O ports changed (resource lock held): if this CPU's I/O bitmap
 * holds d's ports, it is reloaded (emptied if d holds none). */
void arch_ioports_changed(struct domain *d);

/* Physical interrupts (kernel/arch/x86/pirq.c). */
bool arch_irq_exists(uint32_t gsi);
/* Routes gsi to a vector of this CPU, unmasked; *level says whether it is
 * level-triggered. 0, or -XEN_ENOSPC if no vector is free. */
int arch_irq_bind(uint32_t gsi, bool *level) __must_check;
/* Masks gsi and frees its vector. */
void arch_irq_unbind(uint32_t gsi);
/* Unmasks a level-triggered gsi masked when it fired. */
void arch_irq_unmask(uint32_t gsi);

/* ---- Physical IRQs as event channels (hc_physdev.c) ------------------ */

/* Routes gsi to d's port; d's event-channel lock held. 0, or -XEN_EEXIST
 * (gsi is bound), -XEN_ENOSPC (no vector). */
int physdev_pirq_bind(struct domain *d, uint32_t gsi,
		      uint16_t port) __must_check;
/* Masks gsi and forgets its port; d's event-channel lock held. */
void physdev_pirq_unbind(uint32_t gsi);
/* Called by the arch, interrupts off, when gsi fires. */
void physdev_irq_fired(uint32_t gsi);
long do_physdev_op(unsigned cmd, uint64_t arg);

#endif
