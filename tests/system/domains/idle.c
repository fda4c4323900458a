// SPDX-License-Identifier: GPL-2.0-only
/* Blocks for three seconds so the host can measure an idle system. */
#include "tdom.h"

int tmain(const char *args)
{
	tprintf("IDLE-START\n");
	tdom_sleep_ns(3000000000ULL);
	tprintf("IDLE-END\n");
	return 0;
}
