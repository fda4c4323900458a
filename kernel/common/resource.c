// SPDX-License-Identifier: GPL-2.0-only
/*
 * Hardware resource ownership: which domain holds which I/O ports, MMIO
 * frames and interrupts (GSIs), what the core keeps, and how ranges move
 * between domains (boot grants, ATOLL_DOMCTL_*_permission, domain destruction).
 *
 * The list operations at the top are pure and host-tested
 * (tests/unit/test_resource.c). Every change to a domain's set happens on
 * copies first and is committed only when all of it fits (decode, then
 * invoke): a move never leaves a range held twice or by no one.
 */
#include <atoll/domain.h>
#include <atoll/domain_build.h>
#include <atoll/evtchn.h>
#include <atoll/panic.h>
#include <atoll/printk.h>
#include <atoll/resource.h>
#include <atoll/spinlock.h>
#include <atoll/string.h>
#include <xen/errno.h>

/* ---- Ranges and chains ----------------------------------------------- */

static uint64_t range_end(uint32_t base, uint32_t count)
{
	return (uint64_t)base + count;
}

static bool ranges_overlap(uint32_t b1, uint32_t c1, uint32_t b2, uint32_t c2)
{
	return b1 < range_end(b2, c2) && b2 < range_end(b1, c1);
}

static bool chain_eq(const struct resource_chain *a,
		     const struct resource_chain *b)
{
	if (a->depth != b->depth)
		return false;
	for (unsigned i = 0; i < a->depth; i++) {
		if (a->giver[i] != b->giver[i])
			return false;
	}
	return true;
}

/* Position of id in chain c, or -1. */
static int chain_find(const struct resource_chain *c, domid_t id)
{
	for (unsigned i = 0; i < c->depth; i++) {
		if (c->giver[i] == id)
			return (int)i;
	}
	return -1;
}

/* Removes every occurrence of id from c. */
static void chain_strip(struct resource_chain *c, domid_t id)
{
	unsigned out = 0;

	for (unsigned i = 0; i < c->depth; i++) {
		if (c->giver[i] != id)
			c->giver[out++] = c->giver[i];
	}
	for (unsigned i = out; i < c->depth; i++)
		c->giver[i] = 0;
	c->depth = out;
}

/* ---- Pure list operations ------------------------------------------- */

int resource_list_find(const struct resource_list *l, uint32_t base,
		       uint32_t count)
{
	for (unsigned i = 0; i < l->count; i++) {
		const struct resource_range *r = &l->range[i];

		if (base >= r->base &&
		    range_end(base, count) <= range_end(r->base, r->count))
			return (int)i;
	}
	return -1;
}

bool resource_list_overlaps(const struct resource_list *l, uint32_t base,
			    uint32_t count)
{
	for (unsigned i = 0; i < l->count; i++) {
		if (ranges_overlap(base, count, l->range[i].base,
				   l->range[i].count))
			return true;
	}
	return false;
}

static void list_remove_at(struct resource_list *l, unsigned idx)
{
	memmove(&l->range[idx], &l->range[idx + 1],
		(l->count - idx - 1) * sizeof(l->range[0]));
	l->count--;
}

static void list_insert_at(struct resource_list *l, unsigned idx,
			   const struct resource_range *r)
{
	memmove(&l->range[idx + 1], &l->range[idx],
		(l->count - idx) * sizeof(l->range[0]));
	l->range[idx] = *r;
	l->count++;
}

/* True if range a ends where b starts and both came the same way. */
static bool mergeable(const struct resource_range *a,
		      const struct resource_range *b)
{
	return range_end(a->base, a->count) == b->base &&
	       chain_eq(&a->from, &b->from);
}

int resource_list_add(struct resource_list *l, uint32_t base, uint32_t count,
		      const struct resource_chain *from)
{
	struct resource_range r = {base, count, *from};
	unsigned at = 0;

	while (at < l->count && l->range[at].base < base)
		at++;
	/* Merging keeps give-and-take-back from fragmenting the list. */
	if (at > 0 && mergeable(&l->range[at - 1], &r)) {
		l->range[at - 1].count += count;
		if (at < l->count &&
		    mergeable(&l->range[at - 1], &l->range[at])) {
			l->range[at - 1].count += l->range[at].count;
			list_remove_at(l, at);
		}
		return 0;
	}
	if (at < l->count && mergeable(&r, &l->range[at])) {
		l->range[at].base = base;
		l->range[at].count += count;
		return 0;
	}
	if (l->count == RESOURCE_MAX_RANGES)
		return -XEN_ENOSPC;
	list_insert_at(l, at, &r);
	return 0;
}

int resource_list_cut(struct resource_list *l, unsigned idx, uint32_t base,
		      uint32_t count)
{
	struct resource_range *r = &l->range[idx];
	struct resource_range right = *r;
	uint32_t left_count = base - r->base;

	right.base = base + count;
	right.count = (uint32_t)(range_end(r->base, r->count) - right.base);
	if (left_count && right.count) {
		if (l->count == RESOURCE_MAX_RANGES)
			return -XEN_ENOSPC;
		r->count = left_count;
		list_insert_at(l, idx + 1, &right);
	} else if (left_count) {
		r->count = left_count;
	} else if (right.count) {
		*r = right;
	} else {
		list_remove_at(l, idx);
	}
	return 0;
}

