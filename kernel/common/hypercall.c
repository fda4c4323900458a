// SPDX-License-Identifier: GPL-2.0-only
/*
 * Hypercall dispatch: one table, designated initialisers, a capability
 * column checked in one place. Arguments arrive as Xen's x86_64 PV ABI
 * passes them: rdi, rsi, rdx, r10, r8; the result goes back in rax.
 */
#include <atoll/arch.h>
#include <atoll/domain_build.h>
#include <atoll/evtchn.h>
#include <atoll/gnttab.h>
#include <atoll/guest.h>
#include <atoll/hcall.h>
#include <atoll/log.h>
#include <atoll/memory.h>
#include <atoll/printk.h>
#include <atoll/resource.h>
#include <atoll/sched.h>
#include <atoll/vcpu_arch.h>
#include <atoll/caps.h>
#include <atoll/hypercall.h>
#include <xen/errno.h>
#include <xen/xen.h>

typedef long (*hypercall_fn)(struct cpu_regs *frame);

struct hypercall {
	hypercall_fn fn;
	uint32_t caps; /* every one of these capabilities is needed */
};

static uint64_t hypercalls_made;

#define ARG1(f) ((f)->rdi)
#define ARG2(f) ((f)->rsi)
#define ARG3(f) ((f)->rdx)

static long hc_console_io(struct cpu_regs *f)
{
	return do_console_io(ARG1(f), ARG2(f), ARG3(f));
}

static long hc_sched_op(struct cpu_regs *f)
{
	return do_sched_op(ARG1(f), ARG2(f));
}

static long hc_vcpu_op(struct cpu_regs *f)
{
	return do_vcpu_op(ARG1(f), ARG2(f), ARG3(f));
}

static long hc_xen_version(struct cpu_regs *f)
{
	return do_xen_version(ARG1(f), ARG2(f));
}

static long hc_callback_op(struct cpu_regs *f)
{
	return do_callback_op(ARG1(f), ARG2(f));
}

static long hc_event_channel_op(struct cpu_regs *f)
{
	return do_event_channel_op(ARG1(f), ARG2(f));
}

static long hc_physdev_op(struct cpu_regs *f)
{
	return do_physdev_op(ARG1(f), ARG2(f));
}

static long hc_grant_table_op(struct cpu_regs *f)
{
	return do_grant_table_op(ARG1(f), ARG2(f), ARG3(f));
}

static long hc_memory_op(struct cpu_regs *f)
{
	return do_memory_op(ARG1(f), ARG2(f));
}

static long hc_iret(struct cpu_regs *f)
{
	return arch_do_iret(f);
}

static long hc_atoll_domctl(struct cpu_regs *f)
{
	return do_atoll_domctl(ARG1(f));
}

static long hc_atoll_caps(struct cpu_regs *f)
{
	return do_atoll_caps(ARG1(f), ARG2(f));
}

static long hc_atoll_test(struct cpu_regs *f)
{
	return do_atoll_test(ARG1(f), ARG2(f));
}

static long hc_atoll_mmio(struct cpu_regs *f)
{
	return do_atoll_mmio(ARG1(f), ARG2(f));
}

static const struct hypercall hypercalls[] = {
    [__HYPERVISOR_memory_op] = {hc_memory_op, 0},
    [__HYPERVISOR_xen_version] = {hc_xen_version, 0},
    [__HYPERVISOR_console_io] = {hc_console_io, 0},
    [__HYPERVISOR_grant_table_op] = {hc_grant_table_op, 0},
    [__HYPERVISOR_iret] = {hc_iret, 0},
    [__HYPERVISOR_vcpu_op] = {hc_vcpu_op, 0},
    [__HYPERVISOR_sched_op] = {hc_sched_op, 0},
    [__HYPERVISOR_callback_op] = {hc_callback_op, 0},
    [__HYPERVISOR_event_channel_op] = {hc_event_channel_op, 0},
    /* Checks per IRQ: only its holder may use it. */
    [__HYPERVISOR_physdev_op] = {hc_physdev_op, 0},
    /* Checks per command: getinfo needs less than the rest. */
    [__HYPERVISOR_atoll_domctl] = {hc_atoll_domctl, 0},
    [__HYPERVISOR_atoll_caps] = {hc_atoll_caps, 0},
    [__HYPERVISOR_atoll_test] = {hc_atoll_test, 0},
    /* Checks per range: only the holder of the frames may map them. */
    [__HYPERVISOR_atoll_mmio] = {hc_atoll_mmio, 0},
};

uint64_t hypercall_count(void)
{
	return hypercalls_made;
}

void hypercall_entry(struct cpu_regs *frame)
{
	uint64_t nr = frame->rax;
	struct domain *d = current_domain();
	const struct hypercall *hc =
	    nr < ARRAY_SIZE(hypercalls) ? &hypercalls[nr] : NULL;

	hypercalls_made++;
	if (!hc || !hc->fn)
		frame->rax = -XEN_ENOSYS;
	else if ((d->caps & hc->caps) != hc->caps)
		frame->rax = -XEN_EPERM;
	else
		frame->rax = hc->fn(frame);
	sched_exit_to_guest(frame);
}
