// SPDX-License-Identifier: GPL-2.0-only
/*
 * System time from vcpu_time_info, Xen's way: the hypervisor publishes
 * (system_time, tsc_timestamp, scale) under a version that is odd while it
 * writes; we scale the TSC delta since the timestamp. Needs no libc (the
 * freestanding test domains link it too).
 */
#include <rt/hypercall.h>
#include <rt/rt.h>

static uint64_t scale_delta(uint64_t delta, const struct vcpu_time_info *t)
{
	if (t->tsc_shift >= 0)
		delta <<= t->tsc_shift;
	else
		delta >>= -t->tsc_shift;
	return (uint64_t)(((unsigned __int128)delta * t->tsc_to_system_mul) >>
			  32);
}

uint64_t rt_now_ns(void)
{
	struct vcpu_time_info *t = &rt_shared->vcpu_info[0].time;
	uint32_t version;
	uint64_t ns;

	do {
		version = __atomic_load_n(&t->version, __ATOMIC_ACQUIRE);
		ns =
		    t->system_time + scale_delta(rdtsc() - t->tsc_timestamp, t);
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
	} while ((version & 1) ||
		 version != __atomic_load_n(&t->version, __ATOMIC_ACQUIRE));
	return ns;
}
