// SPDX-License-Identifier: GPL-2.0-only
/*
 * Console input. CTRL-A pressed three times in a row switches the input
 * between the domain consoles and the hypervisor's debug console, as on Xen.
 * CTRL-A presses are still passed on (a domain may want them); only the
 * third, switching one is swallowed.
 */
#include <atoll/core.h>
#include <atoll/printk.h>

#define CTRL_A	       0x01
#define SWITCH_PRESSES 3

static unsigned ctrl_a_count; /* only touched from the console interrupt */
static bool in_debug_console;
static bool told_no_domain;

static void switch_input(void)
{
	in_debug_console = !in_debug_console;
	if (in_debug_console)
		pr_info("*** debug console: keys go to the hypervisor "
			"(h for help, CTRL-A x3 to leave) ***\n");
	else
		pr_info("*** debug console left: keys go to the domain "
			"consoles ***\n");
	told_no_domain = false;
}

static void domain_input(char c)
{
	/* No domain takes console input yet: say so once per switch. */
	if (c != CTRL_A && !told_no_domain) {
		told_no_domain = true;
		pr_info("no domain console takes input yet; press CTRL-A "
			"three times for the debug console\n");
	}
}

void console_input(char c)
{
	if (c == CTRL_A && ++ctrl_a_count == SWITCH_PRESSES) {
		ctrl_a_count = 0;
		switch_input();
		return;
	}
	if (c != CTRL_A)
		ctrl_a_count = 0;
	if (in_debug_console)
		debugkey_handle(c);
	else
		domain_input(c);
}
