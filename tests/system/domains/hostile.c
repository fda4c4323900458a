// SPDX-License-Identifier: GPL-2.0-only
/*
 * A domain that misbehaves on purpose; its argument says how:
 *   poke-core    write to the core's memory           -> crashed, alone
 *   poke-other   write outside its own RAM            -> crashed, alone
 *   spin         spin forever                         -> others still run
 *   storm        a hypercall storm, forever           -> others still run
 *   bad-iret     HYPERVISOR_iret with a bad frame     -> crashed, alone
 *   ud           execute an invalid instruction       -> crashed, alone
 */
#include "tdom.h"
#include <atoll/hypercall.h>

static bool is(const char *a, const char *b)
{
	while (*b && *a == *b) {
		a++;
		b++;
	}
	return !*b && (!*a || *a == ' ');
}

int tmain(const char *args)
{
	tprintf("misbehaving: %s\n", args);
	if (is(args, "poke-core"))
		*(volatile uint64_t *)TDOM_CORE_ADDR = 1;
	else if (is(args, "poke-other"))
		*(volatile uint64_t *)0x40000000 = 1;
	else if (is(args, "spin"))
		for (;;)
			__asm__ volatile("pause");
	else if (is(args, "storm"))
		for (;;)
			HC(__HYPERVISOR_atoll_test, ATOLL_TEST_null, 0, 0);
	else if (is(args, "bad-iret"))
		__asm__ volatile(
		    "movq $0x10, %%rsp; movq $23, %%rax; syscall" ::
			: "rax", "memory");
	else if (is(args, "ud"))
		__asm__ volatile("ud2");
	tdom_fail("still alive after '%s'", args);
}
