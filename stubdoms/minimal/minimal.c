// SPDX-License-Identifier: GPL-2.0-only
/*
 * minimal: the smallest useful domain, for measuring the runtime's size
 * and start-up. With "t0=N" on its command line (N a TSC value the
 * creator read just before creating it) it reports how many TSC ticks
 * passed until main() ran: guest instructions under -icount shift=0.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rt/hypercall.h>

int main(int argc, char **argv)
{
	uint64_t now = rdtsc();

	for (int i = 1; i < argc; i++) {
		if (!strncmp(argv[i], "t0=", 3))
			printf("BENCH-RAW domain.start_to_main %llu\n",
			       (unsigned long long)(now - strtoull(argv[i] + 3,
								   NULL, 10)));
	}
	return 0;
}
