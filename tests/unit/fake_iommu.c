// SPDX-License-Identifier: GPL-2.0-only
/*
 * Stand-ins for the IOMMU's p2m hooks (arch/iommu.h) in host tests of
 * hc_memory.c: no domain holds a device there, so there are no DMA page
 * tables to keep in step and every hook succeeds doing nothing. The real
 * hooks are exercised in QEMU (tests/system/test_iommu.py, dma_isolation).
 */
#include <arch/iommu.h>

bool arch_iommu_map(struct domain *d, uint64_t gpfn, paddr_t pa)
{
	return true;
}

void arch_iommu_unmap(struct domain *d, uint64_t gpfn)
{
}

void arch_iommu_flush(struct domain *d)
{
}
