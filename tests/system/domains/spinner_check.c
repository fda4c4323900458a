// SPDX-License-Identifier: GPL-2.0-only
/*
 * Runs beside a hostile domain: proves the system goes on. It sleeps on
 * its timer and checks its time advances, ten times over 200 ms.
 */
#include "tdom.h"

int tmain(const char *args)
{
	for (unsigned i = 0; i < 10; i++) {
		uint64_t t0 = tdom_now_ns();

		tdom_sleep_ns(20000000);
		CHECK(tdom_now_ns() - t0 >= 20000000);
	}
	return 0;
}
