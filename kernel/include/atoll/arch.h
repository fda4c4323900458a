/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What generic core code asks of the architecture. Generic code never
 * touches a register, port or page-table entry itself.
 */
#ifndef ATOLL_ARCH_H
#define ATOLL_ARCH_H

#include <atoll/types.h>
#include <atoll/compiler.h>
#include <arch/cpu.h>

/* Console output, polled; safe from any context including panic. */
void arch_console_write(const char *s, size_t len);

/* Monotonic time since boot, from the calibrated TSC. */
uint64_t arch_now_ns(void);
uint64_t arch_tsc_hz(void);

/* Arm the one-shot timer to fire at (or soon after) deadline_ns; 0 stops. */
void arch_timer_program(uint64_t deadline_ns);

/* Ways to stop. arch_test_exit ends QEMU through isa-debug-exit. */
__noreturn void arch_reboot(void);
__noreturn void arch_halt_forever(void);
__noreturn void arch_test_exit(unsigned code);

/* Print the frame-pointer backtrace starting at the given frame. */
void arch_backtrace(uint64_t rbp);

#endif
