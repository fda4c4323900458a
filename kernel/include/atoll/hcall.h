/* SPDX-License-Identifier: GPL-2.0-only */
/* The hypercall dispatch table and the small hypercalls' handlers. */
#ifndef ATOLL_HCALL_H
#define ATOLL_HCALL_H

#include <atoll/types.h>
#include <arch/regs.h>

/* Entered from the SYSCALL path with the caller's frame. */
void hypercall_entry(struct cpu_regs *frame);

/* Per-domain console output (CONSOLEIO_write), line-buffered. */
long do_console_io(unsigned cmd, uint64_t count, uint64_t buffer);
long do_sched_op(unsigned cmd, uint64_t arg);
long do_vcpu_op(unsigned cmd, unsigned vcpuid, uint64_t arg);
long do_xen_version(unsigned cmd, uint64_t arg);
long do_callback_op(unsigned cmd, uint64_t arg);
long do_atoll_domctl(uint64_t arg);
long do_atoll_test(unsigned cmd, uint64_t arg);
long do_atoll_caps(unsigned cmd, uint64_t arg);

struct vcpu;
/* Sets up a new vCPU's one-shot and poll timers. */
void hc_vcpu_timers_init(struct vcpu *v);

/* Counters for the debug console. */
uint64_t hypercall_count(void);

#endif
