// SPDX-License-Identifier: GPL-2.0-only
/*
 * vCPU context on x86: the saved guest frame, FXSAVE state, entering the
 * guest, and event upcalls with Xen's x86_64 PV bounce frame.
 */
#include <arch/desc.h>
#include <arch/percpu.h>
#include <arch/x86.h>
#include <atoll/domain_build.h>
#include <atoll/guest.h>
#include <atoll/printk.h>
#include <atoll/sched.h>
#include <atoll/string.h>
#include <atoll/vcpu_arch.h>
#include <xen/errno.h>
#include <xen/xen.h>

#define RFLAGS_RESERVED_1 0x2
/* Flags a guest may set through iret: not IOPL (ports go through the TSS
 * bitmap only) and not NT (the core's own iretq would fault on it). */
#define RFLAGS_USER_MASK  0x3f0fd5
#define RED_ZONE	  128

extern char arch_enter_guest_frame[];
__noreturn void
arch_enter_guest_frame_fn(uint64_t frame) __asm__("arch_enter_guest_frame");

static uint8_t fpu_initial[512] __aligned(16);

/* A clean FPU/SSE state every new vCPU starts from; at boot. */
void arch_fpu_init_template(void)
{
	__asm__ volatile("fninit; fxsave64 %0" : "=m"(fpu_initial));
}

void arch_vcpu_init_fpu(struct vcpu *v)
{
	memcpy(v->fpu, fpu_initial, sizeof(v->fpu));
}

void arch_vcpu_set_entry(struct vcpu *v, uint64_t rip, uint64_t rsp,
			 uint64_t rsi)
{
	v->regs = (struct cpu_regs){
	    .rip = rip,
	    .rsp = rsp,
	    .rsi = rsi,
	    .cs = GDT_USER_CS | SEL_RPL3,
	    .ss = GDT_USER_DS | SEL_RPL3,
	    .rflags = RFLAGS_IF | RFLAGS_RESERVED_1,
	};
}

void arch_vcpu_save(struct vcpu *v, const struct cpu_regs *frame)
{
	v->regs = *frame;
	__asm__ volatile("fxsave64 %0" : "=m"(v->fpu));
}

void arch_vcpu_switch_to(struct vcpu *v)
{
	aspace_activate(&v->domain->as);
	arch_ioports_switch(v->domain);
	__asm__ volatile("fxrstor64 %0" : : "m"(v->fpu));
}

void arch_enter_guest(const struct cpu_regs *regs)
{
	struct percpu *p = this_percpu();
	struct cpu_regs *frame = (struct cpu_regs *)(p->kernel_rsp) - 1;

	*frame = *regs;
	arch_enter_guest_frame_fn((uint64_t)frame);
}

void arch_wait_for_interrupt_then_disable(void)
{
	__asm__ volatile("sti; hlt; cli" ::: "memory");
}

/*
 * Xen's x86_64 bounce frame, lowest address first: RCX, R11, RIP, CS,
 * RFLAGS, RSP, SS. The guest returns with HYPERVISOR_iret after pushing
 * RAX, which makes it a struct iret_context.
 */
struct bounce_frame {
	uint64_t rcx, r11, rip, cs, rflags, rsp, ss;
};

void arch_deliver_upcall(struct vcpu *v, struct cpu_regs *frame)
{
	struct domain *d = v->domain;
	struct vcpu_info *vi = &d->shared->vcpu_info[v->id];
	struct bounce_frame bf;
	uint64_t sp;

	/* The common case, checked first: nothing to deliver. */
	if (!READ_ONCE(vi->evtchn_upcall_pending) ||
	    READ_ONCE(vi->evtchn_upcall_mask) || !v->event_callback)
		return;
	bf = (struct bounce_frame){
	    frame->rcx,	   frame->r11, frame->rip, frame->cs,
	    frame->rflags, frame->rsp, frame->ss,
	};
	sp = ((frame->rsp - RED_ZONE) & ~15ULL) - sizeof(bf);
	if (copy_to_guest(d, sp, &bf, sizeof(bf))) {
		pr_err("d%u: cannot write the event frame at %llx\n", d->id,
		       (unsigned long long)sp);
		domain_crash(d, frame);
		return;
	}
	WRITE_ONCE(vi->evtchn_upcall_mask, 1);
	frame->rsp = sp;
	frame->rip = v->event_callback;
}

long arch_do_iret(struct cpu_regs *frame)
{
	struct vcpu *v = current_vcpu();
	struct domain *d = v->domain;
	struct iret_context ctx;

	if (copy_from_guest(d, &ctx, frame->rsp, sizeof(ctx))) {
		pr_err("d%u: HYPERVISOR_iret with an unreadable frame\n",
		       d->id);
		domain_crash(d, frame);
		return frame->rax;
	}
	if (!(ctx.flags & VGCF_in_syscall)) {
		frame->r11 = ctx.r11;
		frame->rcx = ctx.rcx;
	}
	frame->rip = ctx.rip;
	frame->rsp = ctx.rsp;
	/* The guest cannot change its privilege or really disable
	 * interrupts: IF in its frame means "unmask events". */
	WRITE_ONCE(d->shared->vcpu_info[v->id].evtchn_upcall_mask,
		   (ctx.rflags & RFLAGS_IF) ? 0 : 1);
	frame->rflags =
	    (ctx.rflags & RFLAGS_USER_MASK) | RFLAGS_IF | RFLAGS_RESERVED_1;
	frame->cs = GDT_USER_CS | SEL_RPL3;
	frame->ss = GDT_USER_DS | SEL_RPL3;
	return ctx.rax;
}

void arch_dump_guest_regs(domid_t id, const struct cpu_regs *r)
{
	pr_err("d%u: RIP %016llx RSP %016llx RFLAGS %08llx vector %llu "
	       "error %llx\n",
	       id, (unsigned long long)r->rip, (unsigned long long)r->rsp,
	       (unsigned long long)r->rflags, (unsigned long long)r->vector,
	       (unsigned long long)r->error_code);
	pr_err("d%u: RAX %016llx RBX %016llx RCX %016llx RDX %016llx\n", id,
	       (unsigned long long)r->rax, (unsigned long long)r->rbx,
	       (unsigned long long)r->rcx, (unsigned long long)r->rdx);
	pr_err("d%u: RSI %016llx RDI %016llx RBP %016llx R8  %016llx\n", id,
	       (unsigned long long)r->rsi, (unsigned long long)r->rdi,
	       (unsigned long long)r->rbp, (unsigned long long)r->r8);
	pr_err("d%u: R9  %016llx R10 %016llx R11 %016llx R12 %016llx\n", id,
	       (unsigned long long)r->r9, (unsigned long long)r->r10,
	       (unsigned long long)r->r11, (unsigned long long)r->r12);
	pr_err("d%u: R13 %016llx R14 %016llx R15 %016llx CR2 %016llx\n", id,
	       (unsigned long long)r->r13, (unsigned long long)r->r14,
	       (unsigned long long)r->r15, (unsigned long long)read_cr2());
}
