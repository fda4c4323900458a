/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Entry points of a domain: start of day, the event upcall and the
 * cooperative thread switch.
 */

/*
 * Start of day: RSI = start_info, RSP = top of RAM (16-byte aligned). The
 * hypervisor loaded and zeroed every segment, BSS included.
 */
	.section .text.start, "ax"
	.globl _start
_start:
	movq %rsi, %rdi
	movq %rsp, %rsi	/* rt_start(start_info, stack top) */
	andq $-16, %rsp
	xorl %ebp, %ebp	/* ends backtraces */
	call rt_start
	ud2

/*
 * Event upcall: the hypervisor left a Xen bounce frame (RCX, R11, RIP, CS,
 * RFLAGS, RSP, SS) on the stack and masked events. Save the other
 * caller-saved registers, run rt_upcall(), then return with
 * HYPERVISOR_iret, which also restores the saved event mask.
 */
	.text
	.globl rt_upcall_entry
rt_upcall_entry:
	pushq %rax
	pushq %rdx
	pushq %rsi
	pushq %rdi
	pushq %r8
	pushq %r9
	pushq %r10
	pushq %rbp
	movq %rsp, %rbp
	andq $-16, %rsp
	/* The interrupted code may have been using SSE registers. */
	subq $512, %rsp
	fxsaveq (%rsp)
	call rt_upcall
	fxrstorq (%rsp)
	movq %rbp, %rsp
	popq %rbp
	popq %r10
	popq %r9
	popq %r8
	popq %rdi
	popq %rsi
	popq %rdx
	popq %rax
	/*
	 * rsp is at the bounce frame: RCX, R11, RIP, CS, RFLAGS, RSP, SS.
	 * Xen's iret_context is RAX, R11, RCX, FLAGS, then the same five:
	 * RCX stays where it is, R11 and RAX go below it, FLAGS replaces R11.
	 * (rcx and r11 are free: iret reloads them from the frame.)
	 */
	movq 8(%rsp), %r11
	movq %r11, -8(%rsp)
	movq %rax, -16(%rsp)
	movq $0, 8(%rsp)
	subq $16, %rsp
	movq $23, %rax /* __HYPERVISOR_iret */
	syscall
	ud2

/*
 * rt_switch(uint64_t *save_sp, uint64_t next_sp): saves the callee-saved
 * registers on this stack and its pointer in *save_sp, then resumes the
 * thread whose stack pointer is next_sp. A new thread's stack is laid out
 * as if it had called rt_switch: six zero registers, then the address of
 * its start function.
 */
	.globl rt_switch
rt_switch:
	pushq %rbp
	pushq %rbx
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	movq %rsp, (%rdi)
	movq %rsi, %rsp
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %rbx
	popq %rbp
	ret

	.section .note.GNU-stack, "", @progbits
