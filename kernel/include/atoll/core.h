/* SPDX-License-Identifier: GPL-2.0-only */
/* The generic core's start and stop, and the settings the boot chose. */
#ifndef ATOLL_CORE_H
#define ATOLL_CORE_H

#include <atoll/cmdline.h>
#include <atoll/compiler.h>

#define ATOLL_VERSION "0.1.0"

/*
 * Status codes for `testexit`: the core writes one to QEMU's isa-debug-exit
 * device, which exits with (code << 1) | 1. tests/system/atoll_test.py
 * knows these numbers too.
 */
enum core_exit_code {
	CORE_EXIT_PASS = 0,
	CORE_EXIT_FAIL = 1,
	CORE_EXIT_PANIC = 2,
	CORE_EXIT_REBOOT = 3,
	CORE_EXIT_BAD_BOOT = 4,
};

enum core_stop_reason {
	CORE_STOP_PANIC,
	CORE_STOP_REBOOT,
};

/* Settings from the command line; written once at boot, then read-only. */
extern struct boot_options core_opts;

/* Prints the banner; the first thing the core says. */
void core_print_banner(const char *loader, unsigned mb_version);

struct boot_module_desc;

/* Called by the arch code once the hardware is set up; never returns. */
__noreturn void core_main(const struct boot_module_desc *mods,
			  unsigned mod_count);

/* With testexit: ends the run once no domain is left running. */
void core_check_all_done(void);

/* The FPU state new vCPUs start from (arch, at boot). */
void arch_fpu_init_template(void);

/* Ends the machine the way the options ask (testexit, noreboot). */
__noreturn void core_stop(enum core_stop_reason why);

/* Console input, one byte at a time, from the console's interrupt. */
void console_input(char c);
/* Dispatches a debug-console key; unknown keys print a hint. */
void debugkey_handle(char key);

#endif
