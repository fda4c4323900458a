// SPDX-License-Identifier: GPL-2.0-only
/*
 * Domain control from a domain holding the domctl capability: build a
 * child from an ELF image in this domain's memory (the bystander test
 * image, embedded), read its info, pause and unpause it, destroy it; and
 * the hostile side: more capabilities than its own, bad images, unknown
 * domains, a bad interface version, a duplicate name.
 */
#include "tdom.h"
#include <atoll/layout.h>
#include <atoll/caps.h>
#include <atoll/domctl.h>
#include <atoll/hypercall.h>

extern const char child_image[], child_image_end[];
static volatile unsigned dom_exc_events;

static void on_dom_exc(evtchn_port_t port, void *arg)
{
	dom_exc_events++;
}

static long domctl(struct atoll_domctl *op)
{
	op->interface_version = ATOLL_DOMCTL_INTERFACE_VERSION;
	return HC(__HYPERVISOR_atoll_domctl, op, 0, 0);
}

static long create(const char *name, uint64_t caps, const void *image,
		   uint64_t size, domid_t *id)
{
	static const char cmdline[] = "child";
	struct atoll_domctl op = {.cmd = ATOLL_DOMCTL_create};
	long rc;

	for (unsigned i = 0; name[i] && i < sizeof(op.u.create.name) - 1; i++)
		op.u.create.name[i] = name[i];
	op.u.create.nr_pages = 1024;
	op.u.create.max_pages = 1024;
	op.u.create.vcpus = 1;
	op.u.create.capabilities = caps;
	op.u.create.image = (uint64_t)image;
	op.u.create.image_size = size;
	op.u.create.cmdline = (uint64_t)cmdline;
	op.u.create.cmdline_len = sizeof(cmdline) - 1;
	rc = domctl(&op);
	*id = op.domain;
	return rc;
}

static uint32_t info_flags(domid_t id)
{
	struct atoll_domctl op = {.cmd = ATOLL_DOMCTL_getinfo, .domain = id};

	CHECK_EQ(domctl(&op), 0);
	return op.u.getinfo.flags;
}

static void hostile(uint64_t size)
{
	struct atoll_domctl op = {.cmd = ATOLL_DOMCTL_pause, .domain = 999};
	static const char junk[64] = "not an ELF image";
	domid_t id;

	CHECK_EQ(domctl(&op), -XEN_ESRCH);
	op.cmd = 4242;
	op.domain = DOMID_SELF;
	CHECK(domctl(&op) < 0);
	op.cmd = ATOLL_DOMCTL_getinfo;
	op.interface_version = 0;
	CHECK_EQ(HC(__HYPERVISOR_atoll_domctl, &op, 0, 0), -XEN_EACCES);
	CHECK_EQ(HC(__HYPERVISOR_atoll_domctl, TDOM_CORE_ADDR, 0, 0),
		 -XEN_EFAULT);
	/* Capabilities pass on only as a subset of the creator's. */
	CHECK_EQ(create("greedy", ATOLL_CAP_PCI, child_image, size, &id),
		 -XEN_EPERM);
	CHECK_EQ(create("junk", 0, junk, sizeof(junk), &id), -XEN_ENOEXEC);
	CHECK_EQ(create("faulty", 0, (void *)TDOM_UNMAPPED_ADDR, size, &id),
		 -XEN_EFAULT);
	CHECK(create("", 0, child_image, size, &id) < 0);
}

static void caps_checks(void)
{
	struct atoll_caps_query q = {.domid = DOMID_SELF};
	struct atoll_caps_drop d = {.caps = ATOLL_CAP_CONSOLE};

	CHECK_EQ(HC(__HYPERVISOR_atoll_caps, ATOLL_CAPSOP_query, &q, 0), 0);
	CHECK_EQ(q.caps, ATOLL_CAP_DOMCTL);
	q.domid = 999;
	CHECK_EQ(HC(__HYPERVISOR_atoll_caps, ATOLL_CAPSOP_query, &q, 0),
		 -XEN_ESRCH);
	d.caps = 1ULL << 40;
	CHECK_EQ(HC(__HYPERVISOR_atoll_caps, ATOLL_CAPSOP_drop, &d, 0),
		 -XEN_EINVAL);
	CHECK_EQ(HC(__HYPERVISOR_atoll_caps, 9, &d, 0), -XEN_ENOSYS);
}

