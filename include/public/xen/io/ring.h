/* SPDX-License-Identifier: MIT */
/*
 * The generic shared ring of Xen's split drivers (netif, blkif, pciif...):
 * one shared page holding a 64-byte header and a power-of-two array of
 * slots, each slot holding a request or a response. The frontend produces
 * requests and consumes responses; the backend does the reverse. Each side
 * also keeps private indices in its own memory.
 *
 * Indices are free-running 32-bit counters; a slot is index & (size - 1).
 * The *_event fields implement notification hold-off: a consumer sets
 * req_event / rsp_event to the index it wants to be woken at, and a
 * producer notifies (sends on the event channel) only when it publishes
 * past that index.
 *
 * The peer is another domain and may be hostile: a backend must check
 * RING_REQUEST_PROD_OVERFLOW before trusting req_prod, and should copy each
 * request out with RING_COPY_REQUEST before validating it.
 *
 * The shared indices are read and written with __atomic builtins and the
 * barriers are __atomic fences, so this header works unchanged in the core,
 * in domains and in host tools built with GCC or Clang.
 */
#ifndef ATOLL_PUBLIC_XEN_IO_RING_H
#define ATOLL_PUBLIC_XEN_IO_RING_H

#include "../xen.h"

typedef uint32_t RING_IDX;

/*
 * Barriers between a ring's data and its indices. Full barrier; loads
 * before later loads; stores before later stores.
 */
#ifndef xen_mb
#define xen_mb()  __atomic_thread_fence(__ATOMIC_SEQ_CST)
#define xen_rmb() __atomic_thread_fence(__ATOMIC_ACQUIRE)
#define xen_wmb() __atomic_thread_fence(__ATOMIC_RELEASE)
#endif

/* One read or write of a shared index, never torn or repeated. */
#define XEN_RING_LOAD(field) __atomic_load_n(&(field), __ATOMIC_RELAXED)
#define XEN_RING_STORE(field, val)                                             \
	__atomic_store_n(&(field), (val), __ATOMIC_RELAXED)

/* Bytes of the shared header before the first slot. */
#define XEN_RING_HEADER_SIZE 64

/*
 * Largest power of two not above n (0 for 0); a constant expression when n
 * is one.
 */
#define XEN_RING_POW2_FLOOR(n)                                                 \
	((n) == 0 ? 0U : 1U << (31 - __builtin_clz((uint32_t)(n) | 1U)))

/*
 * DEFINE_RING_TYPES(name, req_type, rsp_type) declares
 *   union name_sring_entry   one slot
 *   struct name_sring        the shared page
 *   struct name_front_ring   the frontend's private state
 *   struct name_back_ring    the backend's private state
 * Use it at file scope, followed by a semicolon.
 */
