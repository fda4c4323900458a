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

	.text
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
