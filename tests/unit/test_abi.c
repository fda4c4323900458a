// SPDX-License-Identifier: GPL-2.0-only
/*
 * The public ABI headers: all of them together in one translation unit (so
 * that clashing names fail to compile), their layouts against the offsets
 * Xen's x86_64 ABI has, the ring macros exercised on a real page, and the
 * Atoll layout constants checked for overlaps.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include <xen/xen.h>
#include <xen/errno.h>
#include <xen/event_channel.h>
#include <xen/grant_table.h>
#include <xen/memory.h>
#include <xen/sched.h>
#include <xen/vcpu.h>
#include <xen/version.h>
#include <xen/callback.h>
#include <xen/physdev.h>
#include <xen/io/ring.h>
#include <atoll/hypercall.h>
#include <atoll/domctl.h>
#include <atoll/caps.h>
#include <atoll/layout.h>

#define assert_offset(type, field, want)                                       \
	assert_int_equal(offsetof(type, field), want)

static void test_shared_info_layout(void **state)
{
	assert_int_equal(sizeof(struct vcpu_time_info), 32);
	assert_offset(struct vcpu_time_info, tsc_timestamp, 8);
	assert_offset(struct vcpu_time_info, system_time, 16);
	assert_offset(struct vcpu_time_info, tsc_to_system_mul, 24);
	assert_offset(struct vcpu_time_info, tsc_shift, 28);
	assert_offset(struct vcpu_time_info, flags, 29);

	assert_int_equal(sizeof(struct vcpu_info), 64);
	assert_offset(struct vcpu_info, evtchn_upcall_mask, 1);
	assert_offset(struct vcpu_info, evtchn_pending_sel, 8);
	assert_offset(struct vcpu_info, arch.cr2, 16);
	assert_offset(struct vcpu_info, time, 32);

	assert_offset(struct shared_info, vcpu_info[1], 64);
	assert_offset(struct shared_info, evtchn_pending, 2048);
	assert_offset(struct shared_info, evtchn_mask, 2560);
	assert_offset(struct shared_info, wc_version, 3072);
	assert_offset(struct shared_info, wc_sec, 3076);
	assert_offset(struct shared_info, wc_nsec, 3080);
	assert_offset(struct shared_info, wc_sec_hi, 3084);
	assert_offset(struct shared_info, arch, 3088);
	assert_offset(struct shared_info, arch.p2m_generation, 3128);
	assert_int_equal(sizeof(struct shared_info), 3136);

	/* One bit per port in the 2-level bitmaps. */
	assert_int_equal(sizeof(((struct shared_info *)0)->evtchn_pending) * 8,
			 EVTCHN_2L_NR_CHANNELS);
	assert_int_equal(EVTCHN_2L_NR_CHANNELS, 4096);
}

static void test_start_info_layout(void **state)
{
	assert_offset(struct start_info, nr_pages, 32);
	assert_offset(struct start_info, shared_info, 40);
	assert_offset(struct start_info, flags, 48);
	assert_offset(struct start_info, store_mfn, 56);
	assert_offset(struct start_info, store_evtchn, 64);
	assert_offset(struct start_info, console.domU.mfn, 72);
	assert_offset(struct start_info, console.domU.evtchn, 80);
	assert_offset(struct start_info, console.dom0.info_size, 76);
	assert_offset(struct start_info, pt_base, 88);
	assert_offset(struct start_info, nr_pt_frames, 96);
	assert_offset(struct start_info, mfn_list, 104);
	assert_offset(struct start_info, mod_start, 112);
	assert_offset(struct start_info, mod_len, 120);
	assert_offset(struct start_info, cmd_line, 128);
	assert_offset(struct start_info, first_p2m_pfn, 1152);
	assert_offset(struct start_info, nr_p2m_frames, 1160);
	assert_int_equal(sizeof(struct start_info), 1168);
	assert_true(sizeof(XEN_START_INFO_MAGIC) <=
		    sizeof(((struct start_info *)0)->magic));
	assert_int_equal(strncmp(XEN_START_INFO_MAGIC, "xen-3.0", 7), 0);

	assert_offset(struct iret_context, r11, 8);
	assert_offset(struct iret_context, flags, 24);
	assert_offset(struct iret_context, rip, 32);
	assert_offset(struct iret_context, ss, 64);
	assert_int_equal(VGCF_in_syscall, 0x100);
}

