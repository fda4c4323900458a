/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Hypercalls from a domain: Xen's x86_64 PV ABI over `syscall` (number in
 * rax, arguments in rdi rsi rdx r10 r8, result in rax; rcx and r11 are
 * clobbered). Shared by the runtime and the freestanding test domains, so
 * it needs nothing but the public headers.
 */
#ifndef RT_HYPERCALL_H
#define RT_HYPERCALL_H

#include <stdint.h>
#include <xen/xen.h>

static inline long hypercall5(unsigned nr, uint64_t a1, uint64_t a2,
			      uint64_t a3, uint64_t a4, uint64_t a5)
{
	long ret;
	register uint64_t r10 __asm__("r10") = a4;
	register uint64_t r8 __asm__("r8") = a5;

	__asm__ volatile("syscall"
			 : "=a"(ret), "+D"(a1), "+S"(a2), "+d"(a3), "+r"(r10),
			   "+r"(r8)
			 : "a"((uint64_t)nr)
			 : "rcx", "r11", "memory");
	return ret;
}

#define HC(nr, a1, a2, a3)                                                     \
	hypercall5((nr), (uint64_t)(a1), (uint64_t)(a2), (uint64_t)(a3), 0, 0)

static inline long hc_console_write(const char *s, unsigned long len)
{
	return HC(__HYPERVISOR_console_io, CONSOLEIO_write, len, s);
}

static inline long hc_sched_op(int cmd, void *arg)
{
	return HC(__HYPERVISOR_sched_op, cmd, arg, 0);
}

static inline long hc_evtchn_op(int cmd, void *arg)
{
	return HC(__HYPERVISOR_event_channel_op, cmd, arg, 0);
}

static inline long hc_gnttab_op(int cmd, void *arg, unsigned count)
{
	return HC(__HYPERVISOR_grant_table_op, cmd, arg, count);
}

static inline long hc_memory_op(int cmd, void *arg)
{
	return HC(__HYPERVISOR_memory_op, cmd, arg, 0);
}

static inline long hc_vcpu_op(int cmd, unsigned vcpu, void *arg)
{
	return HC(__HYPERVISOR_vcpu_op, cmd, vcpu, arg);
}

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

#endif
