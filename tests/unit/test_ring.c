// SPDX-License-Identifier: GPL-2.0-only
/*
 * xen/io/ring.h, the shared ring every frontend and backend uses: sizes,
 * a frontend and backend exchanging requests across index wrap-around
 * (32-bit counters started near 2^32), notification hold-off, and a
 * hostile peer publishing absurd indices.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <xen/io/ring.h>

struct test_req {
	uint64_t id;
	uint32_t op, pad;
};
struct test_rsp {
	uint64_t id;
	int32_t status, pad;
};
DEFINE_RING_TYPES(test, struct test_req, struct test_rsp);

#define PAGE 4096

static _Alignas(4096) unsigned char page[PAGE];
static struct test_sring *sring = (struct test_sring *)page;
static struct test_front_ring front;
static struct test_back_ring back;

static void attach_at(RING_IDX start)
{
	memset(page, 0xee, sizeof(page));
	SHARED_RING_INIT(sring);
	sring->req_prod = sring->rsp_prod = start;
	FRONT_RING_ATTACH(&front, sring, start, PAGE);
	BACK_RING_ATTACH(&back, sring, start, PAGE);
}

static void ring_size_is_power_of_two_that_fits(void **state)
{
	attach_at(0);
	/* 16-byte slots: (4096 - 64) / 16 = 252, rounded down to 128. */
	assert_int_equal(RING_SIZE(&front), 128);
	assert_int_equal(__CONST_RING_SIZE(test, PAGE), 128);
	assert_int_equal(offsetof(struct test_sring, ring), 64);
	assert_int_equal(RING_FREE_REQUESTS(&front), 128);
}

/* Fills the ring, serves it, three rounds over the 2^32 wrap. */
static void requests_and_responses_across_wrap(void **state)
{
	uint64_t next_id = 0, expect_id = 0;

	attach_at(UINT32_MAX - 100);
	for (int round = 0; round < 6; round++) {
		int notify;

		while (!RING_FULL(&front)) {
			struct test_req *rq =
			    RING_GET_REQUEST(&front, front.req_prod_pvt++);

			rq->id = next_id++;
			rq->op = 7;
		}
		RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(&front, notify);
		(void)notify; /* hold-off has its own test */
		assert_false(
		    RING_REQUEST_PROD_OVERFLOW(&back, sring->req_prod));
		assert_int_equal(RING_HAS_UNCONSUMED_REQUESTS(&back), 128);
		while (RING_HAS_UNCONSUMED_REQUESTS(&back)) {
			struct test_req rq;
			struct test_rsp *rs;

			assert_false(
			    RING_REQUEST_CONS_OVERFLOW(&back, back.req_cons));
			RING_COPY_REQUEST(&back, back.req_cons++, &rq);
			rs = RING_GET_RESPONSE(&back, back.rsp_prod_pvt++);
			rs->id = rq.id;
			rs->status = (int32_t)rq.op;
		}
		RING_PUSH_RESPONSES(&back);
		assert_false(
		    RING_RESPONSE_PROD_OVERFLOW(&front, sring->rsp_prod));
		while (RING_HAS_UNCONSUMED_RESPONSES(&front)) {
			struct test_rsp rs;

			RING_COPY_RESPONSE(&front, front.rsp_cons++, &rs);
			assert_int_equal(rs.id, expect_id++);
			assert_int_equal(rs.status, 7);
		}
	}
	assert_int_equal(expect_id, 6 * 128);
	assert_true(front.req_prod_pvt < 1000); /* it did wrap */
}

/* The producer notifies only when it crosses the consumer's event. */
static void notification_hold_off(void **state)
{
	int notify, work;

	attach_at(UINT32_MAX - 1);
	/* A fresh ring wants an event for the first request. */
	sring->req_event = front.req_prod_pvt + 1;
	RING_GET_REQUEST(&front, front.req_prod_pvt++)->id = 1;
	RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(&front, notify);
	assert_true(notify);
	/* The backend is busy (has not re-armed): no event. */
	RING_GET_REQUEST(&front, front.req_prod_pvt++)->id = 2;
	RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(&front, notify);
	assert_false(notify);
	/* It consumes both, re-arms and finds nothing: the next one wakes. */
	back.req_cons += 2;
	back.rsp_prod_pvt += 2;
	RING_FINAL_CHECK_FOR_REQUESTS(&back, work);
	assert_false(work);
	RING_GET_REQUEST(&front, front.req_prod_pvt++)->id = 3;
	RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(&front, notify);
	assert_true(notify);
	/* A request published while it re-arms is found by the final check. */
	RING_FINAL_CHECK_FOR_REQUESTS(&back, work);
	assert_int_equal(work, 1);
}

/* A frontend claiming more requests than the ring has slots. */
static void hostile_request_producer(void **state)
{
	RING_IDX bogus[] = {back.rsp_prod_pvt + 129, back.rsp_prod_pvt - 1,
			    back.rsp_prod_pvt + 0x80000000u};

	for (size_t i = 0; i < sizeof(bogus) / sizeof(bogus[0]); i++) {
		attach_at(12345);
		sring->req_prod = 12345 + bogus[i] - back.rsp_prod_pvt;
		assert_true(RING_REQUEST_PROD_OVERFLOW(&back, sring->req_prod));
		/* Even unchecked, the backend never sees more than a ring. */
		assert_true(RING_HAS_UNCONSUMED_REQUESTS(&back) <= 128);
	}
	/* Exactly a full ring is honest. */
	attach_at(12345);
	sring->req_prod = 12345 + 128;
	assert_false(RING_REQUEST_PROD_OVERFLOW(&back, sring->req_prod));
	assert_int_equal(RING_HAS_UNCONSUMED_REQUESTS(&back), 128);
	/* A backend that kept consuming past the ring is stopped. */
	assert_true(RING_REQUEST_CONS_OVERFLOW(&back, back.req_cons + 128));
}

/* Unanswered requests limit how far a lying req_prod can reach. */
static void hostile_producer_cannot_overrun_pending_responses(void **state)
{
	attach_at(0);
	sring->req_prod = 100;
	back.req_cons = 100; /* consumed, not yet answered */
	sring->req_prod = 100 + 1000;
	assert_true(RING_REQUEST_PROD_OVERFLOW(&back, sring->req_prod));
	assert_int_equal(RING_HAS_UNCONSUMED_REQUESTS(&back), 28);
}

/* A backend claiming responses for requests never made. */
static void hostile_response_producer(void **state)
{
	attach_at(UINT32_MAX - 5);
	sring->rsp_prod = front.rsp_cons + 129;
	assert_true(RING_RESPONSE_PROD_OVERFLOW(&front, sring->rsp_prod));
	sring->rsp_prod = front.rsp_cons - 1;
	assert_true(RING_RESPONSE_PROD_OVERFLOW(&front, sring->rsp_prod));
	sring->rsp_prod = front.rsp_cons + 3;
	assert_false(RING_RESPONSE_PROD_OVERFLOW(&front, sring->rsp_prod));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(ring_size_is_power_of_two_that_fits),
	    cmocka_unit_test(requests_and_responses_across_wrap),
	    cmocka_unit_test(notification_hold_off),
	    cmocka_unit_test(hostile_request_producer),
	    cmocka_unit_test(hostile_producer_cannot_overrun_pending_responses),
	    cmocka_unit_test(hostile_response_producer),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
