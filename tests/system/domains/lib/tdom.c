// SPDX-License-Identifier: GPL-2.0-only
#include "tdom.h"
#include <rt/rt.h>
#include <atoll/layout.h>
#include <xen/vcpu.h>
#include <xen/grant_table.h>

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
size_t strlen(const char *s);

struct start_info *tdom_si;
struct shared_info *tdom_shared;
const char *tdom_name = "?";

static evtchn_port_t timer_port;
static volatile bool timer_fired;

static void console_write(const char *s, size_t len)
{
	HC(__HYPERVISOR_console_io, CONSOLEIO_write, len, s);
}

static void vtprintf(const char *fmt, va_list ap)
{
	char buf[256];
	int n = vsnprintf(buf, sizeof(buf), fmt, ap);

	console_write(buf, n < (int)sizeof(buf) ? (size_t)n : sizeof(buf) - 1);
}

void tprintf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vtprintf(fmt, ap);
	va_end(ap);
}

void tdom_exit(unsigned reason)
{
	struct sched_shutdown s = {.reason = reason};

	for (;;)
		HC(__HYPERVISOR_sched_op, SCHEDOP_shutdown, &s, 0);
}

void tdom_pass(void)
{
	tprintf("VERDICT PASS %s\n", tdom_name);
	tdom_exit(SHUTDOWN_poweroff);
}

void tdom_fail(const char *fmt, ...)
{
	va_list ap;

	tprintf("VERDICT FAIL %s: ", tdom_name);
	va_start(ap, fmt);
	vtprintf(fmt, ap);
	va_end(ap);
	tprintf("\n");
	tdom_exit(SHUTDOWN_crash);
}

uint64_t tdom_now_ns(void)
{
	return rt_now_ns();
}

void tdom_on_event(evtchn_port_t port, tdom_event_fn fn, void *arg)
{
	rt_evtchn_handle(port, fn, arg);
}

static void on_timer(evtchn_port_t port, void *arg)
{
	timer_fired = true;
}

void tdom_events_init(void)
{
	rt_events_init();
	if (tdom_bind_virq(VIRQ_TIMER, &timer_port) == 0)
		tdom_on_event(timer_port, on_timer, NULL);
	rt_irq_restore(0);
}

long tdom_bind_virq(unsigned virq, evtchn_port_t *port)
{
	struct evtchn_bind_virq b = {.virq = virq, .vcpu = 0};
	long rc = HC(__HYPERVISOR_event_channel_op, EVTCHNOP_bind_virq, &b, 0);

	*port = b.port;
	return rc;
}

long tdom_send(evtchn_port_t port)
{
	struct evtchn_send s = {.port = port};

	return HC(__HYPERVISOR_event_channel_op, EVTCHNOP_send, &s, 0);
}

long tdom_gnttab_setup(unsigned frames)
{
	uint64_t list[4];
	struct gnttab_setup_table st = {.dom = DOMID_SELF, .nr_frames = frames};
	long rc;

	if (frames > 4)
		return -XEN_EINVAL;
	st.frame_list = (uint64_t)list;
	rc = HC(__HYPERVISOR_grant_table_op, GNTTABOP_setup_table, &st, 1);
	return rc ? rc : st.status;
}

void tdom_yield(void)
{
	HC(__HYPERVISOR_sched_op, SCHEDOP_yield, 0, 0);
}

bool tdom_wait_flag(volatile bool *flag, uint64_t timeout_ns)
{
	uint64_t deadline = tdom_now_ns() + timeout_ns;

	while (!*flag && tdom_now_ns() < deadline) {
		struct vcpu_set_singleshot_timer t = {.timeout_abs_ns =
							  deadline};

		HC(__HYPERVISOR_vcpu_op, VCPUOP_set_singleshot_timer, 0, &t);
		if (!*flag)
			HC(__HYPERVISOR_sched_op, SCHEDOP_block, 0, 0);
	}
	return *flag;
}

void tdom_sleep_ns(uint64_t ns)
{
	timer_fired = false;
	tdom_wait_flag(&timer_fired, ns);
}

/* Words of the command line: the first is this test's name. */
void tdom_start(struct start_info *si)
{
	static char name[64];
	const char *args = (const char *)si->cmd_line;
	unsigned n = 0;

	tdom_si = rt_start_info = si;
	tdom_shared = rt_shared = (struct shared_info *)si->shared_info;
	while (args[n] && args[n] != ' ' && n < sizeof(name) - 1) {
		name[n] = args[n];
		n++;
	}
	name[n] = '\0';
	tdom_name = n ? name : "unnamed";
	args += n;
	while (*args == ' ')
		args++;
	tdom_events_init();
	tmain(args);
	tdom_pass();
}
