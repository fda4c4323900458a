// SPDX-License-Identifier: GPL-2.0-only
/*
 * Benchmarks of the primitives, measured inside the system. Under QEMU's
 * -icount shift=0 the TSC advances one tick per guest instruction, so TSC
 * deltas are path lengths (checked first with a loop of known length);
 * under plain TCG they follow host time. Prints BENCH lines; the harness
 * names the mode. Needs caps=domctl (for create/destroy).
 */
#include "tdom.h"
#include <atoll/caps.h>
#include <atoll/domctl.h>
#include <atoll/hypercall.h>
#include <atoll/layout.h>
#include <xen/grant_table.h>

#define N	   2000
#define LOOP_ITERS 1000000

extern const char child_image[], child_image_end[];
static uint8_t page_a[4096] __attribute__((aligned(4096)));
static uint8_t page_b[4096] __attribute__((aligned(4096)));

/* dec + jnz: exactly two instructions per iteration. */
static uint64_t time_known_loop(void)
{
	uint64_t n = LOOP_ITERS, t0 = rdtsc();

	__asm__ volatile("1: dec %0; jnz 1b" : "+r"(n));
	return rdtsc() - t0;
}

static uint64_t bench_null(void)
{
	uint64_t t0 = rdtsc();

	for (unsigned i = 0; i < N; i++)
		HC(__HYPERVISOR_atoll_test, ATOLL_TEST_null, 0, 0);
	return (rdtsc() - t0) / N;
}

static domid_t self_id(void)
{
	struct atoll_domctl op = {.cmd = ATOLL_DOMCTL_getinfo,
				  .interface_version =
				      ATOLL_DOMCTL_INTERFACE_VERSION,
				  .domain = DOMID_SELF};

	CHECK_EQ(HC(__HYPERVISOR_atoll_domctl, &op, 0, 0), 0);
	return op.domain;
}

static uint64_t bench_map_unmap(domid_t self)
{
	volatile struct grant_entry_v1 *gt = (void *)ATOLL_GNTTAB_VA;
	struct gnttab_map_grant_ref m = {.host_addr = ATOLL_GRANT_WINDOW_BASE,
					 .flags = GNTMAP_host_map,
					 .ref = 3,
					 .dom = self};
	struct gnttab_unmap_grant_ref u = {.host_addr =
					       ATOLL_GRANT_WINDOW_BASE};
	uint64_t t0;

	CHECK_EQ(tdom_gnttab_setup(1), 0);
	gt[3].domid = self;
	gt[3].frame = (uint64_t)page_a >> 12;
	gt[3].flags = GTF_permit_access;
	t0 = rdtsc();
	for (unsigned i = 0; i < N; i++) {
		HC(__HYPERVISOR_grant_table_op, GNTTABOP_map_grant_ref, &m, 1);
		u.handle = m.handle;
		HC(__HYPERVISOR_grant_table_op, GNTTABOP_unmap_grant_ref, &u,
		   1);
	}
	CHECK_EQ(m.status, GNTST_okay);
	CHECK_EQ(u.status, GNTST_okay);
	return (rdtsc() - t0) / N;
}

/*
 * 4 KiB grant copies, batched COPY_BATCH to a hypercall as a backend
 * would, against plain 4 KiB copies of the same pages in this domain.
 */
#define COPY_BATCH 16
static struct gnttab_copy copies[COPY_BATCH];

static void bench_copy(domid_t self, uint64_t *copy_ticks,
		       uint64_t *memcpy_ticks)
{
	uint64_t t0;

	for (unsigned i = 0; i < COPY_BATCH; i++)
		copies[i] = (struct gnttab_copy){
		    .source = {.u.ref = 3, .domid = self},
		    .dest = {.u.gmfn = (uint64_t)page_b >> 12,
			     .domid = DOMID_SELF},
		    .len = 4096,
		    .flags = GNTCOPY_source_gref};
	t0 = rdtsc();
	for (unsigned i = 0; i < N / COPY_BATCH; i++)
		HC(__HYPERVISOR_grant_table_op, GNTTABOP_copy, copies,
		   COPY_BATCH);
	*copy_ticks = rdtsc() - t0;
	for (unsigned i = 0; i < COPY_BATCH; i++)
		CHECK_EQ(copies[i].status, GNTST_okay);
	t0 = rdtsc();
	for (unsigned i = 0; i < N / COPY_BATCH * COPY_BATCH; i++) {
		__builtin_memcpy(page_b, page_a, 4096);
		__asm__ volatile("" ::: "memory");
	}
	*memcpy_ticks = rdtsc() - t0;
}

static volatile unsigned loop_events;

static void on_loop(evtchn_port_t port, void *arg)
{
	loop_events++;
}

/* Pieces of an event round trip, for finding where the time goes. */
static void bench_breakdown(void)
{
	struct evtchn_alloc_unbound a = {.dom = DOMID_SELF,
					 .remote_dom = DOMID_SELF};
	struct evtchn_bind_interdomain b = {.remote_dom = DOMID_SELF};
	uint64_t t0;

	t0 = rdtsc();
	for (unsigned i = 0; i < N; i++)
		HC(__HYPERVISOR_sched_op, SCHEDOP_yield, 0, 0);
	tprintf("BENCH-RAW part.yield_alone %llu\n",
		(unsigned long long)((rdtsc() - t0) / N));
	CHECK_EQ(
	    HC(__HYPERVISOR_event_channel_op, EVTCHNOP_alloc_unbound, &a, 0),
	    0);
	b.remote_port = a.port;
	CHECK_EQ(
	    HC(__HYPERVISOR_event_channel_op, EVTCHNOP_bind_interdomain, &b, 0),
	    0);
	tdom_on_event(a.port, on_loop, NULL);
	tdom_on_event(b.local_port, on_loop, NULL);
	t0 = rdtsc();
	for (unsigned i = 0; i < N; i++)
		tdom_send(b.local_port); /* upcall into on_loop, then iret */
	tprintf("BENCH-RAW part.send_upcall_iret %llu\n",
		(unsigned long long)((rdtsc() - t0) / N));
	CHECK(loop_events >= N);
}