static void test_evtchn_layout(void **state)
{
	assert_offset(struct evtchn_alloc_unbound, remote_dom, 2);
	assert_offset(struct evtchn_alloc_unbound, port, 4);
	assert_offset(struct evtchn_bind_interdomain, remote_port, 4);
	assert_offset(struct evtchn_bind_interdomain, local_port, 8);
	assert_offset(struct evtchn_bind_virq, port, 8);
	assert_offset(struct evtchn_bind_ipi, port, 4);
	assert_offset(struct evtchn_status, port, 4);
	assert_offset(struct evtchn_status, status, 8);
	assert_offset(struct evtchn_status, vcpu, 12);
	assert_offset(struct evtchn_status, u.interdomain.dom, 16);
	assert_offset(struct evtchn_status, u.interdomain.port, 20);
	assert_offset(struct evtchn_bind_vcpu, vcpu, 4);
}

static void test_gnttab_layout(void **state)
{
	assert_offset(struct grant_entry_v1, domid, 2);
	assert_offset(struct grant_entry_v1, frame, 4);
	assert_int_equal(GNTTAB_ENTRIES_PER_FRAME_V1, 512);

	assert_offset(struct gnttab_map_grant_ref, flags, 8);
	assert_offset(struct gnttab_map_grant_ref, ref, 12);
	assert_offset(struct gnttab_map_grant_ref, dom, 16);
	assert_offset(struct gnttab_map_grant_ref, status, 18);
	assert_offset(struct gnttab_map_grant_ref, handle, 20);
	assert_offset(struct gnttab_map_grant_ref, dev_bus_addr, 24);
	assert_offset(struct gnttab_unmap_grant_ref, handle, 16);
	assert_offset(struct gnttab_unmap_grant_ref, status, 20);
	assert_offset(struct gnttab_setup_table, nr_frames, 4);
	assert_offset(struct gnttab_setup_table, status, 8);
	assert_offset(struct gnttab_setup_table, frame_list, 16);
	assert_offset(struct gnttab_copy_ptr, domid, 8);
	assert_offset(struct gnttab_copy_ptr, offset, 10);
	assert_offset(struct gnttab_copy, dest, 16);
	assert_offset(struct gnttab_copy, len, 32);
	assert_offset(struct gnttab_copy, flags, 34);
	assert_offset(struct gnttab_copy, status, 36);
	assert_offset(struct gnttab_query_size, nr_frames, 4);
	assert_offset(struct gnttab_query_size, max_nr_frames, 8);
	assert_offset(struct gnttab_query_size, status, 12);
	assert_offset(struct gnttab_transfer, ref, 12);
	assert_offset(struct gnttab_transfer, status, 16);
}

static void test_other_layouts(void **state)
{
	assert_offset(struct xen_memory_reservation, nr_extents, 8);
	assert_offset(struct xen_memory_reservation, extent_order, 16);
	assert_offset(struct xen_memory_reservation, mem_flags, 20);
	assert_offset(struct xen_memory_reservation, domid, 24);

	assert_offset(struct sched_poll, nr_ports, 8);
	assert_offset(struct sched_poll, timeout, 16);
	assert_offset(struct sched_remote_shutdown, reason, 4);

	assert_offset(struct vcpu_set_singleshot_timer, flags, 8);
	assert_offset(struct vcpu_runstate_info, state_entry_time, 8);
	assert_offset(struct vcpu_runstate_info, time, 16);

	assert_offset(struct callback_register, address, 8);

	assert_offset(struct physdev_map_pirq, type, 4);
	assert_offset(struct physdev_map_pirq, pirq, 12);
	assert_offset(struct physdev_map_pirq, entry_nr, 24);
	assert_offset(struct physdev_map_pirq, table_base, 32);
	assert_offset(struct physdev_unmap_pirq, pirq, 4);

	assert_offset(struct xen_compile_info, compile_by, 64);
	assert_offset(struct xen_compile_info, compile_date, 112);

	assert_offset(struct atoll_domctl, domain, 8);
	assert_offset(struct atoll_domctl, u, 16);
	assert_offset(struct atoll_caps_query, caps, 8);
}