/* ---- What the core keeps -------------------------------------------- */

#define CORE_KEPT_MAX 48

struct core_kept {
	enum resource_kind kind;
	uint32_t base, count;
	const char *name;
};

/* Filled at boot, before any domain exists; read-only after. */
static struct core_kept core_kept[CORE_KEPT_MAX];
static unsigned core_kept_count;

void resource_core_keep(enum resource_kind kind, uint32_t base, uint32_t count,
			const char *name)
{
	/* A full table widens its last entry: keeping too much is safe. */
	if (core_kept_count == CORE_KEPT_MAX) {
		struct core_kept *last = &core_kept[CORE_KEPT_MAX - 1];
		uint64_t end = MAX(range_end(last->base, last->count),
				   range_end(base, count));

		ASSERT(last->kind == kind);
		last->base = MIN(last->base, base);
		last->count = (uint32_t)(end - last->base);
		return;
	}
	core_kept[core_kept_count++] =
	    (struct core_kept){kind, base, count, name};
}

const char *resource_core_kept(enum resource_kind kind, uint32_t base,
			       uint32_t count)
{
	for (unsigned i = 0; i < core_kept_count; i++) {
		const struct core_kept *k = &core_kept[i];

		if (k->kind == kind &&
		    ranges_overlap(base, count, k->base, k->count))
			return k->name;
	}
	return NULL;
}

static const uint64_t kind_limit[RESOURCE_KINDS] = {
    [RESOURCE_IOPORT] = RESOURCE_IOPORT_LIMIT,
    [RESOURCE_IRQ] = RESOURCE_IRQ_LIMIT,
    [RESOURCE_MMIO] = RESOURCE_MMIO_LIMIT,
};

static const char *const kind_name[RESOURCE_KINDS] = {
    [RESOURCE_IOPORT] = "ports",
    [RESOURCE_IRQ] = "irq",
    [RESOURCE_MMIO] = "mmio frames",
};

bool resource_range_valid(enum resource_kind kind, uint32_t base,
			  uint32_t count)
{
	uint64_t limit;

	if (kind >= RESOURCE_KINDS || count == 0)
		return false;
	if (kind == RESOURCE_IRQ && count != 1)
		return false;
	limit = kind_limit[kind];
	return range_end(base, count) <= limit;
}

/* ---- Domains' sets -------------------------------------------------- */

static struct spinlock resource_lock_ = SPINLOCK_INIT;

irqflags_t resource_lock(void)
{
	return spin_lock_irqsave(&resource_lock_);
}

void resource_unlock(irqflags_t f)
{
	spin_unlock_irqrestore(&resource_lock_, f);
}

static struct resource_list *list_of(struct domain *d, enum resource_kind k)
{
	return &d->res.list[k];
}

/* Every domain by id, looked up before the resource lock is taken (the
 * domain table's lock comes first). */
static void snapshot(struct domain *all[DOMAIN_MAX + 1])
{
	all[0] = NULL;
	for (unsigned i = DOMID_FIRST; i <= DOMAIN_MAX; i++)
		all[i] = domain_get(i);
}

/* Tells the arch about a change to d's ports; resource lock held. */
static void changed(struct domain *d, enum resource_kind kind)
{
	if (kind == RESOURCE_IOPORT)
		arch_ioports_changed(d);
}

static bool held_by_any(struct domain *const all[], struct domain *d,
			enum resource_kind kind, uint32_t base, uint32_t count)
{
	if (resource_list_overlaps(list_of(d, kind), base, count))
		return true;
	for (unsigned i = DOMID_FIRST; i <= DOMAIN_MAX; i++) {
		if (all[i] &&
		    resource_list_overlaps(list_of(all[i], kind), base, count))
			return true;
	}
	return false;
}

int resource_grant(struct domain *d, enum resource_kind kind, uint32_t base,
		   uint32_t count)
{
	static const struct resource_chain boot = {{0}, 0};
	struct domain *all[DOMAIN_MAX + 1];
	irqflags_t f;
	int rc;

	if (!resource_range_valid(kind, base, count))
		return -XEN_EINVAL;
	if (resource_core_kept(kind, base, count))
		return -XEN_EPERM;
	snapshot(all);
	f = resource_lock();
	if (held_by_any(all, d, kind, base, count))
		rc = -XEN_EBUSY;
	else
		rc = resource_list_add(list_of(d, kind), base, count, &boot);
	if (!rc)
		changed(d, kind);
	resource_unlock(f);
	return rc;
}

bool resource_holds(struct domain *d, enum resource_kind kind, uint32_t base,
		    uint32_t count)
{
	irqflags_t f;
	bool held;

	if (!resource_range_valid(kind, base, count))
		return false;
	f = resource_lock();
	held = resource_list_find(list_of(d, kind), base, count) >= 0;
	resource_unlock(f);
	return held;
}