#define DEFINE_RING_TYPES(name, req_type, rsp_type)                            \
	union name##_sring_entry {                                             \
		req_type req;                                                  \
		rsp_type rsp;                                                  \
	};                                                                     \
                                                                               \
	struct name##_sring {                                                  \
		RING_IDX req_prod;  /* written by the frontend */              \
		RING_IDX req_event; /* written by the backend */               \
		RING_IDX rsp_prod;  /* written by the backend */               \
		RING_IDX rsp_event; /* written by the frontend */              \
		union {                                                        \
			uint8_t pvt_pad[4]; /* protocol-private bytes */       \
		} pvt;                                                         \
		uint8_t pad[44];                                               \
		union name##_sring_entry ring[];                               \
	};                                                                     \
                                                                               \
	struct name##_front_ring {                                             \
		RING_IDX req_prod_pvt; /* requests written, not yet pushed */  \
		RING_IDX rsp_cons;     /* responses consumed */                \
		uint32_t nr_ents;      /* slots: a power of two */             \
		struct name##_sring *sring;                                    \
	};                                                                     \
                                                                               \
	struct name##_back_ring {                                              \
		RING_IDX rsp_prod_pvt; /* responses written, not yet pushed */ \
		RING_IDX req_cons;     /* requests consumed */                 \
		uint32_t nr_ents;                                              \
		struct name##_sring *sring;                                    \
	};                                                                     \
                                                                               \
	_Static_assert(__builtin_offsetof(struct name##_sring, ring) ==        \
			   XEN_RING_HEADER_SIZE,                               \
		       "shared ring header is 64 bytes")

/* Slots in a shared ring of struct name_sring occupying size bytes. */
#define __CONST_RING_SIZE(name, size)                                          \
	XEN_RING_POW2_FLOOR(((size)-XEN_RING_HEADER_SIZE) /                    \
			    sizeof(union name##_sring_entry))

/* The same, from a pointer to the shared ring. */
#define __RING_SIZE(sr, size)                                                  \
	XEN_RING_POW2_FLOOR(((size)-XEN_RING_HEADER_SIZE) /                    \
			    sizeof((sr)->ring[0]))

/* Frontend, once, on a fresh page: empty ring, events wanted at index 1. */
#define SHARED_RING_INIT(sr)                                                   \
	do {                                                                   \
		XEN_RING_STORE((sr)->req_prod, 0);                             \
		XEN_RING_STORE((sr)->rsp_prod, 0);                             \
		XEN_RING_STORE((sr)->req_event, 1);                            \
		XEN_RING_STORE((sr)->rsp_event, 1);                            \
		for (uint32_t xen_i_ = 0; xen_i_ < sizeof((sr)->pvt);          \
		     xen_i_++)                                                 \
			(sr)->pvt.pvt_pad[xen_i_] = 0;                         \
		for (uint32_t xen_i_ = 0; xen_i_ < sizeof((sr)->pad);          \
		     xen_i_++)                                                 \
			(sr)->pad[xen_i_] = 0;                                 \
	} while (0)

/* Attach private state to a shared ring of size bytes at index idx. */
#define FRONT_RING_ATTACH(r, sr, idx, size)                                    \
	do {                                                                   \
		(r)->req_prod_pvt = (idx);                                     \
		(r)->rsp_cons = (idx);                                         \
		(r)->nr_ents = __RING_SIZE(sr, size);                          \
		(r)->sring = (sr);                                             \
	} while (0)

#define BACK_RING_ATTACH(r, sr, idx, size)                                     \
	do {                                                                   \
		(r)->rsp_prod_pvt = (idx);                                     \
		(r)->req_cons = (idx);                                         \
		(r)->nr_ents = __RING_SIZE(sr, size);                          \
		(r)->sring = (sr);                                             \
	} while (0)

#define FRONT_RING_INIT(r, sr, size) FRONT_RING_ATTACH(r, sr, 0, size)
#define BACK_RING_INIT(r, sr, size)  BACK_RING_ATTACH(r, sr, 0, size)

/* Frontend: initialise the shared page and attach to it. */
#define XEN_FRONT_RING_INIT(r, sr, size)                                       \
	do {                                                                   \
		SHARED_RING_INIT(sr);                                          \
		FRONT_RING_INIT(r, sr, size);                                  \
	} while (0)

#define RING_SIZE(r) ((r)->nr_ents)

/* Frontend: slots free for new requests. */
#define RING_FREE_REQUESTS(r)                                                  \
	(RING_SIZE(r) - ((r)->req_prod_pvt - (r)->rsp_cons))

#define RING_FULL(r) (RING_FREE_REQUESTS(r) == 0)

/*
 * Backend: requests published and not yet consumed, at most the slots not
 * holding unpushed responses (so that a bogus req_prod cannot make the
 * backend read slots it is writing).
 */
static inline __attribute__((unused)) RING_IDX
xen_ring_unconsumed_requests(RING_IDX req_prod, RING_IDX req_cons,
			     RING_IDX rsp_prod_pvt, uint32_t nr_ents)
{
	RING_IDX published = req_prod - req_cons;
	RING_IDX room = nr_ents - (req_cons - rsp_prod_pvt);

	return published < room ? published : room;
}

/* Non-zero (the count) when there is work for the backend. */
#define RING_HAS_UNCONSUMED_REQUESTS(r)                                        \
	xen_ring_unconsumed_requests(XEN_RING_LOAD((r)->sring->req_prod),      \
				     (r)->req_cons, (r)->rsp_prod_pvt,         \
				     RING_SIZE(r))

/* Non-zero (the count) when there are responses for the frontend. */
#define RING_HAS_UNCONSUMED_RESPONSES(r)                                       \
	((RING_IDX)(XEN_RING_LOAD((r)->sring->rsp_prod) - (r)->rsp_cons))

/* The slot of index idx, as a request or a response. */
#define RING_GET_REQUEST(r, idx)                                               \
	(&((r)->sring->ring[(idx) & (RING_SIZE(r) - 1)].req))
#define RING_GET_RESPONSE(r, idx)                                              \
	(&((r)->sring->ring[(idx) & (RING_SIZE(r) - 1)].rsp))

/*
 * Copy the slot of index idx into *dest with one read of the shared
 * memory, so that the peer cannot change what was validated.
 */
#define RING_COPY_REQUEST(r, idx, dest)                                        \
	(*(dest) = *(volatile __typeof__(*(dest)) *)RING_GET_REQUEST(r, idx))
#define RING_COPY_RESPONSE(r, idx, dest)                                       \
	(*(dest) = *(volatile __typeof__(*(dest)) *)RING_GET_RESPONSE(r, idx))

/* Backend loop guard: would consuming index cons overrun the ring? */
#define RING_REQUEST_CONS_OVERFLOW(r, cons)                                    \
	((RING_IDX)((cons) - (r)->rsp_prod_pvt) >= RING_SIZE(r))

/* A frontend publishing prod requests would be lying about the ring. */
#define RING_REQUEST_PROD_OVERFLOW(r, prod)                                    \
	((RING_IDX)((prod) - (r)->rsp_prod_pvt) > RING_SIZE(r))

/* A backend publishing prod responses would be lying about the ring. */
#define RING_RESPONSE_PROD_OVERFLOW(r, prod)                                   \
	((RING_IDX)((prod) - (r)->rsp_cons) > RING_SIZE(r))

/*
 * Publish *prod = new_prod after the slots it covers, and report whether
 * the consumer asked to be woken within (old, new_prod]: it did if its
 * event index lies in that range.
 */
static inline __attribute__((unused)) int
xen_ring_push_and_check(RING_IDX *prod, RING_IDX *event, RING_IDX new_prod)
{
	RING_IDX old = XEN_RING_LOAD(*prod);

	xen_wmb(); /* slots before the index that covers them */
	XEN_RING_STORE(*prod, new_prod);
	xen_mb(); /* index before reading the consumer's event */
	return (RING_IDX)(new_prod - XEN_RING_LOAD(*event)) <
	       (RING_IDX)(new_prod - old);
}

/* Publish without checking whether to notify. */
#define RING_PUSH_REQUESTS(r)                                                  \
	do {                                                                   \
		xen_wmb();                                                     \
		XEN_RING_STORE((r)->sring->req_prod, (r)->req_prod_pvt);       \
	} while (0)

#define RING_PUSH_RESPONSES(r)                                                 \
	do {                                                                   \
		xen_wmb();                                                     \
		XEN_RING_STORE((r)->sring->rsp_prod, (r)->rsp_prod_pvt);       \
	} while (0)

/* Publish, and set notify non-zero if the peer must be sent an event. */
#define RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(r, notify)                         \
	((notify) = xen_ring_push_and_check(&(r)->sring->req_prod,             \
					    &(r)->sring->req_event,            \
					    (r)->req_prod_pvt))

#define RING_PUSH_RESPONSES_AND_CHECK_NOTIFY(r, notify)                        \
	((notify) = xen_ring_push_and_check(&(r)->sring->rsp_prod,             \
					    &(r)->sring->rsp_event,            \
					    (r)->rsp_prod_pvt))

/*
 * Before sleeping: if nothing is left, ask to be woken by the next item,
 * then look again (an item may have been published in between). Sets
 * work_to_do non-zero if there is work.
 */
#define RING_FINAL_CHECK_FOR_REQUESTS(r, work_to_do)                           \
	do {                                                                   \
		(work_to_do) = RING_HAS_UNCONSUMED_REQUESTS(r);                \
		if (!(work_to_do)) {                                           \
			XEN_RING_STORE((r)->sring->req_event,                  \
				       (RING_IDX)((r)->req_cons + 1));         \
			xen_mb();                                              \
			(work_to_do) = RING_HAS_UNCONSUMED_REQUESTS(r);        \
		}                                                              \
	} while (0)

#define RING_FINAL_CHECK_FOR_RESPONSES(r, work_to_do)                          \
	do {                                                                   \
		(work_to_do) = RING_HAS_UNCONSUMED_RESPONSES(r);               \
		if (!(work_to_do)) {                                           \
			XEN_RING_STORE((r)->sring->rsp_event,                  \
				       (RING_IDX)((r)->rsp_cons + 1));         \
			xen_mb();                                              \
			(work_to_do) = RING_HAS_UNCONSUMED_RESPONSES(r);       \
		}                                                              \
	} while (0)

#endif
