// SPDX-License-Identifier: GPL-2.0-only
/*
 * Start of day: from _start (arch/entry.S) to main() and back out.
 * The command line in start_info becomes argv: words split at spaces,
 * "double quotes" group words, argv[0] is the domain's first word.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <atoll/caps.h>
#include <atoll/hypercall.h>
#include <atoll/layout.h>
#include <rt/events.h>
#include <rt/gnttab.h>
#include <rt/hypercall.h>
#include <rt/rt.h>
#include <rt/xenbus.h>

#define RT_MAX_ARGS 32

domid_t rt_domid = DOMID_INVALID;

int main(int argc, char **argv);
void __libc_init_array(void);
void rt_heap_init(uintptr_t stack_top);
void rt_threads_init(void);

static char cmdline[MAX_GUEST_CMDLINE];
static char *argv[RT_MAX_ARGS + 1];

/* Splits cmdline in place; returns argc. */
static int split_args(char *s)
{
	int argc = 0;

	while (*s && argc < RT_MAX_ARGS) {
		char *out;

		while (*s == ' ')
			s++;
		if (!*s)
			break;
		argv[argc++] = out = s;
		for (bool quoted = false; *s && (quoted || *s != ' '); s++) {
			if (*s == '"')
				quoted = !quoted;
			else
				*out++ = *s;
		}
		if (*s)
			s++;
		*out = '\0';
	}
	argv[argc] = NULL;
	return argc;
}

static void learn_domid(void)
{
	struct atoll_caps_query q = {.domid = DOMID_SELF};

	if (HC(__HYPERVISOR_atoll_caps, ATOLL_CAPSOP_query, &q, 0) == 0)
		rt_domid = q.domid;
}

/* stack_top: the top of main()'s stack, where RAM for the heap ends (the
 * XenStore ring page is above it). */
__attribute__((noreturn)) void rt_start(struct start_info *si,
					uintptr_t stack_top)
{
	int argc;

	rt_start_info = si;
	rt_shared = (struct shared_info *)si->shared_info;
	memcpy(cmdline, si->cmd_line, sizeof(cmdline) - 1);
	rt_heap_init(stack_top);
	learn_domid();
	rt_events_init();
	rt_threads_init();
	rt_gnttab_init();
	rt_irq_restore(0);
	__libc_init_array();
	xenbus_init();
	argc = split_args(cmdline);
	exit(main(argc, argv));
}
