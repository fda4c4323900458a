/* SPDX-License-Identifier: GPL-2.0-only */
/* The bystander test image, embedded for the domctl test to build from. */
	.section .rodata
	.balign 16
	.globl child_image, child_image_end
child_image:
	.incbin CHILD_IMAGE
child_image_end:
	.section .note.GNU-stack, "", @progbits
