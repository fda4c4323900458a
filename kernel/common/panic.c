// SPDX-License-Identifier: GPL-2.0-only
#include <atoll/arch.h>
#include <atoll/core.h>
#include <atoll/log.h>
#include <atoll/panic.h>
#include <atoll/printk.h>
#include <atoll/string.h>

#define REBOOT_DELAY_NS 5000000000ULL

static bool panicking;

void panic(const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	arch_irq_disable();
	if (panicking)
		arch_halt_forever(); /* a panic while panicking: stop quietly */
	panicking = true;
	log_force_unlocked();
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	pr_err("****************************************\n");
	pr_err("Panic on CPU 0:\n");
	pr_err("%s\n", msg);
	pr_err("****************************************\n");
	arch_backtrace((uint64_t)__builtin_frame_address(0));
	core_stop(CORE_STOP_PANIC);
}

static void wait_ns(uint64_t ns)
{
	uint64_t end = arch_now_ns() + ns;

	while (arch_now_ns() < end)
		arch_cpu_relax();
}

void core_stop(enum core_stop_reason why)
{
	arch_irq_disable();
	if (core_opts.testexit)
		arch_test_exit(why == CORE_STOP_PANIC ? CORE_EXIT_PANIC
						      : CORE_EXIT_REBOOT);
	if (why == CORE_STOP_PANIC && core_opts.noreboot) {
		pr_err("noreboot: halted. Manual reset required.\n");
		arch_halt_forever();
	}
	if (why == CORE_STOP_PANIC) {
		pr_err("Rebooting in 5 seconds...\n");
		wait_ns(REBOOT_DELAY_NS);
	} else {
		pr_info("Rebooting...\n");
	}
	arch_reboot();
}
