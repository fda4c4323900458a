/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Interrupt and exception entry. One 16-byte stub per vector pushes a zero
 * error code when the CPU doesn't, then the vector number, and joins the
 * common path, which saves the general registers as a struct cpu_regs and
 * calls arch_trap(regs).
 */
#include <arch/x86.h>
#include <arch/regs.h>
#include <arch/percpu.h>
#include <arch/irq.h>

/* The general registers, in struct cpu_regs order (r15 lowest). */
.macro SAVE_GPRS
	pushq %rax
	pushq %rbx
	pushq %rcx
	pushq %rdx
	pushq %rsi
	pushq %rdi
	pushq %rbp
	pushq %r8
	pushq %r9
	pushq %r10
	pushq %r11
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
.endm

	.text
	.balign 16
	.globl isr_stubs
isr_stubs:
	vector = 0
	.rept 256
	.balign 16
	/* vectors 8, 10-14, 17, 21, 29, 30 get their error code from the CPU */
	.if !((vector == 8) || ((vector >= 10) && (vector <= 14)) || (vector == 17) || (vector == 21) || (vector == 29) || (vector == 30))
	pushq $0
	.endif
	pushq $vector
	jmp isr_common
	vector = vector + 1
	.endr

isr_common:
	/* Coming from ring 3 (a domain): switch to the core's GS base. */
	testb $3, (REGS_OFF_CS - REGS_OFF_VECTOR)(%rsp)
	jz 1f
	swapgs
1:	SAVE_GPRS
	cld
	movq %rsp, %rdi
	call arch_trap

	.globl isr_return
isr_return:
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %r11
	popq %r10
	popq %r9
	popq %r8
	popq %rbp
	popq %rdi
	popq %rsi
	popq %rdx
	popq %rcx
	popq %rbx
	popq %rax
	testb $3, (REGS_OFF_CS - REGS_OFF_VECTOR)(%rsp)
	jz 2f
	swapgs
2:	addq $16, %rsp
	iretq

/*
 * SYSCALL from a domain: a hypercall. RCX holds the return RIP and R11 the
 * RFLAGS. We build the same struct cpu_regs frame an interrupt from ring 3
 * would, so one exit path (isr_return, IRETQ) serves both.
 */
	.globl syscall_entry
syscall_entry:
	swapgs
	movq %rsp, %gs:PERCPU_USER_RSP
	movq %gs:PERCPU_KERNEL_RSP, %rsp
	pushq $(GDT_USER_DS | SEL_RPL3)
	pushq %gs:PERCPU_USER_RSP
	pushq %r11
	pushq $(GDT_USER_CS | SEL_RPL3)
	pushq %rcx
	pushq $0
	pushq $VECTOR_HYPERCALL
	SAVE_GPRS
	cld
	movq %rsp, %rdi
	call hypercall_entry
	jmp isr_return

/* arch_enter_guest_frame(frame): the frame is at the top of this CPU's
 * stack; make it the stack and return through it. */
	.globl arch_enter_guest_frame
arch_enter_guest_frame:
	movq %rdi, %rsp
	jmp isr_return

	.section .note.GNU-stack, "", @progbits
