/* SPDX-License-Identifier: GPL-2.0-only */
/* The runtime's minimal domain, embedded for the start-up benchmark. */
	.section .rodata
	.balign 16
	.globl rt_image, rt_image_end
rt_image:
	.incbin RT_IMAGE
rt_image_end:
	.section .note.GNU-stack, "", @progbits
