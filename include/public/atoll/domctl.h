/* SPDX-License-Identifier: MIT */
/*
 * Domain control: HYPERVISOR_atoll_domctl(struct atoll_domctl *op), hypercall
 * __HYPERVISOR_atoll_domctl (atoll/hypercall.h).
 *
 * One struct carries every command, like Xen's domctl (whose layout this is
 * not): the hypervisor reads it, acts on op->domain and writes the OUT
 * fields back. All commands need ATOLL_CAP_DOMCTL, except where noted
 * (getinfo, ioport_permission, irq_permission, iomem_permission,
 * assign_device, deassign_device).
 * Except for getinfo and the device commands, a domain cannot target
 * itself (it uses SCHEDOP_shutdown); DOMID_SELF is refused.
 *
 * Errors common to every command, not repeated below:
 *   -XEN_EFAULT  op cannot be read or written
 *   -XEN_EACCES  op->interface_version is not ATOLL_DOMCTL_INTERFACE_VERSION
 *   -XEN_EPERM   the caller lacks the capability the command needs
 *   -XEN_ESRCH   (commands on an existing domain) op->domain does not exist
 *                or is dying
 *   -XEN_EINVAL  op->domain is the caller (but see getinfo) or DOMID_SELF;
 *                a pad field or an unknown flag is not zero
 *   -XEN_ENOSYS  unknown cmd
 */
#ifndef ATOLL_PUBLIC_DOMCTL_H
#define ATOLL_PUBLIC_DOMCTL_H

#include "../xen/xen.h"
#include "../xen/event_channel.h"

/* Bumped on any incompatible change to this header. */
#define ATOLL_DOMCTL_INTERFACE_VERSION 0x00000001U

#define ATOLL_DOMAIN_NAME_LEN 32 /* with the terminating NUL */

/*
 * ATOLL_DOMCTL_create: builds a new domain from an ELF image held in the
 * caller's memory and leaves it paused (ATOLL_DOMCTL_unpause starts it).
 * IN op->domain: DOMID_ANY, or the free id wanted; OUT: the new id.
 *
 * The domain gets nr_pages of RAM (at most max_pages), vcpus vCPUs, the
 * scheduling weight and cap given, and capabilities, which must be a
 * subset of the caller's. Its start_info carries cmdline. If store_domid
 * names a domain (0 and DOMID_INVALID: none), the top frame of the new
 * domain's RAM becomes its XenStore ring, granted to store_domid under
 * GNTTAB_RESERVED_XENSTORE, with an unbound port open to store_domid;
 * store_port returns it (getinfo also reports it). console_domid and
 * console_port are reserved for the console backend: 0. Errors:
 *   -XEN_EPERM    capabilities is not a subset of the caller's
 *   -XEN_EINVAL   name empty or not NUL-terminated; vcpus 0 or above
 *                 XEN_LEGACY_MAX_VCPUS; nr_pages 0 or above max_pages;
 *                 weight or cap out of range; cmdline_len above
 *                 MAX_GUEST_CMDLINE - 1; unknown bits in capabilities
 *   -XEN_EEXIST   the id wanted, or name, is taken by a live domain
 *   -XEN_ENOSPC   no free domain id
 *   -XEN_EFAULT   image or cmdline cannot be read
 *   -XEN_ENOEXEC  the image is not a valid ELF64 x86_64 executable, or
 *                 its segments do not fit in the domain's RAM
 *   -XEN_E2BIG    image_size above ATOLL_DOMCTL_MAX_IMAGE
 *   -XEN_ESRCH    store_domid does not exist
 *   -XEN_ENOMEM   not enough free memory
 */
#define ATOLL_DOMCTL_create 1