/* Last: once dropped, domctl is refused. */
static void drop_domctl(void)
{
	struct atoll_caps_drop d = {.caps = ATOLL_CAP_DOMCTL};
	struct atoll_domctl op = {.cmd = ATOLL_DOMCTL_getinfo,
				  .domain = DOMID_SELF};

	CHECK_EQ(HC(__HYPERVISOR_atoll_caps, ATOLL_CAPSOP_drop, &d, 0), 0);
	CHECK_EQ(domctl(&op), -XEN_EPERM);
}

/* The boot modules, read-only at ATOLL_BOOT_MODULES_VA: module 0 is the
 * manifest (a device tree), module 1 this image (an ELF). */
static void boot_module_checks(void)
{
	const struct atoll_boot_modules *t =
	    (const struct atoll_boot_modules *)tdom_si->mod_start;

	CHECK_EQ(tdom_si->mod_start, ATOLL_BOOT_MODULES_VA);
	CHECK(t->count >= 2);
	CHECK(t->mods[0].size > 4 && t->mods[1].size > 4);
	CHECK_EQ(*(const uint32_t *)t->mods[0].addr, 0xedfe0dd0); /* FDT */
	CHECK_EQ(*(const uint32_t *)t->mods[1].addr, 0x464c457f); /* ELF */
	tprintf("boot modules: %u, module 0 '%s'\n", t->count, t->mods[0].args);
}

int tmain(const char *args)
{
	uint64_t size = child_image_end - child_image;

	boot_module_checks();
	struct atoll_domctl op = {0};
	domid_t child, dup;
	evtchn_port_t exc_port;
	unsigned exc_before;

	hostile(size);
	CHECK_EQ(create("child", 0, child_image, size, &child), 0);
	tprintf("created d%u\n", child);
	CHECK_EQ(create("child", 0, child_image, size, &dup), -XEN_EEXIST);
	/* Created paused; unpause lets it run. */
	CHECK(info_flags(child) & ATOLL_DOMINFO_paused);
	op =
	    (struct atoll_domctl){.cmd = ATOLL_DOMCTL_unpause, .domain = child};
	CHECK_EQ(domctl(&op), 0);
	CHECK_EQ(domctl(&op), -XEN_EINVAL); /* not paused any more */
	CHECK(info_flags(child) &
	      (ATOLL_DOMINFO_running | ATOLL_DOMINFO_blocked));
	op.cmd = ATOLL_DOMCTL_pause;
	CHECK_EQ(domctl(&op), 0);
	CHECK(info_flags(child) & ATOLL_DOMINFO_paused);
	op.cmd = ATOLL_DOMCTL_unpause;
	CHECK_EQ(domctl(&op), 0);
	op = (struct atoll_domctl){.cmd = ATOLL_DOMCTL_set_sched,
				   .domain = child,
				   .u.sched = {.weight = 512, .cap = 50}};
	CHECK_EQ(domctl(&op), 0);
	op.u.sched.weight = 0;
	CHECK_EQ(domctl(&op), -XEN_EINVAL);
	/* Destroying the child raises VIRQ_DOM_EXC here. */
	CHECK_EQ(tdom_bind_virq(VIRQ_DOM_EXC, &exc_port), 0);
	tdom_on_event(exc_port, on_dom_exc, NULL);
	exc_before = dom_exc_events;
	op =
	    (struct atoll_domctl){.cmd = ATOLL_DOMCTL_destroy, .domain = child};
	CHECK_EQ(domctl(&op), 0);
	CHECK_EQ(domctl(&op), -XEN_ESRCH); /* gone */
	for (unsigned i = 0; i < 100 && dom_exc_events == exc_before; i++)
		tdom_sleep_ns(1000000);
	CHECK(dom_exc_events > exc_before);
	/* The name is free again. */
	CHECK_EQ(create("child", 0, child_image, size, &child), 0);
	op.domain = child;
	CHECK_EQ(domctl(&op), 0);
	caps_checks();
	drop_domctl();
	return 0;
}
