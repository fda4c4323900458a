// SPDX-License-Identifier: GPL-2.0-only
/*
 * Grant tables between two domains from one image: "gnttab_pair grant
 * <peer>" offers a page and a read-only page; "gnttab_pair map <peer>" maps
 * and copies them, and tries every way of getting it wrong. The granter
 * fills its grant entries before it offers an event channel, so once the
 * mapper can bind, the grants are there; the mapper's one event says
 * "done".
 */
#include "tdom.h"
#include <atoll/layout.h>
#include <xen/grant_table.h>

#define REF_RW 1
#define REF_RO 2
#define MAGIC  "grant from the granter"
#define REPLY  "written back by the mapper"

static uint8_t shared_page[4096] __attribute__((aligned(4096)));
static uint8_t ro_page[4096] __attribute__((aligned(4096)));
static uint8_t copy_buf[4096] __attribute__((aligned(4096)));
static volatile bool got_event;

static void on_event(evtchn_port_t port, void *arg)
{
	got_event = true;
}

static int memeq(const void *a, const void *b, size_t n)
{
	const uint8_t *x = a, *y = b;

	for (size_t i = 0; i < n; i++)
		if (x[i] != y[i])
			return 0;
	return 1;
}

static long gnt(unsigned cmd, void *arg, unsigned count)
{
	return HC(__HYPERVISOR_grant_table_op, cmd, arg, count);
}

static void wait_event(void)
{
	CHECK(tdom_wait_flag(&got_event, 10000000000ULL));
	got_event = false;
}

static void granter(domid_t peer)
{
	volatile struct grant_entry_v1 *gt = (void *)ATOLL_GNTTAB_VA;
	struct evtchn_alloc_unbound a = {.dom = DOMID_SELF, .remote_dom = peer};

	CHECK_EQ(tdom_gnttab_setup(1), 0);
	__builtin_memcpy(shared_page, MAGIC, sizeof(MAGIC));
	__builtin_memcpy(ro_page, MAGIC, sizeof(MAGIC));
	gt[REF_RW].domid = peer;
	gt[REF_RW].frame = (uint64_t)shared_page >> 12;
	gt[REF_RO].domid = peer;
	gt[REF_RO].frame = (uint64_t)ro_page >> 12;
	__atomic_thread_fence(__ATOMIC_RELEASE);
	gt[REF_RW].flags = GTF_permit_access;
	gt[REF_RO].flags = GTF_permit_access | GTF_readonly;
	CHECK_EQ(
	    HC(__HYPERVISOR_event_channel_op, EVTCHNOP_alloc_unbound, &a, 0),
	    0);
	tdom_on_event(a.port, on_event, NULL);
	wait_event(); /* the mapper is done */
	CHECK(memeq(shared_page, REPLY, sizeof(REPLY)));
	CHECK(memeq(ro_page, MAGIC, sizeof(MAGIC)));
	gt[REF_RW].flags = 0;
	gt[REF_RO].flags = 0;
}

static evtchn_port_t bind_peer(domid_t peer)
{
	for (unsigned tries = 0; tries < 100000; tries++) {
		for (evtchn_port_t p = 1; p < 8; p++) {
			struct evtchn_bind_interdomain b = {.remote_dom = peer,
							    .remote_port = p};

			if (HC(__HYPERVISOR_event_channel_op,
			       EVTCHNOP_bind_interdomain, &b, 0) == 0)
				return b.local_port;
		}
		tdom_yield();
	}
	tdom_fail("could not bind to d%u", peer);
}

static int16_t map_one(domid_t dom, grant_ref_t ref, uint64_t addr,
		       uint32_t flags, grant_handle_t *handle)
{
	struct gnttab_map_grant_ref m = {
	    .host_addr = addr, .flags = flags, .ref = ref, .dom = dom};

	CHECK_EQ(gnt(GNTTABOP_map_grant_ref, &m, 1), 0);
	if (handle)
		*handle = m.handle;
	return m.status;
}

static int16_t unmap_one(uint64_t addr, grant_handle_t handle)
{
	struct gnttab_unmap_grant_ref u = {.host_addr = addr, .handle = handle};

	CHECK_EQ(gnt(GNTTABOP_unmap_grant_ref, &u, 1), 0);
	return u.status;
}