static uint64_t bench_create_destroy(unsigned rounds, uint64_t *ns)
{
	struct atoll_domctl op;
	uint64_t t0 = rdtsc(), n0 = tdom_now_ns();

	for (unsigned i = 0; i < rounds; i++) {
		op = (struct atoll_domctl){.cmd = ATOLL_DOMCTL_create,
					   .interface_version =
					       ATOLL_DOMCTL_INTERFACE_VERSION};
		__builtin_memcpy(op.u.create.name, "benchchild", 11);
		op.u.create.nr_pages = 1024; /* 4 MiB */
		op.u.create.max_pages = 1024;
		op.u.create.vcpus = 1;
		op.u.create.image = (uint64_t)child_image;
		op.u.create.image_size = child_image_end - child_image;
		CHECK_EQ(HC(__HYPERVISOR_atoll_domctl, &op, 0, 0), 0);
		op.cmd = ATOLL_DOMCTL_destroy;
		CHECK_EQ(HC(__HYPERVISOR_atoll_domctl, &op, 0, 0), 0);
	}
	*ns = (tdom_now_ns() - n0) / rounds;
	return (rdtsc() - t0) / rounds;
}

extern const char rt_image[], rt_image_end[];

static void format_u64(char *out, uint64_t v)
{
	char digits[24];
	int n = 0;

	do {
		digits[n++] = '0' + v % 10;
		v /= 10;
	} while (v);
	while (n)
		*out++ = digits[--n];
	*out = '\0';
}

/*
 * Builds the runtime's minimal domain with the TSC read just before the
 * create on its command line; it prints the ticks until its main(). Waits
 * for it to finish, then destroys it.
 */
static void bench_start_to_main(void)
{
	static char cmdline[64] = "minimal t0=";
	struct atoll_domctl op = {.cmd = ATOLL_DOMCTL_create,
				  .interface_version =
				      ATOLL_DOMCTL_INTERFACE_VERSION};
	domid_t child;

	__builtin_memcpy(op.u.create.name, "minimal", 8);
	op.u.create.nr_pages = 64;
	op.u.create.max_pages = 64;
	op.u.create.vcpus = 1;
	op.u.create.image = (uint64_t)rt_image;
	op.u.create.image_size = rt_image_end - rt_image;
	op.u.create.cmdline = (uint64_t)cmdline;
	format_u64(cmdline + 11, rdtsc());
	op.u.create.cmdline_len = __builtin_strlen(cmdline);
	CHECK_EQ(HC(__HYPERVISOR_atoll_domctl, &op, 0, 0), 0);
	child = op.domain;
	op = (struct atoll_domctl){.cmd = ATOLL_DOMCTL_unpause,
				   .interface_version =
				       ATOLL_DOMCTL_INTERFACE_VERSION,
				   .domain = child};
	CHECK_EQ(HC(__HYPERVISOR_atoll_domctl, &op, 0, 0), 0);
	for (;;) {
		op = (struct atoll_domctl){.cmd = ATOLL_DOMCTL_getinfo,
					   .interface_version =
					       ATOLL_DOMCTL_INTERFACE_VERSION,
					   .domain = child};
		CHECK_EQ(HC(__HYPERVISOR_atoll_domctl, &op, 0, 0), 0);
		if (op.u.getinfo.flags & ATOLL_DOMINFO_shutdown)
			break;
		tdom_sleep_ns(1000000);
	}
	op = (struct atoll_domctl){.cmd = ATOLL_DOMCTL_destroy,
				   .interface_version =
				       ATOLL_DOMCTL_INTERFACE_VERSION,
				   .domain = child};
	CHECK_EQ(HC(__HYPERVISOR_atoll_domctl, &op, 0, 0), 0);
}

int tmain(const char *args)
{
	domid_t self = self_id();
	uint64_t copy_ticks, memcpy_ticks, cd_ns, cd_ticks;

	tprintf("calibration: %u-instruction loop took %llu TSC ticks\n",
		2 * LOOP_ITERS, (unsigned long long)time_known_loop());
	tprintf("BENCH-RAW hypercall.null %llu\n",
		(unsigned long long)bench_null());
	tprintf("BENCH-RAW gnttab.map_unmap %llu\n",
		(unsigned long long)bench_map_unmap(self));
	bench_copy(self, &copy_ticks, &memcpy_ticks);
	tprintf("BENCH-RAW gnttab.copy_ratio_x1000 %llu\n",
		(unsigned long long)(memcpy_ticks * 1000 / copy_ticks));
	tprintf(
	    "BENCH-RAW gnttab.copy4k %llu\n",
	    (unsigned long long)(copy_ticks / (N / COPY_BATCH * COPY_BATCH)));
	tprintf(
	    "BENCH-RAW memcpy4k %llu\n",
	    (unsigned long long)(memcpy_ticks / (N / COPY_BATCH * COPY_BATCH)));
	bench_breakdown();
	cd_ticks = bench_create_destroy(20, &cd_ns);
	tprintf("BENCH-RAW domain.create_destroy %llu\n",
		(unsigned long long)cd_ticks);
	tprintf("BENCH-RAW domain.create_destroy_ns %llu\n",
		(unsigned long long)cd_ns);
	bench_start_to_main();
	return 0;
}