struct atoll_domctl_create {
	char name[ATOLL_DOMAIN_NAME_LEN];   /* IN: for the console and vmctl */
	uint64_t nr_pages;		    /* IN: initial RAM, pages */
	uint64_t max_pages;		    /* IN: RAM limit, pages */
	uint32_t vcpus;			    /* IN */
	uint32_t weight;		    /* IN: ATOLL_SCHED_WEIGHT_* */
	uint32_t cap;			    /* IN: ATOLL_SCHED_CAP_* */
	uint32_t flags;			    /* IN: reserved, 0 */
	uint64_t capabilities;		    /* IN: ATOLL_CAP_* */
	XEN_GUEST_HANDLE(const_void) image; /* IN: ELF image */
	uint64_t image_size;		    /* IN: bytes */
	XEN_GUEST_HANDLE(const_char) cmdline; /* IN: need not end in NUL */
	uint32_t cmdline_len;		      /* IN: bytes */
	domid_t console_domid;		      /* IN: console backend */
	domid_t store_domid;		      /* IN: XenStore domain */
	evtchn_port_t console_port;	      /* OUT: in the new domain */
	evtchn_port_t store_port;	      /* OUT: in the new domain */
};
_Static_assert(sizeof(struct atoll_domctl_create) == 112, "Atoll ABI");

/* Largest ELF image ATOLL_DOMCTL_create accepts. */
#define ATOLL_DOMCTL_MAX_IMAGE (64ULL << 20)

/* Scheduling parameters, as Xen's credit2 scheduler takes them. */
#define ATOLL_SCHED_WEIGHT_MIN	   1
#define ATOLL_SCHED_WEIGHT_MAX	   65535
#define ATOLL_SCHED_WEIGHT_DEFAULT 256
/*
 * cap: percent of one CPU the whole domain may use, at most 100 times its
 * vCPU count; 0 = no cap.
 */
#define ATOLL_SCHED_CAP_NONE	   0

/*
 * ATOLL_DOMCTL_destroy, no arguments: kills op->domain. Its vCPUs stop, its
 * event channels close (peers see their ends unbound), grants it made are
 * revoked, and VIRQ_DOM_EXC is raised. Frames other domains still have
 * mapped are freed when the last mapping goes. Returns 0.
 */
#define ATOLL_DOMCTL_destroy 2

/*
 * ATOLL_DOMCTL_pause / ATOLL_DOMCTL_unpause, no arguments: stop or restart
 * scheduling op->domain's vCPUs. Pausing a paused domain, or unpausing a
 * running one, does nothing. Returns 0.
 */
#define ATOLL_DOMCTL_pause   3
#define ATOLL_DOMCTL_unpause 4

/*
 * ATOLL_DOMCTL_getinfo: describes the live or dying domain with the lowest
 * id >= op->domain and sets op->domain to that id, so that a caller lists
 * every domain by starting at 0 and asking again from id + 1. Allowed with
 * ATOLL_CAP_DOMCTL, ATOLL_CAP_XENSTORE or ATOLL_CAP_MEMORY_POLICY, and may
 * return the caller itself. Errors:
 *   -XEN_ESRCH   no domain has an id >= op->domain
 */
#define ATOLL_DOMCTL_getinfo 5

struct atoll_domctl_getinfo {
	char name[ATOLL_DOMAIN_NAME_LEN]; /* OUT */
	uint32_t flags;			  /* OUT: ATOLL_DOMINFO_* */
	uint32_t
	    shutdown_reason;  /* OUT: SHUTDOWN_*, if ATOLL_DOMINFO_shutdown */
	uint64_t tot_pages;   /* OUT: RAM held now */
	uint64_t max_pages;   /* OUT */
	uint64_t cpu_time_ns; /* OUT: run time of all vCPUs */
	uint32_t vcpus;	      /* OUT */
	uint32_t weight;      /* OUT */
	uint32_t cap;	      /* OUT */
	evtchn_port_t
	    store_port;	       /* OUT: its unbound XenStore port, 0 if none */
	uint64_t capabilities; /* OUT: ATOLL_CAP_* */
	uint64_t created_ns;   /* OUT: system time when it was built: with the
				  id, names this domain and no later one */
};
_Static_assert(sizeof(struct atoll_domctl_getinfo) == 96, "Atoll ABI");

/* atoll_domctl_getinfo.flags */
#define ATOLL_DOMINFO_running  (1U << 0) /* a vCPU is running or runnable */
#define ATOLL_DOMINFO_blocked  (1U << 1) /* every vCPU waits for an event */
#define ATOLL_DOMINFO_paused   (1U << 2) /* paused by ATOLL_DOMCTL_pause */
#define ATOLL_DOMINFO_dying    (1U << 3) /* destroyed, resources going */
#define ATOLL_DOMINFO_shutdown (1U << 4) /* shut down: see shutdown_reason */