/* Numbers Xen's clients rely on; a typo here would be silent otherwise. */
static void test_numbers(void **state)
{
	static const int64_t pairs[][2] = {
	    {__HYPERVISOR_memory_op, 12},
	    {__HYPERVISOR_xen_version, 17},
	    {__HYPERVISOR_console_io, 18},
	    {__HYPERVISOR_grant_table_op, 20},
	    {__HYPERVISOR_iret, 23},
	    {__HYPERVISOR_vcpu_op, 24},
	    {__HYPERVISOR_sched_op, 29},
	    {__HYPERVISOR_callback_op, 30},
	    {__HYPERVISOR_event_channel_op, 32},
	    {__HYPERVISOR_physdev_op, 33},
	    {__HYPERVISOR_atoll_domctl, 64},
	    {DOMID_SELF, 0x7FF0},
	    {DOMID_INVALID, 0x7FF4},
	    {NR_VIRQS, 24},
	    {VIRQ_DOM_EXC, 3},
	    {EVTCHNOP_alloc_unbound, 6},
	    {EVTCHNOP_unmask, 9},
	    {GNTTABOP_copy, 5},
	    {GNTTABOP_query_size, 6},
	    {GNTST_eagain, -12},
	    {XENMEM_populate_physmap, 6},
	    {XENMEM_maximum_gpfn, 14},
	    {SCHEDOP_shutdown, 2},
	    {SCHEDOP_watchdog, 6},
	    {SHUTDOWN_crash, 3},
	    {VCPUOP_set_singleshot_timer, 8},
	    {VCPUOP_stop_singleshot_timer, 9},
	    {CALLBACKTYPE_event, 0},
	    {PHYSDEVOP_eoi, 12},
	    {PHYSDEVOP_map_pirq, 13},
	    {XEN_EINVAL, 22},
	    {XEN_ENOSYS, 38},
	    {XEN_ERESTART, 85},
	    {XEN_ECONNREFUSED, 111},
	};

	for (size_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++)
		assert_int_equal(pairs[i][0], pairs[i][1]);
}

/* A ring like blkif's: 112-byte requests, 16-byte responses. */
struct test_req {
	uint64_t id;
	uint8_t payload[104];
};
struct test_rsp {
	uint64_t id;
	int16_t status;
	uint8_t pad[6];
};
DEFINE_RING_TYPES(test, struct test_req, struct test_rsp);

/* Like blkif's ring: (4096 - 64) / 112 = 36 slots, rounded down to 32. */
_Static_assert(__CONST_RING_SIZE(test, 4096) == 32, "constant expression");

struct ring_pair {
	struct test_sring *page;
	struct test_front_ring front;
	struct test_back_ring back;
};

static struct ring_pair *ring_new(RING_IDX start)
{
	struct ring_pair *p = calloc(1, sizeof(*p));

	assert_non_null(p);
	p->page = aligned_alloc(4096, 4096);
	assert_non_null(p->page);
	memset(p->page, 0xA5, 4096);
	SHARED_RING_INIT(p->page);
	FRONT_RING_ATTACH(&p->front, p->page, start, 4096);
	BACK_RING_ATTACH(&p->back, p->page, start, 4096);
	p->page->req_prod = start;
	p->page->rsp_prod = start;
	p->page->req_event = start + 1;
	p->page->rsp_event = start + 1;
	return p;
}

static void ring_free(struct ring_pair *p)
{
	free(p->page);
	free(p);
}

static void test_ring_pow2(void **state)
{
	assert_int_equal(XEN_RING_POW2_FLOOR(0), 0);
	assert_int_equal(XEN_RING_POW2_FLOOR(1), 1);
	assert_int_equal(XEN_RING_POW2_FLOOR(3), 2);
	assert_int_equal(XEN_RING_POW2_FLOOR(36), 32);
	assert_int_equal(XEN_RING_POW2_FLOOR(64), 64);
	assert_int_equal(XEN_RING_POW2_FLOOR(0xFFFFFFFFU), 0x80000000U);
}

