// SPDX-License-Identifier: GPL-2.0-only
/*
 * Atoll's domain control hypercall. Every command needs ATOLL_CAP_DOMCTL
 * but getinfo, which the XenStore and memory-policy domains use too, and
 * the port, IRQ and MMIO permission commands and PCI device assignment,
 * which need device-assign. A domctl holder may act on the domains it
 * created; a new domain gets at most the capabilities of its creator.
 */
#include <arch/iommu.h>
#include <arch/mm.h>
#include <atoll/caps.h>
#include <atoll/domain_build.h>
#include <atoll/domctl.h>
#include <atoll/frame.h>
#include <atoll/guest.h>
#include <atoll/hcall.h>
#include <atoll/resource.h>
#include <atoll/sched.h>
#include <atoll/string.h>
#include <xen/errno.h>

/* Images are copied into the core before building; keep that bounded. */
#define DOMCTL_IMAGE_MAX (4ULL << 20)

static unsigned order_for_bytes(uint64_t bytes)
{
	unsigned order = 0;

	while ((PAGE_SIZE << order) < bytes)
		order++;
	return order;
}

static int check_create(const struct domain *self,
			const struct atoll_domctl_create *c)
{
	if ((c->capabilities & ~(uint64_t)self->caps) != 0)
		return -XEN_EPERM; /* capabilities only pass on as a subset */
	if (!c->image_size || c->image_size > DOMCTL_IMAGE_MAX || c->flags)
		return -XEN_EINVAL;
	if (c->cmdline_len >= MAX_GUEST_CMDLINE)
		return -XEN_EINVAL;
	if (c->store_domid != 0 && c->store_domid != DOMID_INVALID &&
	    !domain_get(c->store_domid))
		return -XEN_ESRCH;
	if (strnlen(c->name, sizeof(c->name)) == sizeof(c->name))
		return -XEN_EINVAL;
	return 0;
}

static int create(struct domain *self, struct atoll_domctl *op)
{
	struct atoll_domctl_create *c = &op->u.create;
	char cmdline[MAX_GUEST_CMDLINE];
	unsigned order = order_for_bytes(c->image_size);
	struct domain_config cfg;
	struct domain *d;
	paddr_t buf;
	int err = check_create(self, c);

	if (err)
		return err;
	if (copy_from_guest(self, cmdline, c->cmdline, c->cmdline_len))
		return -XEN_EFAULT;
	cmdline[c->cmdline_len] = '\0';
	if (!frame_alloc(order, &buf))
		return -XEN_ENOMEM;
	err = copy_from_guest(self, arch_phys_to_virt(buf), c->image,
			      c->image_size);
	cfg = (struct domain_config){
	    .name = c->name,
	    .mem_pages = c->nr_pages,
	    .max_pages = c->max_pages,
	    .vcpus = c->vcpus,
	    .weight = c->weight ? c->weight : ATOLL_SCHED_WEIGHT_DEFAULT,
	    .cap = c->cap,
	    .caps = (uint32_t)c->capabilities,
	    .creator = self->id,
	    .image = arch_phys_to_virt(buf),
	    .image_size = c->image_size,
	    .cmdline = cmdline,
	    .store_domid = c->store_domid,
	};
	if (!err)
		err = domain_create(&cfg, &d);
	frame_free(buf, order);
	if (err)
		return err;
	op->domain = d->id;
	c->store_port = d->store_domid != DOMID_INVALID ? d->store_port : 0;
	/* Created paused: the toolstack finishes setting it up, then
	 * unpauses it. */
	domain_pause(d);
	domain_start(d);
	return 0;
}

static uint32_t info_flags(const struct domain *d)
{
	uint32_t flags = 0;
	bool any_runnable = false;

	for (unsigned i = 0; i < d->vcpu_count; i++)
		any_runnable |= d->vcpus[i]->state == VCPU_RUNNABLE;
	if (d->state == DOMAIN_SHUTDOWN)
		flags |= ATOLL_DOMINFO_shutdown;
	else if (d->state == DOMAIN_DYING)
		flags |= ATOLL_DOMINFO_dying;
	else if (d->pause_count)
		flags |= ATOLL_DOMINFO_paused;
	else
		flags |= any_runnable ? ATOLL_DOMINFO_running
				      : ATOLL_DOMINFO_blocked;
	return flags;
}