/*
 * ATOLL_DOMCTL_set_max_mem: sets op->domain's RAM limit. A limit below what
 * the domain holds stops it from growing until it has given back enough.
 * Allowed with ATOLL_CAP_DOMCTL or ATOLL_CAP_MEMORY_POLICY. Errors:
 *   -XEN_EINVAL  max_pages is 0, or more pages than fit below
 *                ATOLL_RAM_LIMIT
 */
#define ATOLL_DOMCTL_set_max_mem 6

struct atoll_domctl_max_mem {
	uint64_t max_pages; /* IN */
};
_Static_assert(sizeof(struct atoll_domctl_max_mem) == 8, "Atoll ABI");

/*
 * ATOLL_DOMCTL_set_sched: sets op->domain's weight and cap. Errors:
 *   -XEN_EINVAL  weight or cap out of range
 */
#define ATOLL_DOMCTL_set_sched 7

struct atoll_domctl_sched {
	uint32_t weight; /* IN: ATOLL_SCHED_WEIGHT_MIN .. _MAX */
	uint32_t cap;	 /* IN: 0 = none, else 1 .. 100 * vcpus */
};
_Static_assert(sizeof(struct atoll_domctl_sched) == 8, "Atoll ABI");

/*
 * ATOLL_DOMCTL_ioport_permission, ATOLL_DOMCTL_irq_permission: move I/O
 * ports or an interrupt (a GSI) between the caller and op->domain, like
 * Xen's XEN_DOMCTL_ioport_permission / irq_permission. Need
 * ATOLL_CAP_DEVICE_ASSIGN instead of ATOLL_CAP_DOMCTL. A port or GSI is
 * held by one domain at a time (docs/devices.md).
 *
 * allow_access 1 gives op->domain the range, which the caller must hold
 * (all of it, within one range it was given as); the caller loses it.
 * allow_access 0 takes the range back from op->domain, which must hold it
 * through the caller: given by the caller, or passed on from there. A
 * binding of a moved IRQ to an event channel in its old holder is closed.
 * Errors:
 *   -XEN_EINVAL  nr_ports 0, the range beyond port 0xffff, pirq at or above
 *                1024, allow_access above 1, a pad field not zero, or
 *                op->domain is the caller
 *   -XEN_EPERM   giving: the caller does not hold the whole range; taking
 *                back: op->domain does not hold it through the caller
 *   -XEN_ESRCH   op->domain does not exist or is dying
 *   -XEN_ENOSPC  a domain's table is full (16 ranges of each kind), or
 *                the range was already passed on 4 times
 */
#define ATOLL_DOMCTL_ioport_permission 8
#define ATOLL_DOMCTL_irq_permission    9

struct atoll_domctl_ioport_permission {
	uint32_t first_port;  /* IN */
	uint32_t nr_ports;    /* IN */
	uint8_t allow_access; /* IN: 1 give, 0 take back */
	uint8_t pad[7];
};
_Static_assert(sizeof(struct atoll_domctl_ioport_permission) == 16,
	       "Atoll ABI");

struct atoll_domctl_irq_permission {
	uint32_t pirq;	      /* IN: the GSI */
	uint8_t allow_access; /* IN: 1 give, 0 take back */
	uint8_t pad[3];
};
_Static_assert(sizeof(struct atoll_domctl_irq_permission) == 8, "Atoll ABI");

/*
 * ATOLL_DOMCTL_iomem_permission: moves MMIO frames [first_mfn, first_mfn +
 * nr_mfns) between the caller and op->domain, like Xen's
 * XEN_DOMCTL_iomem_permission, with the rules and errors of
 * ioport_permission above (ATOLL_CAP_DEVICE_ASSIGN; one holder at a time;
 * give what you hold, take back what was given through you). A domain maps
 * frames it holds with HYPERVISOR_atoll_mmio (atoll/mmio.h); frames taken
 * back are unmapped from the old holder first. Errors as above, and:
 *   -XEN_EINVAL  nr_mfns 0, or the range reaches frame 2^32 (16 TiB)
 */