static void test_ring_init(void **state)
{
	struct ring_pair *p = ring_new(0);
	uint8_t *bytes = (uint8_t *)p->page;

	assert_int_equal(offsetof(struct test_sring, ring), 64);
	assert_int_equal(offsetof(struct test_sring, pvt), 16);
	assert_int_equal(RING_SIZE(&p->front), 32);
	assert_int_equal(RING_SIZE(&p->back), 32);
	assert_int_equal(RING_FREE_REQUESTS(&p->front), 32);
	assert_false(RING_FULL(&p->front));
	assert_int_equal(p->page->req_event, 1);
	assert_int_equal(p->page->rsp_event, 1);
	for (int i = 16; i < 64; i++)
		assert_int_equal(bytes[i], 0);
	/* The slots are left alone. */
	assert_int_equal(bytes[64], 0xA5);
	ring_free(p);
}

/* Front sends n requests; returns whether the backend must be notified. */
static int front_send(struct ring_pair *p, int n, uint64_t first_id)
{
	int notify;

	for (int i = 0; i < n; i++) {
		struct test_req *req =
		    RING_GET_REQUEST(&p->front, p->front.req_prod_pvt);
		req->id = first_id + i;
		p->front.req_prod_pvt++;
	}
	RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(&p->front, notify);
	return notify;
}

/* Back answers every request it sees; returns how many. */
static int back_serve(struct ring_pair *p, int *notify)
{
	int served = 0;
	int more;

	do {
		while (RING_HAS_UNCONSUMED_REQUESTS(&p->back)) {
			struct test_req req;
			struct test_rsp *rsp;

			RING_COPY_REQUEST(&p->back, p->back.req_cons, &req);
			p->back.req_cons++;
			rsp = RING_GET_RESPONSE(&p->back, p->back.rsp_prod_pvt);
			rsp->id = req.id;
			rsp->status = 0;
			p->back.rsp_prod_pvt++;
			served++;
		}
		RING_PUSH_RESPONSES_AND_CHECK_NOTIFY(&p->back, *notify);
		RING_FINAL_CHECK_FOR_REQUESTS(&p->back, more);
	} while (more);
	return served;
}

static void ring_round_trips(RING_IDX start)
{
	struct ring_pair *p = ring_new(start);
	uint64_t next_id = 1, want_id = 1;

	for (int round = 0; round < 40; round++) {
		int n = 1 + round % 32;
		int notify, more;

		/* The backend asked for an event at the next request. */
		assert_true(front_send(p, n, next_id));
		next_id += n;
		assert_int_equal(RING_FREE_REQUESTS(&p->front), 32 - n);
		assert_int_equal(n == 32, RING_FULL(&p->front));
		assert_false(
		    RING_REQUEST_PROD_OVERFLOW(&p->back, p->page->req_prod));

		assert_int_equal(back_serve(p, &notify), n);
		assert_true(notify);
		/* Nothing more: the backend re-armed req_event and sleeps. */
		assert_int_equal(p->page->req_event, p->back.req_cons + 1);

		assert_int_equal(RING_HAS_UNCONSUMED_RESPONSES(&p->front), n);
		while (RING_HAS_UNCONSUMED_RESPONSES(&p->front)) {
			struct test_rsp *rsp =
			    RING_GET_RESPONSE(&p->front, p->front.rsp_cons);
			assert_int_equal(rsp->id, want_id++);
			p->front.rsp_cons++;
		}
		RING_FINAL_CHECK_FOR_RESPONSES(&p->front, more);
		assert_false(more);
		assert_int_equal(p->page->rsp_event, p->front.rsp_cons + 1);
		assert_int_equal(RING_FREE_REQUESTS(&p->front), 32);
	}
	assert_int_equal(next_id, want_id);
	ring_free(p);
}

static void test_ring_round_trips(void **state)
{
	ring_round_trips(0);
}

/* The same across the 32-bit wrap of the free-running indices. */
static void test_ring_index_wrap(void **state)
{
	ring_round_trips(UINT32_MAX - 100);
}

/* No event while the consumer has not asked for one. */
static void test_ring_notify_holdoff(void **state)
{
	struct ring_pair *p = ring_new(0);
	int notify;

	assert_true(front_send(p, 1, 1));
	/* The backend has not looked yet: req_event is still 1. */
	assert_false(front_send(p, 1, 2));
	assert_false(front_send(p, 3, 3));
	assert_int_equal(RING_HAS_UNCONSUMED_REQUESTS(&p->back), 5);
	assert_int_equal(back_serve(p, &notify), 5);
	assert_true(front_send(p, 2, 6));
	ring_free(p);
}