static void getinfo(const struct domain *d, struct atoll_domctl_getinfo *i)
{
	*i = (struct atoll_domctl_getinfo){0};
	strncpy_safe(i->name, d->name, sizeof(i->name));
	i->flags = info_flags(d);
	i->shutdown_reason = d->shutdown_reason;
	i->tot_pages = d->tot_pages;
	i->max_pages = d->max_pages;
	for (unsigned v = 0; v < d->vcpu_count; v++)
		i->cpu_time_ns += d->vcpus[v]->runtime_ns;
	i->vcpus = d->vcpu_count;
	i->weight = d->weight;
	i->cap = d->cap;
	i->capabilities = d->caps;
	i->created_ns = d->created_ns;
	if (d->store_domid != DOMID_INVALID)
		i->store_port = d->store_port;
}

/* The target of an operation: a domain this caller created (or itself for
 * getinfo). Boot domains with domctl may act on every domain. */
static struct domain *target(struct domain *self, domid_t id, bool self_ok)
{
	struct domain *d = domain_get(id == DOMID_SELF ? self->id : id);

	if (!d || (d == self && !self_ok))
		return NULL;
	if (d != self && d->creator != self->id && self->creator != 0)
		return NULL;
	return d;
}

/* getinfo lists: it returns the first domain at or above the id asked. */
static struct domain *first_from(struct domain *self, domid_t id)
{
	if (id == DOMID_SELF)
		return self;
	for (unsigned i = MAX(id, DOMID_FIRST); i <= DOMAIN_MAX; i++) {
		struct domain *d = domain_get(i);

		if (d)
			return d;
	}
	return NULL;
}

static bool is_permission(uint32_t cmd)
{
	return cmd == ATOLL_DOMCTL_ioport_permission ||
	       cmd == ATOLL_DOMCTL_irq_permission ||
	       cmd == ATOLL_DOMCTL_iomem_permission;
}

static bool is_device(uint32_t cmd)
{
	return cmd == ATOLL_DOMCTL_assign_device ||
	       cmd == ATOLL_DOMCTL_deassign_device;
}

static bool may_invoke(const struct domain *self, uint32_t cmd)
{
	uint32_t need = ATOLL_CAP_DOMCTL;

	if (is_permission(cmd) || is_device(cmd))
		need = ATOLL_CAP_DEVICE_ASSIGN;
	if (cmd == ATOLL_DOMCTL_getinfo)
		need |= ATOLL_CAP_XENSTORE | ATOLL_CAP_MEMORY_POLICY;
	return (self->caps & need) != 0;
}

static bool all_zero(const uint8_t *p, size_t n)
{
	while (n--) {
		if (*p++)
			return false;
	}
	return true;
}

/* The range a permission command names, and its direction; false if the
 * fields are malformed. */
static bool permission_range(const struct atoll_domctl *op,
			     enum resource_kind *kind, uint32_t *base,
			     uint32_t *count, uint8_t *allow)
{
	const struct atoll_domctl_ioport_permission *io =
	    &op->u.ioport_permission;
	const struct atoll_domctl_irq_permission *irq = &op->u.irq_permission;
	const struct atoll_domctl_iomem_permission *mem =
	    &op->u.iomem_permission;
	bool pad_ok;

	if (op->cmd == ATOLL_DOMCTL_iomem_permission) {
		if (mem->first_mfn >= RESOURCE_MMIO_LIMIT ||
		    mem->nr_mfns > RESOURCE_MMIO_LIMIT)
			return false; /* resource_range_valid checks the end */
		*kind = RESOURCE_MMIO;
		*base = (uint32_t)mem->first_mfn;
		*count = (uint32_t)mem->nr_mfns;
		*allow = mem->allow_access;
		pad_ok = all_zero(mem->pad, sizeof(mem->pad));
	} else if (op->cmd == ATOLL_DOMCTL_ioport_permission) {
		*kind = RESOURCE_IOPORT;
		*base = io->first_port;
		*count = io->nr_ports;
		*allow = io->allow_access;
		pad_ok = all_zero(io->pad, sizeof(io->pad));
	} else {
		*kind = RESOURCE_IRQ;
		*base = irq->pirq;
		*count = 1;
		*allow = irq->allow_access;
		pad_ok = all_zero(irq->pad, sizeof(irq->pad));
	}
	return pad_ok && *allow <= 1 &&
	       resource_range_valid(*kind, *base, *count);
}

