/* SPDX-License-Identifier: GPL-2.0-only */
/* What the generic domain and scheduler code asks of the arch per vCPU. */
#ifndef ATOLL_VCPU_ARCH_H
#define ATOLL_VCPU_ARCH_H

#include <atoll/domain.h>

void arch_vcpu_init_fpu(struct vcpu *v);
/* Sets v to enter the domain at rip with the given stack and RSI. */
void arch_vcpu_set_entry(struct vcpu *v, uint64_t rip, uint64_t rsp,
			 uint64_t rsi);
/* Saves the guest frame and FPU state of the vCPU leaving the CPU. */
void arch_vcpu_save(struct vcpu *v, const struct cpu_regs *frame);
/* Loads the address space and FPU state of the vCPU about to run. */
void arch_vcpu_switch_to(struct vcpu *v);
/* Enters the guest context regs; abandons the current stack. */
__noreturn void arch_enter_guest(const struct cpu_regs *regs);
/*
 * If v has an event pending, unmasked, and a callback registered, rewrites
 * frame to enter the callback with a Xen-style bounce frame on the guest
 * stack (events masked). A stack it cannot write crashes the domain.
 */
void arch_deliver_upcall(struct vcpu *v, struct cpu_regs *frame);
/* HYPERVISOR_iret: restores the context saved by the bounce frame. */
long arch_do_iret(struct cpu_regs *frame);
struct vcpu_time_info;
/* Fills a vcpu_time_info with the current TSC-to-ns conversion. */
void arch_time_fill(struct vcpu_time_info *t);

/* sti; hlt; cli — wait for one interrupt with interrupts off after. */
void arch_wait_for_interrupt_then_disable(void);

#endif
