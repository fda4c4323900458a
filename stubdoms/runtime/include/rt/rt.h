/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The Atoll domain runtime: what every domain gets before main() and what
 * it may call besides newlib. docs/writing-a-domain.md is the guide.
 *
 * A domain is one address space and one vCPU: main() runs as the first
 * cooperative thread; event handlers run in the event upcall and only
 * wake threads.
 */
#ifndef RT_RT_H
#define RT_RT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <xen/xen.h>

/* The start_info and shared_info pages the hypervisor gave this domain. */
extern struct start_info *rt_start_info;
extern struct shared_info *rt_shared;

/* This domain's id (from the hypervisor, at start). */
extern domid_t rt_domid;

/* Nanoseconds since the hypervisor booted (Xen's system time). */
uint64_t rt_now_ns(void);

/* Writes len bytes to the domain's console (the hypervisor's, for now). */
void rt_console_write(const char *s, size_t len);

/* The heap sbrk() hands out: [start, limit). */
struct rt_heap_info {
	uintptr_t start, brk, limit;
};
void rt_heap_info(struct rt_heap_info *info);

/* Bytes reserved for main()'s stack at the top of RAM. */
#define RT_MAIN_STACK_SIZE (64 * 1024)

#endif