/* Gives a range the caller holds, or takes one back (atoll/domctl.h). */
static int permission(struct domain *self, struct atoll_domctl *op)
{
	enum resource_kind kind;
	uint32_t base, count;
	uint8_t allow;
	struct domain *d;

	if (!permission_range(op, &kind, &base, &count, &allow) ||
	    op->domain == DOMID_SELF || op->domain == self->id)
		return -XEN_EINVAL;
	d = domain_get(op->domain);
	if (!d || d->state == DOMAIN_DYING)
		return -XEN_ESRCH;
	return allow ? resource_give(self, d, kind, base, count)
		     : resource_take_back(self, d, kind, base, count);
}

/*
 * Assigns a PCI function's DMA to op->domain (the caller included), or
 * blocks it again (atoll/domctl.h). A function held by a domain the caller
 * may not act on stays where it is.
 */
static int device(struct domain *self, struct atoll_domctl *op)
{
	struct atoll_domctl_assign_device *a = &op->u.assign_device;
	struct domain *d = target(self, op->domain, true);
	domid_t holder;
	bool isolated;
	int err;

	if (a->flags)
		return -XEN_EINVAL;
	if (!d || d->state == DOMAIN_DYING)
		return -XEN_ESRCH;
	if (op->cmd == ATOLL_DOMCTL_deassign_device)
		return arch_iommu_deassign(d, a->machine_sbdf);
	holder = arch_iommu_device_holder(a->machine_sbdf);
	if (holder && !target(self, holder, true))
		return -XEN_EBUSY;
	err = arch_iommu_assign(d, a->machine_sbdf, &isolated);
	if (!err)
		a->flags = isolated ? ATOLL_ASSIGN_DMA_ISOLATED : 0;
	return err;
}

static int invoke(struct domain *self, struct atoll_domctl *op)
{
	struct domain *d;

	if (op->cmd == ATOLL_DOMCTL_create)
		return create(self, op);
	if (is_permission(op->cmd))
		return permission(self, op);
	if (is_device(op->cmd))
		return device(self, op);
	if (op->cmd == ATOLL_DOMCTL_getinfo) {
		d = first_from(self, op->domain);
		if (!d)
			return -XEN_ESRCH;
		op->domain = d->id;
		getinfo(d, &op->u.getinfo);
		return 0;
	}
	/* A domain may tune its own scheduling, as dom0 can on Xen. */
	d = target(self, op->domain, op->cmd == ATOLL_DOMCTL_set_sched);
	if (!d)
		return -XEN_ESRCH;
	switch (op->cmd) {
	case ATOLL_DOMCTL_destroy:
		return domain_destroy(d);
	case ATOLL_DOMCTL_pause:
		domain_pause(d);
		return 0;
	case ATOLL_DOMCTL_unpause:
		return domain_unpause(d);
	case ATOLL_DOMCTL_set_max_mem:
		if (op->u.max_mem.max_pages < d->tot_pages ||
		    op->u.max_mem.max_pages >= d->p2m_size)
			return -XEN_EINVAL;
		d->max_pages = op->u.max_mem.max_pages;
		return 0;
	case ATOLL_DOMCTL_set_sched:
		return sched_domain_set_params(d, op->u.sched.weight,
					       op->u.sched.cap);
	default:
		return -XEN_ENOSYS;
	}
}

long do_atoll_domctl(uint64_t arg)
{
	struct domain *self = current_domain();
	struct atoll_domctl op;
	long rc;

	if (copy_from_guest(self, &op, arg, sizeof(op)))
		return -XEN_EFAULT;
	if (!may_invoke(self, op.cmd))
		return -XEN_EPERM;
	if (op.interface_version != ATOLL_DOMCTL_INTERFACE_VERSION)
		return -XEN_EACCES;
	rc = invoke(self, &op);
	if (rc == 0 && copy_to_guest(self, arg, &op, sizeof(op)))
		return -XEN_EFAULT;
	return rc;
}
