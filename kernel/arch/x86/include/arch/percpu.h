/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The x86 per-CPU block, reached through GS while in the core. The first
 * fields are read by entry.S at fixed offsets.
 */
#ifndef ARCH_PERCPU_H
#define ARCH_PERCPU_H

#define PERCPU_SELF	  0
#define PERCPU_KERNEL_RSP 8
#define PERCPU_USER_RSP	  16
#define KERNEL_STACK_SIZE 0x8000

#ifndef __ASSEMBLER__
#include <arch/desc.h>
#include <atoll/cpu.h>

struct percpu {
	struct percpu *self; /* PERCPU_SELF */
	uint64_t kernel_rsp; /* PERCPU_KERNEL_RSP: top of stack */
	uint64_t user_rsp;   /* PERCPU_USER_RSP: scratch at syscall entry */
	struct cpu cpu;
	struct cpu_desc desc;
	uint8_t stack[KERNEL_STACK_SIZE] __aligned(16);
};

_Static_assert(__builtin_offsetof(struct percpu, kernel_rsp) ==
		   PERCPU_KERNEL_RSP,
	       "entry.S offsets");
_Static_assert(__builtin_offsetof(struct percpu, user_rsp) == PERCPU_USER_RSP,
	       "entry.S offsets");

static inline struct percpu *this_percpu(void)
{
	struct percpu *p;

	__asm__ volatile("movq %%gs:0, %0" : "=r"(p));
	return p;
}

/* Sets up GS, the descriptor tables and SYSCALL for the calling CPU. */
void percpu_init(struct percpu *p, unsigned id);

#endif
#endif
