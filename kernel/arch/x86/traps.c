// SPDX-License-Identifier: GPL-2.0-only
/*
 * Exception and interrupt dispatch. An exception in the core is a bug in the
 * core: it prints a register dump and a backtrace and panics. Interrupts go
 * to the handler registered for their vector.
 */
#include <arch/irq.h>
#include <arch/apic.h>
#include <arch/x86.h>
#include <atoll/arch.h>
#include <atoll/log.h>
#include <atoll/panic.h>
#include <atoll/printk.h>
#include <atoll/domain_build.h>
#include <atoll/sched.h>

static irq_handler_fn irq_handlers[256];
static uint64_t spurious_count;

static const char *const exception_names[X86_EXC_COUNT] = {
    [X86_EXC_DE] = "divide error",
    [X86_EXC_DB] = "debug",
    [X86_EXC_NMI] = "NMI",
    [X86_EXC_BP] = "breakpoint",
    [X86_EXC_OF] = "overflow",
    [X86_EXC_BR] = "bound range",
    [X86_EXC_UD] = "invalid opcode",
    [X86_EXC_NM] = "device not available",
    [X86_EXC_DF] = "double fault",
    [X86_EXC_TS] = "invalid TSS",
    [X86_EXC_NP] = "segment not present",
    [X86_EXC_SS] = "stack fault",
    [X86_EXC_GP] = "general protection",
    [X86_EXC_PF] = "page fault",
    [X86_EXC_MF] = "x87 floating point",
    [X86_EXC_AC] = "alignment check",
    [X86_EXC_MC] = "machine check",
    [X86_EXC_XM] = "SIMD floating point",
    [X86_EXC_VE] = "virtualization",
    [X86_EXC_CP] = "control protection",
};

void irq_register(unsigned vector, irq_handler_fn fn)
{
	irq_handlers[vector & 0xff] = fn;
}

uint64_t irq_spurious_count(void)
{
	return spurious_count;
}

void arch_dump_regs(const struct cpu_regs *r)
{
	pr_err("RIP: %04llx:%016llx  RFLAGS: %016llx  error code: %llx\n",
	       (unsigned long long)r->cs, (unsigned long long)r->rip,
	       (unsigned long long)r->rflags,
	       (unsigned long long)r->error_code);
	pr_err("RSP: %04llx:%016llx\n", (unsigned long long)r->ss,
	       (unsigned long long)r->rsp);
	pr_err("RAX: %016llx RBX: %016llx RCX: %016llx\n",
	       (unsigned long long)r->rax, (unsigned long long)r->rbx,
	       (unsigned long long)r->rcx);
	pr_err("RDX: %016llx RSI: %016llx RDI: %016llx\n",
	       (unsigned long long)r->rdx, (unsigned long long)r->rsi,
	       (unsigned long long)r->rdi);
	pr_err("RBP: %016llx R8:  %016llx R9:  %016llx\n",
	       (unsigned long long)r->rbp, (unsigned long long)r->r8,
	       (unsigned long long)r->r9);
	pr_err("R10: %016llx R11: %016llx R12: %016llx\n",
	       (unsigned long long)r->r10, (unsigned long long)r->r11,
	       (unsigned long long)r->r12);
	pr_err("R13: %016llx R14: %016llx R15: %016llx\n",
	       (unsigned long long)r->r13, (unsigned long long)r->r14,
	       (unsigned long long)r->r15);
	pr_err("CR0: %016llx CR2: %016llx CR3: %016llx CR4: %016llx\n",
	       (unsigned long long)read_cr0(), (unsigned long long)read_cr2(),
	       (unsigned long long)read_cr3(), (unsigned long long)read_cr4());
}

static __noreturn void fatal_exception(struct cpu_regs *r)
{
	const char *name = exception_names[r->vector];

	log_force_unlocked();
	pr_err("*** fatal exception %llu (%s) in the core ***\n",
	       (unsigned long long)r->vector, name ? name : "reserved");
	if (r->vector == X86_EXC_PF)
		pr_err("page fault at %016llx: %s %s%s\n",
		       (unsigned long long)read_cr2(),
		       r->error_code & PF_WRITE ? "write" : "read",
		       r->error_code & PF_PRESENT ? "protection violation"
						  : "not present",
		       r->error_code & PF_INSN ? " (instruction fetch)" : "");
	arch_dump_regs(r);
	arch_backtrace(r->rbp);
	panic("fatal exception %llu at %016llx", (unsigned long long)r->vector,
	      (unsigned long long)r->rip);
}

/* A domain's own fault crashes that domain only. */
static void guest_exception(struct cpu_regs *r)
{
	struct domain *d = current_domain();
	const char *name = exception_names[r->vector];

	pr_err("d%u: exception %llu (%s) at %016llx%s\n", d->id,
	       (unsigned long long)r->vector, name ? name : "reserved",
	       (unsigned long long)r->rip,
	       r->vector == X86_EXC_PF ? ", see CR2" : "");
	domain_crash(d, r);
}

static bool from_guest(const struct cpu_regs *r)
{
	return (r->cs & 3) == SEL_RPL3;
}

void arch_trap(struct cpu_regs *r)
{
	unsigned vector = r->vector & 0xff;

	if (vector < X86_EXC_COUNT) {
		if (!from_guest(r) || !current_domain())
			fatal_exception(r);
		guest_exception(r);
		sched_exit_to_guest(r);
		return;
	}
	if (vector == VECTOR_APIC_SPURIOUS || vector == VECTOR_PIC_SPURIOUS1 ||
	    vector == VECTOR_PIC_SPURIOUS2) {
		spurious_count++;
		return;
	}
	if (irq_handlers[vector])
		irq_handlers[vector](r);
	else
		spurious_count++;
	apic_eoi();
	if (from_guest(r))
		sched_exit_to_guest(r);
}
