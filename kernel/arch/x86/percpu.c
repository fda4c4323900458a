// SPDX-License-Identifier: GPL-2.0-only
/* Per-CPU setup: GS base, descriptor tables, SYSCALL, FPU/SSE for guests. */
#include <arch/percpu.h>
#include <arch/x86.h>
#include <atoll/sched.h>

extern char syscall_entry[];

/* RFLAGS bits cleared on SYSCALL entry: interrupts, direction, trap, AC,
 * and NT, which a domain can set with popf and on which the core's iretq
 * back to it would fault. */
#define SYSCALL_FMASK (RFLAGS_IF | (1 << 10) | (1 << 8) | (1 << 18) | (1 << 14))

struct cpu *this_cpu(void)
{
	return &this_percpu()->cpu;
}

static void syscall_init(void)
{
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE);
	/* Entry: CS = KERNEL_CS, SS = KERNEL_CS + 8. We return with IRETQ,
	 * so the SYSRET half only needs to be sane. */
	wrmsr(MSR_STAR, ((uint64_t)GDT_KERNEL_CS << 32) |
			    ((uint64_t)(GDT_USER_DS - 8) | SEL_RPL3) << 48);
	wrmsr(MSR_LSTAR, (uint64_t)syscall_entry);
	wrmsr(MSR_FMASK, SYSCALL_FMASK);
}

/* Guests may use SSE; the core never does (-mgeneral-regs-only). */
static void fpu_enable(void)
{
	uint64_t cr0 = read_cr0();

	cr0 &= ~(uint64_t)(CR0_EM | CR0_TS);
	cr0 |= CR0_MP | CR0_NE;
	__asm__ volatile("mov %0, %%cr0" : : "r"(cr0));
	write_cr4(read_cr4() | CR4_OSFXSR | CR4_OSXMMEXCPT);
}

void percpu_init(struct percpu *p, unsigned id)
{
	p->self = p;
	p->kernel_rsp = (uint64_t)p->stack + KERNEL_STACK_SIZE;
	wrmsr(MSR_GS_BASE, (uint64_t)p);
	wrmsr(MSR_KERNEL_GS_BASE, 0);
	desc_load_cpu(&p->desc);
	desc_set_kernel_stack(&p->desc, p->kernel_rsp);
	syscall_init();
	fpu_enable();
	sched_init_cpu(&p->cpu, id);
}
