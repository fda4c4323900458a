/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Entry of a test domain: RSI = start_info, RSP = top of RAM. (The event
 * upcall entry is the runtime's, stubdoms/runtime/arch/upcall.S.)
 */
	.section .text.start, "ax"
	.globl _start
_start:
	movq %rsi, %rdi
	andq $-16, %rsp
	call tdom_start
1:	jmp 1b

	.section .note.GNU-stack, "", @progbits
