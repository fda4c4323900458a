/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Host-test stand-in for the saved guest register frame. Generic code only
 * embeds and copies it, so the fields are x86's but nothing depends on
 * their layout here (the real frame and its entry.S contract are in
 * arch/x86/include/arch/regs.h).
 */
#ifndef ARCH_REGS_H
#define ARCH_REGS_H

#include <atoll/types.h>

struct cpu_regs {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector;
	uint64_t error_code;
	uint64_t rip, cs, rflags, rsp, ss;
};

#endif