/* A frontend that lies about req_prod cannot make the backend overrun. */
static void test_ring_hostile_prod(void **state)
{
	struct ring_pair *p = ring_new(0);

	p->page->req_prod = 1000;
	assert_true(RING_REQUEST_PROD_OVERFLOW(&p->back, p->page->req_prod));
	assert_int_equal(RING_HAS_UNCONSUMED_REQUESTS(&p->back), 32);
	p->back.req_cons = 32;
	assert_true(RING_REQUEST_CONS_OVERFLOW(&p->back, p->back.req_cons));
	assert_int_equal(RING_HAS_UNCONSUMED_REQUESTS(&p->back), 0);

	p->page->rsp_prod = 33;
	assert_true(RING_RESPONSE_PROD_OVERFLOW(&p->front, p->page->rsp_prod));
	ring_free(p);
}

static void test_caps(void **state)
{
#define CAP_ENTRY(name, bit, str) {ATOLL_CAP_##name, 1ULL << (bit), str},
	static const struct {
		uint64_t mask;
		uint64_t from_bit;
		const char *name;
	} caps[] = {ATOLL_CAP_LIST(CAP_ENTRY)};
#undef CAP_ENTRY
	uint64_t all = 0;

	assert_int_equal(sizeof(caps) / sizeof(caps[0]), ATOLL_CAP_COUNT);
	for (size_t i = 0; i < ATOLL_CAP_COUNT; i++) {
		assert_int_equal(caps[i].mask, caps[i].from_bit);
		assert_int_equal(all & caps[i].mask, 0);
		all |= caps[i].mask;
		for (size_t j = 0; j < i; j++)
			assert_string_not_equal(caps[i].name, caps[j].name);
	}
	assert_int_equal(all, ATOLL_CAP_ALL);
	assert_string_equal(ATOLL_CAP_NAME_DEVICE_ASSIGN, "device-assign");
	assert_string_equal(ATOLL_CAP_NAME_MEMORY_POLICY, "memory-policy");
}

static void test_layout(void **state)
{
	uint64_t gnttab_end =
	    ATOLL_GNTTAB_VA + ATOLL_GNTTAB_MAX_FRAMES * ATOLL_PAGE_SIZE;

	assert_int_equal(ATOLL_RAM_BASE, ATOLL_PAGE_SIZE);
	assert_true(ATOLL_RAM_LIMIT <= ATOLL_MMIO_WINDOW_BASE);
	assert_true(ATOLL_MMIO_WINDOW_BASE + ATOLL_MMIO_WINDOW_SIZE <=
		    ATOLL_GRANT_WINDOW_BASE);
	assert_true(ATOLL_GRANT_WINDOW_BASE + ATOLL_GRANT_WINDOW_SIZE <=
		    ATOLL_SPECIAL_BASE);
	assert_true(ATOLL_SHARED_INFO_VA < ATOLL_GNTTAB_VA);
	assert_true(gnttab_end <= ATOLL_DOMAIN_VA_LIMIT);
	assert_int_equal(ATOLL_SHARED_INFO_VA - ATOLL_START_INFO_VA, 0x1000);
	assert_int_equal(ATOLL_GNTTAB_VA % ATOLL_PAGE_SIZE, 0);
	assert_int_equal(sizeof(struct atoll_bounce_frame), 56);
	/* Popping rcx and r11 leaves a hardware iretq frame. */
	assert_int_equal(offsetof(struct atoll_bounce_frame, rip), 16);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_shared_info_layout),
	    cmocka_unit_test(test_start_info_layout),
	    cmocka_unit_test(test_evtchn_layout),
	    cmocka_unit_test(test_gnttab_layout),
	    cmocka_unit_test(test_other_layouts),
	    cmocka_unit_test(test_numbers),
	    cmocka_unit_test(test_ring_pow2),
	    cmocka_unit_test(test_ring_init),
	    cmocka_unit_test(test_ring_round_trips),
	    cmocka_unit_test(test_ring_index_wrap),
	    cmocka_unit_test(test_ring_notify_holdoff),
	    cmocka_unit_test(test_ring_hostile_prod),
	    cmocka_unit_test(test_caps),
	    cmocka_unit_test(test_layout),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
