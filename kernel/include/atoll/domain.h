/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Domains and their vCPUs.
 *
 * Lock order (outermost first): domain_table_lock, domain->lock, the
 * per-subsystem locks (evtchn tables, grant tables: two domains' in
 * domain-id order), cpu->rq_lock (event delivery wakes vCPUs with a table
 * lock held), then frame_lock and timer_lock.
 *
 * Lifetime: domain_get() returns a pointer without a reference. That is
 * safe while one CPU runs domains and hypercalls run with interrupts off;
 * SMP needs a get/put pair or deferred freeing first.
 */
#ifndef ATOLL_DOMAIN_H
#define ATOLL_DOMAIN_H

#include <atoll/aspace.h>
#include <atoll/resource.h>
#include <atoll/sched_policy.h>
#include <atoll/spinlock.h>
#include <atoll/timer.h>
#include <arch/regs.h>
#include <xen/event_channel.h>
#include <xen/xen.h>

#define DOMAIN_MAX	 64
#define DOMAIN_NAME_MAX	 32
#define DOMAIN_MAX_VCPUS 4
#define DOMID_FIRST	 1 /* there is no dom0; ids start at 1 */

enum domain_state {
	DOMAIN_RUNNING,	 /* may have runnable vCPUs (unless paused) */
	DOMAIN_SHUTDOWN, /* stopped itself; kept until destroyed */
	DOMAIN_DYING,	 /* being torn down; waiting for grants to go */
};

enum vcpu_state {
	VCPU_DOWN,     /* never started, or gone */
	VCPU_RUNNABLE, /* wants the CPU (queued unless paused) */
	VCPU_BLOCKED,  /* waiting for an event or its timer */
};

struct domain;

struct vcpu {
	struct domain *domain;
	unsigned id;
	enum vcpu_state state; /* guarded by the run-queue lock */
	bool paused;	       /* guarded by the run-queue lock */
	struct cpu_regs regs;  /* saved guest context when not running */
	uint8_t fpu[512] __aligned(16); /* FXSAVE area */
	struct sched_entity sched;	/* guarded by the run-queue lock */
	unsigned cpu;			/* the CPU whose run queue holds it */
	struct timer singleshot;	/* VCPUOP_set_singleshot_timer */
	uint64_t event_callback;	/* upcall entry, 0 = none registered */
	uint64_t runtime_ns;
	/* SCHEDOP_poll: ports waited on (up to 8) and whether it polls. */
	uint32_t poll_ports[8];
	unsigned poll_count;
	struct timer poll_timer; /* SCHEDOP_poll timeout */
};

struct evtchn_table;
struct gnttab;

struct domain {
	domid_t id;
	char name[DOMAIN_NAME_MAX];
	struct spinlock lock; /* guards everything below but vcpus' state */
	enum domain_state state;
	unsigned pause_count; /* domctl pause nests */
	unsigned shutdown_reason;
	uint32_t caps;	 /* ATOLL_CAP_* */
	domid_t creator; /* 0 for boot domains (built by the core) */
	struct aspace as;
	uint64_t *p2m;	   /* machine frame per pseudo-physical frame */
	uint64_t p2m_size; /* entries: max_pages */
	paddr_t p2m_pa;	   /* frames holding p2m */
	unsigned p2m_order;
	uint64_t tot_pages; /* frames of RAM it holds */
	uint64_t max_pages;
	paddr_t start_info_pa, shared_info_pa;
	paddr_t modtab_pa; /* boot module table (domctl holders), or 0 */
	struct shared_info *shared; /* through the direct map */
	struct vcpu *vcpus[DOMAIN_MAX_VCPUS];
	unsigned vcpu_count;
	struct evtchn_table *evtchn;
	struct gnttab *gnttab;
	unsigned weight, cap;
	uint64_t created_ns;
	char con_line[160];	  /* console output waiting for its newline */
	unsigned con_len;	  /* guarded by lock */
	bool autodestroy;	  /* destroyed as soon as it shuts down */
	domid_t store_domid;	  /* its XenStore domain, or DOMID_INVALID */
	evtchn_port_t store_port; /* its unbound port for the store */
	struct resource_set res;  /* guarded by the resource lock */
};

/* What a new domain gets; checked by domain_create. */
struct domain_config {
	const char *name;
	uint64_t mem_pages; /* initial RAM */
	uint64_t max_pages; /* hard limit; >= mem_pages */
	unsigned vcpus;
	unsigned weight, cap;
	uint32_t caps;
	domid_t creator;
	const void *image; /* ELF, readable by the core */
	size_t image_size;
	const char *cmdline;
	domid_t store_domid; /* the XenStore domain; 0 or DOMID_INVALID: none */
};

#endif