/*
 * Moves [base, base + count) out of range idx of *from into *to with chain
 * c. Works on copies and commits only if both steps fit.
 */
static int move_range(struct resource_list *from, unsigned idx,
		      struct resource_list *to, uint32_t base, uint32_t count,
		      const struct resource_chain *c)
{
	struct resource_list f = *from, t = *to;
	int rc = resource_list_cut(&f, idx, base, count);

	if (!rc)
		rc = resource_list_add(&t, base, count, c);
	if (!rc) {
		*from = f;
		*to = t;
	}
	return rc;
}

/* An IRQ that changed hands must not stay bound in its old holder, nor
 * MMIO stay mapped there. */
static void after_move(struct domain *old, enum resource_kind kind,
		       uint32_t base, uint32_t count)
{
	if (kind == RESOURCE_IRQ)
		evtchn_pirq_revoke(old, base);
	else if (kind == RESOURCE_MMIO)
		mmio_revoke(old, base, count);
}

int resource_give(struct domain *caller, struct domain *target,
		  enum resource_kind kind, uint32_t base, uint32_t count)
{
	struct resource_chain c;
	irqflags_t f;
	int idx, rc;

	if (!resource_range_valid(kind, base, count))
		return -XEN_EINVAL;
	f = resource_lock();
	idx = resource_list_find(list_of(caller, kind), base, count);
	if (idx < 0) {
		resource_unlock(f);
		return -XEN_EPERM;
	}
	c = list_of(caller, kind)->range[idx].from;
	rc = -XEN_ENOSPC;
	if (c.depth < RESOURCE_CHAIN_MAX) {
		c.giver[c.depth++] = caller->id;
		rc = move_range(list_of(caller, kind), (unsigned)idx,
				list_of(target, kind), base, count, &c);
	}
	if (!rc) {
		changed(caller, kind);
		changed(target, kind);
	}
	resource_unlock(f);
	if (!rc)
		after_move(caller, kind, base, count);
	return rc;
}

int resource_take_back(struct domain *caller, struct domain *target,
		       enum resource_kind kind, uint32_t base, uint32_t count)
{
	struct resource_chain c;
	irqflags_t f;
	int idx, at, rc = -XEN_EPERM;

	if (!resource_range_valid(kind, base, count))
		return -XEN_EINVAL;
	f = resource_lock();
	idx = resource_list_find(list_of(target, kind), base, count);
	if (idx >= 0) {
		c = list_of(target, kind)->range[idx].from;
		at = chain_find(&c, caller->id);
		if (at >= 0) {
			/* The caller holds it as it did before giving it. */
			c.depth = (uint8_t)at;
			rc = move_range(list_of(target, kind), (unsigned)idx,
					list_of(caller, kind), base, count, &c);
		}
	}
	if (!rc) {
		changed(caller, kind);
		changed(target, kind);
	}
	resource_unlock(f);
	if (!rc)
		after_move(target, kind, base, count);
	return rc;
}

/* The nearest live domain up r's chain gets r back; resource lock held. */
static void return_up(struct domain *const all[], struct domain *d,
		      enum resource_kind kind, const struct resource_range *r)
{
	for (int i = (int)r->from.depth - 1; i >= 0; i--) {
		domid_t id = r->from.giver[i];
		struct domain *g = id <= DOMAIN_MAX ? all[id] : NULL;
		struct resource_chain c = r->from;

		if (!g || g == d || g->state == DOMAIN_DYING)
			continue;
		c.depth = (uint8_t)i;
		if (resource_list_add(list_of(g, kind), r->base, r->count,
				      &c) == 0) {
			changed(g, kind);
			return;
		}
		pr_warn("d%u: no room to return %s 0x%x+%u to d%u\n", d->id,
			kind_name[kind], r->base, r->count, g->id);
		return;
	}
	/* Granted at boot (or every giver is gone): back to the pool. */
}

void resource_domain_destroy(struct domain *d)
{
	struct domain *all[DOMAIN_MAX + 1];
	irqflags_t f;

	snapshot(all);
	f = resource_lock();
	for (unsigned k = 0; k < RESOURCE_KINDS; k++) {
		struct resource_list *l = list_of(d, k);

		for (unsigned i = 0; i < l->count; i++)
			return_up(all, d, k, &l->range[i]);
		l->count = 0;
		changed(d, k);
	}
	/* Nobody takes back through d any more, and a later domain that
	 * gets d's id inherits nothing. */
	for (unsigned id = DOMID_FIRST; id <= DOMAIN_MAX; id++) {
		for (unsigned k = 0;
		     all[id] && all[id] != d && k < RESOURCE_KINDS; k++) {
			struct resource_list *l = list_of(all[id], k);

			for (unsigned i = 0; i < l->count; i++)
				chain_strip(&l->range[i].from, d->id);
		}
	}
	resource_unlock(f);
	/* Its page tables go with it; the mappings need no unmapping. */
	memset(d->res.maps, 0, sizeof(d->res.maps));
}
