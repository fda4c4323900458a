/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The event upcall entry, shared by the runtime and the freestanding test
 * domains (tests/system/domains/lib): both provide rt_upcall().
 */
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


	.section .note.GNU-stack, "", @progbits
