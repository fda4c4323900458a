/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Guest memory access. The core touches a domain's memory only through
 * these: each walks the domain's own page tables for every page, so a bad,
 * unmapped or core address yields -EFAULT instead of a fault in the core.
 */
#ifndef ATOLL_GUEST_H
#define ATOLL_GUEST_H

#include <atoll/domain.h>

/* 0 or -XEN_EFAULT. dst/src are core addresses; gva is the domain's. */
int copy_from_guest(struct domain *d, void *dst, uint64_t gva,
		    size_t len) __must_check;
int copy_to_guest(struct domain *d, uint64_t gva, const void *src,
		  size_t len) __must_check;

/* Machine frame backing a pseudo-physical frame; false if none. */
bool domain_gpfn_to_mfn(struct domain *d, uint64_t gpfn,
			paddr_t *mfn) __must_check;

#endif
