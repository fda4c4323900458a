// SPDX-License-Identifier: GPL-2.0-only
#include "tdom.h"
#include <atoll/layout.h>
#include <xen/callback.h>
#include <xen/vcpu.h>
#include <xen/grant_table.h>

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
size_t strlen(const char *s);

#define MAX_HANDLERS 64

struct start_info *tdom_si;
struct shared_info *tdom_shared;
const char *tdom_name = "?";

static struct {
	evtchn_port_t port;
	tdom_event_fn fn;
	void *arg;
} handlers[MAX_HANDLERS];
static unsigned handler_count;
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
	struct vcpu_time_info *t = &tdom_shared->vcpu_info[0].time;
	uint32_t version;
	uint64_t ns;

	do {
		version = __atomic_load_n(&t->version, __ATOMIC_ACQUIRE);
		uint64_t delta = rdtsc() - t->tsc_timestamp;

		if (t->tsc_shift >= 0)
			delta <<= t->tsc_shift;
		else
			delta >>= -t->tsc_shift;
		ns = t->system_time + (uint64_t)(((unsigned __int128)delta *
						  t->tsc_to_system_mul) >>
						 32);
	} while ((version & 1) ||
		 version != __atomic_load_n(&t->version, __ATOMIC_ACQUIRE));
	return ns;
}

void tdom_on_event(evtchn_port_t port, tdom_event_fn fn, void *arg)
{
	struct evtchn_unmask u = {.port = port};

	if (handler_count < MAX_HANDLERS)
		handlers[handler_count++] =
		    (typeof(handlers[0])){port, fn, arg};
	/* Mask, then unmask: an event that came before the handler is raised
	 * again now. */
	__atomic_fetch_or(&tdom_shared->evtchn_mask[port / 64],
			  1ULL << (port % 64), __ATOMIC_ACQ_REL);
	HC(__HYPERVISOR_event_channel_op, EVTCHNOP_unmask, &u, 0);
}

static int handler_of(evtchn_port_t port)
{
	for (unsigned i = 0; i < handler_count; i++) {
		if (handlers[i].port == port)
			return i;
	}
	return -1;
}

/* Called from the upcall with events masked: the 2-level scan. */
void tdom_handle_events(void)
{
	struct vcpu_info *vi = &tdom_shared->vcpu_info[0];

	while (__atomic_exchange_n(&vi->evtchn_upcall_pending, 0,
				   __ATOMIC_ACQ_REL)) {
		uint64_t sel = __atomic_exchange_n(&vi->evtchn_pending_sel, 0,
						   __ATOMIC_ACQ_REL);

		while (sel) {
			unsigned w = __builtin_ctzll(sel);
			uint64_t bits;

			sel &= sel - 1;
			bits = __atomic_load_n(&tdom_shared->evtchn_pending[w],
					       __ATOMIC_ACQUIRE) &
			       ~tdom_shared->evtchn_mask[w];
			while (bits) {
				unsigned b = __builtin_ctzll(bits);
				int h = handler_of(w * 64 + b);

				bits &= bits - 1;
				/* An event for a port with no handler yet stays
				 * pending: registering the handler unmasks the
				 * port, which raises it again. */
				if (h < 0)
					continue;
				__atomic_fetch_and(
				    &tdom_shared->evtchn_pending[w],
				    ~(1ULL << b), __ATOMIC_ACQ_REL);
				handlers[h].fn(w * 64 + b, handlers[h].arg);
			}
		}
	}
}

extern char tdom_upcall_entry[];

static void on_timer(evtchn_port_t port, void *arg)
{
	timer_fired = true;
}

void tdom_events_init(void)
{
	struct callback_register cb = {
	    .type = CALLBACKTYPE_event,
	    .address = (uint64_t)tdom_upcall_entry,
	};

	HC(__HYPERVISOR_callback_op, CALLBACKOP_register, &cb, 0);
	if (tdom_bind_virq(VIRQ_TIMER, &timer_port) == 0)
		tdom_on_event(timer_port, on_timer, NULL);
	tdom_shared->vcpu_info[0].evtchn_upcall_mask = 0;
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

	tdom_si = si;
	tdom_shared = (struct shared_info *)si->shared_info;
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
