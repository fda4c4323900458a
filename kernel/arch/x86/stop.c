// SPDX-License-Identifier: GPL-2.0-only
/* Console output, the ways the machine stops, and backtraces. */
#include <arch/mm.h>
#include <arch/uart.h>
#include <arch/x86.h>
#include <atoll/arch.h>
#include <atoll/printk.h>

#define RESET_CF9_HARD	     0x06
#define KBD_CMD_RESET	     0xfe
#define BACKTRACE_MAX_FRAMES 16

extern char _text[], _etext[];

void arch_console_write(const char *s, size_t len)
{
	uart_write(s, len);
}

void arch_halt_forever(void)
{
	for (;;)
		__asm__ volatile("cli; hlt");
}

void arch_test_exit(unsigned code)
{
	outl(PORT_DEBUG_EXIT, code);
	/* Not under QEMU with isa-debug-exit: just stop. */
	arch_halt_forever();
}

/* Tries the reset register, then the keyboard controller, then a triple
 * fault with an empty IDT. */
void arch_reboot(void)
{
	struct {
		uint16_t limit;
		uint64_t base;
	} __attribute__((packed)) empty_idt = {0, 0};

	outb(PORT_RESET_CTRL, RESET_CF9_HARD);
	outb(PORT_KBD_STATUS, KBD_CMD_RESET);
	__asm__ volatile("lidt %0; int3" : : "m"(empty_idt));
	arch_halt_forever();
}

static bool in_core_stack_range(uint64_t rbp)
{
	return rbp >= KERNEL_VBASE && !(rbp & 7) && rbp < ~0ULL - 16;
}

void arch_backtrace(uint64_t rbp)
{
	pr_err("backtrace:\n");
	for (int i = 0; i < BACKTRACE_MAX_FRAMES && in_core_stack_range(rbp);
	     i++) {
		uint64_t ret = ((uint64_t *)rbp)[1];

		if (ret < (uint64_t)_text || ret >= (uint64_t)_etext)
			break;
		pr_err("  [<%016llx>]\n", (unsigned long long)ret);
		rbp = ((uint64_t *)rbp)[0];
	}
}