static void hostile_maps(domid_t peer, uint64_t win)
{
	CHECK_EQ(map_one(peer, REF_RO, win + 0x2000, GNTMAP_host_map, NULL),
		 GNTST_permission_denied); /* read-only grant, RW map */
	CHECK(map_one(peer, 300, win + 0x2000, GNTMAP_host_map, NULL) !=
	      GNTST_okay); /* not granted */
	CHECK(map_one(peer, 1u << 30, win + 0x2000, GNTMAP_host_map, NULL) !=
	      GNTST_okay); /* out of range */
	CHECK_EQ(map_one(999, REF_RW, win + 0x2000, GNTMAP_host_map, NULL),
		 GNTST_bad_domain);
	CHECK_EQ(map_one(peer, REF_RW, 0x200000, GNTMAP_host_map, NULL),
		 GNTST_bad_virt_addr); /* outside the grant window */
	CHECK_EQ(map_one(peer, REF_RW, win + 0x2001, GNTMAP_host_map, NULL),
		 GNTST_bad_virt_addr); /* misaligned */
	CHECK_EQ(gnt(GNTTABOP_map_grant_ref, (void *)TDOM_CORE_ADDR, 1),
		 -XEN_EFAULT);
	CHECK_EQ(unmap_one(win + 0x5000, 4000), GNTST_bad_handle);
}

static void copy_checks(domid_t peer)
{
	struct gnttab_copy c = {
	    .source = {.u.ref = REF_RO, .domid = peer, .offset = 0},
	    .dest = {.u.gmfn = (uint64_t)copy_buf >> 12,
		     .domid = DOMID_SELF,
		     .offset = 16},
	    .len = sizeof(MAGIC),
	    .flags = GNTCOPY_source_gref,
	};

	CHECK_EQ(gnt(GNTTABOP_copy, &c, 1), 0);
	CHECK_EQ(c.status, GNTST_okay);
	CHECK(memeq(copy_buf + 16, MAGIC, sizeof(MAGIC)));
	/* Writing through a read-only grant is refused. */
	c.flags = GNTCOPY_dest_gref;
	c.dest = (struct gnttab_copy_ptr){.u.ref = REF_RO, .domid = peer};
	c.source = (struct gnttab_copy_ptr){.u.gmfn = (uint64_t)copy_buf >> 12,
					    .domid = DOMID_SELF};
	CHECK_EQ(gnt(GNTTABOP_copy, &c, 1), 0);
	CHECK(c.status != GNTST_okay);
	/* Crossing a page boundary is refused. */
	c.flags = GNTCOPY_source_gref;
	c.source = (struct gnttab_copy_ptr){
	    .u.ref = REF_RW, .domid = peer, .offset = 4090};
	c.dest = (struct gnttab_copy_ptr){.u.gmfn = (uint64_t)copy_buf >> 12,
					  .domid = DOMID_SELF};
	c.len = 64;
	CHECK_EQ(gnt(GNTTABOP_copy, &c, 1), 0);
	CHECK_EQ(c.status, GNTST_bad_copy_arg);
}

static void mapper(domid_t peer)
{
	uint64_t win = ATOLL_GRANT_WINDOW_BASE;
	evtchn_port_t port = bind_peer(peer);
	grant_handle_t h_rw, h_ro;

	CHECK_EQ(map_one(peer, REF_RW, win, GNTMAP_host_map, &h_rw),
		 GNTST_okay);
	CHECK(memeq((void *)win, MAGIC, sizeof(MAGIC)));
	__builtin_memcpy((void *)win, REPLY, sizeof(REPLY));
	CHECK_EQ(map_one(peer, REF_RO, win + 0x1000,
			 GNTMAP_host_map | GNTMAP_readonly, &h_ro),
		 GNTST_okay);
	CHECK(memeq((void *)(win + 0x1000), MAGIC, sizeof(MAGIC)));
	CHECK(map_one(peer, REF_RW, win, GNTMAP_host_map, NULL) !=
	      GNTST_okay); /* address already in use */
	hostile_maps(peer, win);
	copy_checks(peer);
	CHECK_EQ(unmap_one(win, h_rw), GNTST_okay);
	CHECK_EQ(unmap_one(win, h_rw), GNTST_bad_handle); /* double unmap */
	CHECK_EQ(unmap_one(win + 0x1000, h_ro), GNTST_okay);
	tdom_send(port);
}

int tmain(const char *args)
{
	bool is_granter = args[0] == 'g';
	const char *p = args;
	domid_t peer = 0;

	while (*p && *p != ' ')
		p++;
	while (*p == ' ')
		p++;
	while (*p >= '0' && *p <= '9')
		peer = peer * 10 + (*p++ - '0');
	CHECK(peer != 0);
	if (is_granter)
		granter(peer);
	else
		mapper(peer);
	return 0;
}
