/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The register frame every interrupt, exception and (later) hypercall entry
 * pushes. The layout is shared with entry.S: change both together.
 */
#ifndef ARCH_REGS_H
#define ARCH_REGS_H

#define REGS_OFF_VECTOR (15 * 8)
#define REGS_OFF_CS	(18 * 8)
#define REGS_SIZE	(22 * 8)

#ifndef __ASSEMBLER__
#include <atoll/types.h>

struct cpu_regs {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector;
	uint64_t error_code;
	/* pushed by the CPU */
	uint64_t rip, cs, rflags, rsp, ss;
};

_Static_assert(sizeof(struct cpu_regs) == REGS_SIZE, "entry.S frame");
_Static_assert(__builtin_offsetof(struct cpu_regs, vector) == REGS_OFF_VECTOR,
	       "entry.S frame");
_Static_assert(__builtin_offsetof(struct cpu_regs, cs) == REGS_OFF_CS,
	       "entry.S frame");

#endif
#endif
