/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The freestanding test-domain library (until the newlib runtime, issue 5):
 * hypercalls, console output, checks with a machine-readable verdict, event
 * channels with handlers, time. Each test domain defines tmain().
 *
 * Verdict lines the system tests read:
 *   VERDICT PASS <test>            everything checked held
 *   VERDICT FAIL <test>: <what>    the first check that did not
 *   BENCH <name> <value> <unit>    a measured figure
 */
#ifndef TDOM_H
#define TDOM_H

#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>
#include <stdarg.h>
#include <xen/xen.h>
#include <xen/errno.h>
#include <xen/event_channel.h>
#include <xen/sched.h>
#include <rt/hypercall.h>
#include <rt/events.h>

extern struct start_info *tdom_si;
extern struct shared_info *tdom_shared;
extern const char *tdom_name;

int tmain(const char *args);

void tprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
__attribute__((noreturn)) void tdom_exit(unsigned reason);
__attribute__((noreturn)) void tdom_pass(void);
__attribute__((noreturn)) void tdom_fail(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

#define CHECK(cond)                                                            \
	do {                                                                   \
		if (!(cond))                                                   \
			tdom_fail("%s:%d: %s", __FILE__, __LINE__, #cond);     \
	} while (0)
#define CHECK_EQ(a, b)                                                         \
	do {                                                                   \
		long long _a = (long long)(a), _b = (long long)(b);            \
		if (_a != _b)                                                  \
			tdom_fail("%s:%d: %s == %lld, expected %s == %lld",    \
				  __FILE__, __LINE__, #a, _a, #b, _b);         \
	} while (0)

/* Time: ns since the core booted, from vcpu_time_info. */
uint64_t tdom_now_ns(void);
/* Events: handlers run from the upcall with events masked. */
typedef rt_event_fn tdom_event_fn;
void tdom_events_init(void);
void tdom_on_event(evtchn_port_t port, tdom_event_fn fn, void *arg);
/* Blocks until *flag is set (by a handler) or timeout_ns passes; returns
 * *flag. */
bool tdom_wait_flag(volatile bool *flag, uint64_t timeout_ns);
void tdom_sleep_ns(uint64_t ns);
long tdom_bind_virq(unsigned virq, evtchn_port_t *port);
long tdom_send(evtchn_port_t port);
void tdom_yield(void);

/* Maps this domain's grant table (frames frames) at ATOLL_GNTTAB_VA. */
long tdom_gnttab_setup(unsigned frames);

/* A kernel address and an unmapped one, for hostile calls. */
#define TDOM_CORE_ADDR	   0xffffffff80100000ULL
#define TDOM_UNMAPPED_ADDR 0x0000100000000000ULL

#endif
