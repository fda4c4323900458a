// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host stand-ins for what evtchn.c asks of resource ownership and physical
 * IRQs (kernel/common/resource.c, hc_physdev.c), for test_evtchn: no domain
 * holds an IRQ, so EVTCHNOP_bind_pirq is refused with -XEN_EPERM.
 * test_resource covers the real thing.
 */
#include <atoll/resource.h>
#include <xen/errno.h>

bool resource_holds(struct domain *d, enum resource_kind kind, uint32_t base,
		    uint32_t count)
{
	return false;
}

bool arch_irq_exists(uint32_t gsi)
{
	return false;
}

int physdev_pirq_bind(struct domain *d, uint32_t gsi, uint16_t port)
{
	return -XEN_ENOSPC;
}

void physdev_pirq_unbind(uint32_t gsi)
{
}
