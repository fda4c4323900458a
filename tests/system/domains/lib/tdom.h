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

extern struct start_info *tdom_si;
extern struct shared_info *tdom_shared;
extern const char *tdom_name;

int tmain(const char *args);

static inline long hypercall5(unsigned nr, uint64_t a1, uint64_t a2,
			      uint64_t a3, uint64_t a4, uint64_t a5)
{
	long ret;
	register uint64_t r10 __asm__("r10") = a4;
	register uint64_t r8 __asm__("r8") = a5;

	__asm__ volatile("syscall"
			 : "=a"(ret), "+D"(a1), "+S"(a2), "+d"(a3), "+r"(r10),
			   "+r"(r8)
			 : "a"((uint64_t)nr)
			 : "rcx", "r11", "memory");
	return ret;
}

#define HC(nr, a1, a2, a3)                                                     \
	hypercall5((nr), (uint64_t)(a1), (uint64_t)(a2), (uint64_t)(a3), 0, 0)

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
static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

/* Events: handlers run from the upcall with events masked. */
typedef void (*tdom_event_fn)(evtchn_port_t port, void *arg);
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