#define ATOLL_DOMCTL_iomem_permission 10

struct atoll_domctl_iomem_permission {
	uint64_t first_mfn;   /* IN: physical address >> 12 */
	uint64_t nr_mfns;     /* IN: frames */
	uint8_t allow_access; /* IN: 1 give, 0 take back */
	uint8_t pad[7];
};
_Static_assert(sizeof(struct atoll_domctl_iomem_permission) == 24, "Atoll ABI");

/*
 * ATOLL_DOMCTL_assign_device, ATOLL_DOMCTL_deassign_device: point a PCI
 * function's DMA at op->domain's memory, or block it again, like Xen's
 * XEN_DOMCTL_assign_device / deassign_device (machine_sbdf encoded as
 * Xen's). Need ATOLL_CAP_DEVICE_ASSIGN instead of ATOLL_CAP_DOMCTL; unlike
 * the other commands, op->domain may be the caller (or DOMID_SELF). The
 * target must otherwise be a domain the caller may act on (one it created;
 * a boot domain may act on every domain). docs/iommu.md has the model.
 *
 * assign: a function is held by one domain at a time; assigning a held one
 * moves it (its previous holder must also be the caller or a domain the
 * caller may act on). With an IOMMU the device then reaches exactly
 * op->domain's RAM, at its pseudo-physical addresses (the DMA address of a
 * frame is its frame number << 12); grant-mapped frames are not included.
 * Without an IOMMU, or for a function outside every IOMMU unit's scope, the
 * assignment is recorded but DMA is not confined: flags comes back without
 * ATOLL_ASSIGN_DMA_ISOLATED and the core logs "DMA not isolated". Assigning
 * a function to the domain already holding it changes nothing.
 * deassign: op->domain must hold the function; its DMA is blocked again.
 * A domain's functions are blocked when it is destroyed. Errors:
 *   -XEN_EINVAL  flags not 0 on input; deassign: op->domain does not hold
 *                the function
 *   -XEN_ESRCH   op->domain does not exist, is dying, or is not one the
 *                caller may act on
 *   -XEN_ENODEV  segment not 0, or no PCI function answers at bus:devfn
 *   -XEN_EBUSY   assign: held by a domain the caller may not act on
 *   -XEN_ENOMEM  no memory for the IOMMU tables
 *   -XEN_ENOSPC  64 functions are assigned already
 */
#define ATOLL_DOMCTL_assign_device   11
#define ATOLL_DOMCTL_deassign_device 12

/* segment << 16 | bus << 8 | device << 3 | function, as Xen's. */
#define ATOLL_PCI_SBDF(seg, bus, dev, fn)                                      \
	((uint32_t)(seg) << 16 | (uint32_t)(bus) << 8 | (uint32_t)(dev) << 3 | \
	 (uint32_t)(fn))

struct atoll_domctl_assign_device {
	uint32_t machine_sbdf; /* IN: ATOLL_PCI_SBDF() */
	uint32_t flags;	       /* IN: 0; OUT: ATOLL_ASSIGN_* */
};
_Static_assert(sizeof(struct atoll_domctl_assign_device) == 8, "Atoll ABI");

/* atoll_domctl_assign_device.flags (OUT): an IOMMU confines its DMA. */
#define ATOLL_ASSIGN_DMA_ISOLATED (1U << 0)

struct atoll_domctl {
	uint32_t cmd;		    /* ATOLL_DOMCTL_* */
	uint32_t interface_version; /* ATOLL_DOMCTL_INTERFACE_VERSION */
	domid_t domain;		    /* IN: target; OUT: see create, getinfo */
	uint16_t pad[3];
	union {
		struct atoll_domctl_create create;
		struct atoll_domctl_getinfo getinfo;
		struct atoll_domctl_max_mem max_mem;
		struct atoll_domctl_sched sched;
		struct atoll_domctl_ioport_permission ioport_permission;
		struct atoll_domctl_irq_permission irq_permission;
		struct atoll_domctl_assign_device assign_device;
		struct atoll_domctl_iomem_permission iomem_permission;
		uint8_t pad[128]; /* room to grow without a size change */
	} u;
};
_Static_assert(sizeof(struct atoll_domctl) == 144, "Atoll ABI");

#endif
