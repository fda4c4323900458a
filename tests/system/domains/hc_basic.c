// SPDX-License-Identifier: GPL-2.0-only
/*
 * Hypercalls, normal and hostile: every bad argument gets a clean error and
 * the domain goes on. Also time, the one-shot timer and event upcalls.
 */
#include "tdom.h"
#include <atoll/hypercall.h>
#include <atoll/domctl.h>
#include <xen/version.h>
#include <xen/vcpu.h>

static void console_checks(void)
{
	static const char msg[] = "console_io from a test domain\n";

	CHECK_EQ(
	    HC(__HYPERVISOR_console_io, CONSOLEIO_write, sizeof(msg) - 1, msg),
	    0);
	/* Pointers into the core, into nothing, or wrapping: -EFAULT. */
	CHECK_EQ(
	    HC(__HYPERVISOR_console_io, CONSOLEIO_write, 16, TDOM_CORE_ADDR),
	    -XEN_EFAULT);
	CHECK_EQ(HC(__HYPERVISOR_console_io, CONSOLEIO_write, 16,
		    TDOM_UNMAPPED_ADDR),
		 -XEN_EFAULT);
	CHECK_EQ(HC(__HYPERVISOR_console_io, CONSOLEIO_write, 64, -16LL),
		 -XEN_EFAULT);
	/* Reading the console needs the console capability. */
	CHECK_EQ(HC(__HYPERVISOR_console_io, CONSOLEIO_read, 1, msg),
		 -XEN_EPERM);
	CHECK_EQ(HC(__HYPERVISOR_console_io, 99, 1, msg), -XEN_ENOSYS);
}

static void dispatch_checks(void)
{
	struct atoll_domctl op = {.cmd = ATOLL_DOMCTL_getinfo};

	CHECK_EQ(HC(__HYPERVISOR_atoll_test, ATOLL_TEST_null, 0, 0), 0);
	CHECK_EQ(HC(1000, 0, 0, 0), -XEN_ENOSYS);
	CHECK_EQ(HC(0xffffffffu, 0, 0, 0), -XEN_ENOSYS);
	CHECK_EQ(HC(__HYPERVISOR_physdev_op, 0, 0, 0), -XEN_ENOSYS);
	/* domctl needs the capability this domain was not given. */
	CHECK_EQ(HC(__HYPERVISOR_atoll_domctl, &op, 0, 0), -XEN_EPERM);
	CHECK(HC(__HYPERVISOR_xen_version, XENVER_version, 0, 0) >= 0);
	CHECK_EQ(HC(__HYPERVISOR_xen_version, XENVER_extraversion,
		    TDOM_CORE_ADDR, 0),
		 -XEN_EFAULT);
}

static void sched_checks(void)
{
	struct sched_shutdown bad = {.reason = 77};

	CHECK_EQ(HC(__HYPERVISOR_sched_op, SCHEDOP_yield, 0, 0), 0);
	CHECK_EQ(HC(__HYPERVISOR_sched_op, 1234, 0, 0), -XEN_ENOSYS);
	CHECK_EQ(HC(__HYPERVISOR_sched_op, SCHEDOP_shutdown, &bad, 0),
		 -XEN_EINVAL);
	CHECK_EQ(HC(__HYPERVISOR_sched_op, SCHEDOP_shutdown, TDOM_CORE_ADDR, 0),
		 -XEN_EFAULT);
	CHECK_EQ(HC(__HYPERVISOR_vcpu_op, VCPUOP_set_singleshot_timer, 5, 0),
		 -XEN_ENOENT);
	CHECK_EQ(HC(__HYPERVISOR_vcpu_op, VCPUOP_set_singleshot_timer, 0,
		    TDOM_UNMAPPED_ADDR),
		 -XEN_EFAULT);
}

static void poll_checks(void)
{
	struct evtchn_alloc_unbound a = {.dom = DOMID_SELF,
					 .remote_dom = DOMID_SELF};
	struct sched_poll p = {.nr_ports = 1};
	evtchn_port_t port;
	uint64_t t0;

	CHECK_EQ(
	    HC(__HYPERVISOR_event_channel_op, EVTCHNOP_alloc_unbound, &a, 0),
	    0);
	port = a.port;
	p.ports = (uint64_t)&port;
	/* Nothing pending: SCHEDOP_poll sleeps until its timeout. */
	t0 = tdom_now_ns();
	p.timeout = t0 + 3000000;
	CHECK_EQ(HC(__HYPERVISOR_sched_op, SCHEDOP_poll, &p, 0), 0);
	CHECK(tdom_now_ns() - t0 >= 3000000);
	/* Hostile: too many ports, a bad list, a bad port. */
	p.nr_ports = 9;
	CHECK_EQ(HC(__HYPERVISOR_sched_op, SCHEDOP_poll, &p, 0), -XEN_EINVAL);
	p.nr_ports = 1;
	p.ports = TDOM_CORE_ADDR;
	CHECK_EQ(HC(__HYPERVISOR_sched_op, SCHEDOP_poll, &p, 0), -XEN_EFAULT);
	port = 100000;
	p.ports = (uint64_t)&port;
	CHECK_EQ(HC(__HYPERVISOR_sched_op, SCHEDOP_poll, &p, 0), -XEN_EINVAL);
}

static void time_checks(void)
{
	uint64_t t0 = tdom_now_ns(), t1;

	CHECK(t0 > 0);
	tdom_sleep_ns(5000000); /* 5 ms, on the one-shot timer + VIRQ_TIMER */
	t1 = tdom_now_ns();
	CHECK(t1 - t0 >= 5000000);
	CHECK(t1 - t0 < 2000000000ULL);
}

int tmain(const char *args)
{
	/* Boot modules are the toolstack's only. */
	CHECK_EQ(tdom_si->mod_start, 0);
	CHECK_EQ(tdom_si->mod_len, 0);
	console_checks();
	dispatch_checks();
	sched_checks();
	time_checks();
	poll_checks();
	tprintf("all hypercall checks done\n");
	return 0;
}
