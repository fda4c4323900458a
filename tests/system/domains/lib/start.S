/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Entry of a test domain: RSI = start_info, RSP = top of RAM. Also the
 * event upcall entry: the core left a Xen bounce frame (RCX, R11, RIP, CS,
 * RFLAGS, RSP, SS) on the stack with events masked.
 */
	.section .text.start, "ax"
	.globl _start
_start:
	movq %rsi, %rdi
	andq $-16, %rsp
	call tdom_start
1:	jmp 1b

	.text
	.globl tdom_upcall_entry
tdom_upcall_entry:
	/* Save what the bounce frame doesn't. */
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
	call tdom_handle_events
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
