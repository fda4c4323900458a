/* SPDX-License-Identifier: MIT */
/*
 * Atoll's base Xen-compatible interface: hypercall numbers, domain ids,
 * guest handles, and the two pages every domain starts with (start_info and
 * shared_info), laid out exactly as Xen lays them out for x86_64 PV guests.
 *
 * Written for Atoll from Xen's published interface facts (numbers, field
 * order and sizes); the structure and wording are Atoll's. Only x86_64 is
 * described. Every struct that crosses the hypervisor boundary carries a
 * _Static_assert on its size, so a layout drift fails to compile.
 *
 * Calling convention, address-space layout and the status of every call:
 * docs/abi.md.
 */
#ifndef ATOLL_PUBLIC_XEN_XEN_H
#define ATOLL_PUBLIC_XEN_XEN_H

#include <stdint.h>

/* ---- Hypercall numbers (rax at the syscall instruction) ---------------- */

/*
 * Only the calls Atoll implements are named. Any other number below 64
 * returns -XEN_ENOSYS. Atoll's own calls start at 64: atoll/hypercall.h.
 */
#define __HYPERVISOR_memory_op	      12 /* xen/memory.h */
#define __HYPERVISOR_xen_version      17 /* xen/version.h */
#define __HYPERVISOR_console_io	      18 /* below */
#define __HYPERVISOR_grant_table_op   20 /* xen/grant_table.h */
#define __HYPERVISOR_iret	      23 /* below, docs/abi.md */
#define __HYPERVISOR_vcpu_op	      24 /* xen/vcpu.h */
#define __HYPERVISOR_sched_op	      29 /* xen/sched.h */
#define __HYPERVISOR_callback_op      30 /* xen/callback.h */
#define __HYPERVISOR_event_channel_op 32 /* xen/event_channel.h */
#define __HYPERVISOR_physdev_op	      33 /* xen/physdev.h */

/* Xen keeps 0..63 for itself; nothing of Xen's lives at or above this. */
#define XEN_HYPERCALL_LIMIT 64

/* ---- Basic types -------------------------------------------------------- */

/* Hypercall interfaces and ring protocols always use 4 KiB pages. */
#define XEN_PAGE_SHIFT 12
#define XEN_PAGE_SIZE  (1UL << XEN_PAGE_SHIFT)

/* Unsigned machine word of the ABI: 64 bits on x86_64. */
typedef uint64_t xen_ulong_t;

/*
 * A frame number. In Atoll a domain never sees machine frames: every
 * "mfn", "gmfn" or "gpfn" field holds a pseudo-physical frame number of the
 * domain's own address space (docs/abi.md, "Frame numbers").
 */
typedef uint64_t xen_pfn_t;

/*
 * A guest handle is the address, in the calling domain's address space, of
 * an array or struct the hypervisor reads or writes. Atoll carries it as a
 * plain 64-bit integer rather than Xen's one-pointer struct: the layout is
 * the same (8 bytes, 8-aligned), the core cannot dereference it by mistake
 * (it must go through copy_from_guest/copy_to_guest), and host tools of any
 * word size agree on it. The argument names the pointed-to type, for the
 * reader only.
 */
#define XEN_GUEST_HANDLE(type)	  uint64_t
#define XEN_GUEST_HANDLE_64(type) uint64_t

/* Store a pointer into a guest handle field. */
#define set_xen_guest_handle(hnd, ptr) ((hnd) = (uint64_t)(uintptr_t)(ptr))

/* ---- Domain ids --------------------------------------------------------- */

typedef uint16_t domid_t;

/* Ids from here on are never given to a domain; they have fixed meanings. */
#define DOMID_FIRST_RESERVED 0x7FF0U
/* The calling domain, wherever a call takes a domain id. */
#define DOMID_SELF	     0x7FF0U
/* Xen's owners of I/O pages, hypervisor pages and shared pages. */
#define DOMID_IO	     0x7FF1U
#define DOMID_XEN	     0x7FF2U
#define DOMID_COW	     0x7FF3U
/* "No domain": an unknown owner, or an unused field. */
#define DOMID_INVALID	     0x7FF4U
/* "Any free id": asks the hypervisor to choose one (atoll/domctl.h). */
#define DOMID_ANY	     0x7FF5U
/* The idle domain. */
#define DOMID_IDLE	     0x7FFFU
/* Domain ids are 15 bits. */
#define DOMID_MASK	     0x7FFFU

/* ---- Virtual interrupts (bound with EVTCHNOP_bind_virq) ---------------- */

/*
 * Per-vCPU VIRQs may be bound once on each vCPU; global ones by one domain
 * at a time. Atoll raises VIRQ_TIMER, VIRQ_DEBUG, VIRQ_CONSOLE and
 * VIRQ_DOM_EXC; the other numbers are reserved so they keep Xen's meaning.
 */
#define VIRQ_TIMER	0  /* per-vCPU: one-shot timer expired */
#define VIRQ_DEBUG	1  /* per-vCPU: dump debug state (debug key) */
#define VIRQ_CONSOLE	2  /* global: hypervisor console input ready */
#define VIRQ_DOM_EXC	3  /* global: a domain started, shut down or died */
#define VIRQ_TBUF	4  /* global: trace buffer (unused in Atoll) */
#define VIRQ_DEBUGGER	6  /* global: a domain paused for debugging */
#define VIRQ_XENOPROF	7  /* per-vCPU: profiling (unused in Atoll) */
#define VIRQ_CON_RING	8  /* global: console ring has data */
#define VIRQ_PCPU_STATE 9  /* global: physical CPU state changed */
#define VIRQ_MEM_EVENT	10 /* global: memory event */
#define VIRQ_ARGO	11 /* per-domain: Argo (unused in Atoll) */
#define VIRQ_ENOMEM	12 /* global: hypervisor low on memory */
#define VIRQ_XENPMU	13 /* per-vCPU: PMU (unused in Atoll) */
#define VIRQ_ARCH_0	16 /* 16..23: architecture-specific */
#define VIRQ_ARCH_7	23
#define NR_VIRQS	24

/* ---- console_io --------------------------------------------------------- */

/*
 * HYPERVISOR_console_io(uint32_t cmd, uint32_t count, char *buffer)
 *
 * CONSOLEIO_write: prints count bytes from buffer on the hypervisor console,
 * as lines prefixed with the calling domain ("(d3 name) "). Control
 * characters other than newline and tab are shown as '?'. Any domain may
 * write. Returns 0, or
 *   -XEN_EFAULT   buffer is not readable for count bytes
 *
 * CONSOLEIO_read: copies up to count bytes of pending console input (the
 * input switched to the hypervisor with CTRL-A) into buffer. Needs the
 * console capability. Returns the number of bytes copied (0 if none), or
 *   -XEN_EPERM    the caller lacks ATOLL_CAP_CONSOLE
 *   -XEN_EFAULT   buffer is not writable for count bytes
 *
 * ATOLL_CONSOLEIO_read_log (Atoll; Xen has sysctl readconsole): buffer
 * points to a struct atoll_console_log; copies up to its count bytes of
 * the hypervisor's log, from byte pos on (0, or anything older than what
 * the log still holds, means the oldest byte kept), and advances pos.
 * count (the argument) is ignored. Needs the console capability. Returns
 * the number of bytes copied (0 at the end of the log), or -XEN_EPERM or
 * -XEN_EFAULT as above.
 *
 * Any other cmd returns -XEN_ENOSYS.
 */
#define CONSOLEIO_write		 0
#define CONSOLEIO_read		 1
#define ATOLL_CONSOLEIO_read_log 0x100

struct atoll_console_log {
	uint64_t pos;	 /* IN/OUT: position in the log, in bytes */
	uint64_t buffer; /* IN: where to copy */
	uint32_t count;	 /* IN: bytes at most */
	uint32_t pad;
};

/* ---- iret --------------------------------------------------------------- */

/*
 * HYPERVISOR_iret(void)
 *
 * Returns from an event upcall (or any bounce frame): the domain pushes a
 * struct iret_context on its stack, so that rsp points at its first field,
 * and makes hypercall 23. The hypervisor reloads rip, rflags and rsp from it
 * (cs and ss are forced to the domain's ring-3 selectors), restores rax,
 * and, unless VGCF_in_syscall is set in flags, rcx and r11. Events are
 * unmasked (vcpu_info.evtchn_upcall_mask = 0) if rflags.IF is set in the
 * frame and masked otherwise. The call does not return to its caller.
 * A frame that cannot be read crashes the domain: there is no sensible
 * place to return an error to.
 */
struct iret_context {
	/* Lowest address: where rsp points at the hypercall. */
	uint64_t rax;
	uint64_t r11;
	uint64_t rcx;
	uint64_t flags; /* VGCF_* */
	uint64_t rip;
	uint64_t cs;
	uint64_t rflags;
	uint64_t rsp;
	uint64_t ss;
};
_Static_assert(sizeof(struct iret_context) == 72, "Xen x86_64 iret frame");

/* iret_context.flags: leave rcx and r11 as they are (sysret-style return). */
#define _VGCF_in_syscall 8
#define VGCF_in_syscall	 (1U << _VGCF_in_syscall)

/* ---- shared_info: one page, shared by the hypervisor and the domain ---- */

/*
 * Xen-style system time of one vCPU. The hypervisor bumps version to an odd
 * value before an update and to the next even value after it; a reader
 * retries while version is odd or changed under it. Current time in ns:
 *   system_time + (((tsc - tsc_timestamp) << tsc_shift) * tsc_to_system_mul
 *   >> 32), with a negative tsc_shift meaning a right shift.
 */
struct vcpu_time_info {
	uint32_t version;
	uint32_t pad0;
	uint64_t tsc_timestamp; /* TSC when system_time was sampled */
	uint64_t system_time;	/* ns since the hypervisor booted */
	uint32_t
	    tsc_to_system_mul; /* 32.32 fixed-point ns per (shifted) tick */
	int8_t tsc_shift;
	uint8_t flags; /* XEN_PVCLOCK_* */
	uint8_t pad1[2];
};
_Static_assert(sizeof(struct vcpu_time_info) == 32, "Xen vcpu_time_info");

#define XEN_PVCLOCK_TSC_STABLE_BIT (1U << 0) /* TSC is constant, synced */
#define XEN_PVCLOCK_GUEST_STOPPED  (1U << 1)

/* x86_64 part of vcpu_info. */
struct arch_vcpu_info {
	uint64_t cr2; /* faulting address, for a page fault bounced to us */
	uint64_t pad;
};
_Static_assert(sizeof(struct arch_vcpu_info) == 16, "Xen arch_vcpu_info");

/* Tells users of this header that vcpu_info has evtchn_upcall_mask. */
#define XEN_HAVE_PV_UPCALL_MASK 1

/*
 * Per-vCPU event state. The hypervisor sets evtchn_upcall_pending (and a
 * bit in evtchn_pending_sel for each 64-port word of evtchn_pending that
 * gained a pending, unmasked port), then upcalls the vCPU unless
 * evtchn_upcall_mask is non-zero. The domain clears evtchn_upcall_pending
 * before scanning, so that nothing raised during the scan is lost. Only the
 * vCPU itself changes evtchn_upcall_mask; blocking clears it.
 */
struct vcpu_info {
	uint8_t evtchn_upcall_pending;
	uint8_t evtchn_upcall_mask;
	uint8_t pad[6];
	xen_ulong_t evtchn_pending_sel;
	struct arch_vcpu_info arch;
	struct vcpu_time_info time;
};
_Static_assert(sizeof(struct vcpu_info) == 64, "Xen vcpu_info");

/* vcpu_info slots in shared_info; vCPU n uses vcpu_info[n]. */
#define XEN_LEGACY_MAX_VCPUS 32

/* x86_64 part of shared_info; Atoll leaves it zero. */
struct arch_shared_info {
	xen_ulong_t max_pfn;
	xen_pfn_t pfn_to_mfn_frame_list_list;
	xen_ulong_t nmi_reason;
	xen_ulong_t p2m_cr3;
	xen_ulong_t p2m_vaddr;
	xen_ulong_t p2m_generation;
};
_Static_assert(sizeof(struct arch_shared_info) == 48, "Xen arch_shared_info");

/*
 * The shared_info page, mapped at ATOLL_SHARED_INFO_VA (atoll/layout.h).
 *
 * evtchn_pending and evtchn_mask are the 2-level event channel bitmaps: bit
 * (port % 64) of word (port / 64). The hypervisor sets pending bits; the
 * domain clears them, and owns the mask bits (a set mask bit stops the
 * upcall but not the pending bit). Update both with atomic bit operations.
 *
 * Wall-clock time at system time 0 is wc_sec_hi:wc_sec seconds plus wc_nsec
 * since the Unix epoch, guarded by wc_version like vcpu_time_info.version.
 */
struct shared_info {
	struct vcpu_info vcpu_info[XEN_LEGACY_MAX_VCPUS];
	xen_ulong_t evtchn_pending[64];
	xen_ulong_t evtchn_mask[64];
	uint32_t wc_version;
	uint32_t wc_sec;
	uint32_t wc_nsec;
	uint32_t wc_sec_hi;
	struct arch_shared_info arch;
};
_Static_assert(sizeof(struct shared_info) == 3136, "Xen x86_64 shared_info");
_Static_assert(sizeof(struct shared_info) <= 4096, "fits its page");
_Static_assert(__builtin_offsetof(struct shared_info, evtchn_pending) == 2048,
	       "Xen x86_64 shared_info");
_Static_assert(__builtin_offsetof(struct shared_info, wc_version) == 3072,
	       "Xen x86_64 shared_info");

/* ---- start_info: what a domain finds at entry --------------------------- */

/* start_info.magic; the prefix "xen-3.0" is what guests check. */
#define XEN_START_INFO_MAGIC "xen-3.0-x86_64"

#define MAX_GUEST_CMDLINE 1024

/*
 * The start_info page, mapped at ATOLL_START_INFO_VA; rsi holds its address
 * at entry. Field meanings in Atoll (frames are pseudo-physical, addresses
 * virtual == pseudo-physical): docs/abi.md, "start_info".
 */
struct start_info {
	char magic[32];		 /* XEN_START_INFO_MAGIC, NUL-padded */
	xen_ulong_t nr_pages;	 /* pages of RAM the domain holds */
	xen_ulong_t shared_info; /* address of the shared_info page */
	uint32_t flags;		 /* SIF_* */
	uint32_t pad0;
	xen_pfn_t store_mfn;   /* frame of the XenStore ring page */
	uint32_t store_evtchn; /* event channel to the XenStore */
	uint32_t pad1;
	union {
		struct {
			xen_pfn_t mfn;	 /* frame of the console ring page */
			uint32_t evtchn; /* event channel to the console */
			uint32_t pad;
		} domU;
		struct {
			uint32_t info_off; /* unused in Atoll (no dom0) */
			uint32_t info_size;
		} dom0;
	} console;
	xen_ulong_t pt_base;	  /* 0 in Atoll: page tables are not exposed */
	xen_ulong_t nr_pt_frames; /* 0 in Atoll */
	xen_ulong_t mfn_list;	  /* 0 in Atoll: there is no p2m list */
	xen_ulong_t mod_start;	  /* address (or frame, SIF_MOD_START_PFN) */
	xen_ulong_t mod_len;	  /* bytes; 0 if no module */
	int8_t cmd_line[MAX_GUEST_CMDLINE]; /* NUL-terminated */
	xen_ulong_t first_p2m_pfn;	    /* 0 in Atoll */
	xen_ulong_t nr_p2m_frames;	    /* 0 in Atoll */
};
_Static_assert(sizeof(struct start_info) == 1168, "Xen x86_64 start_info");
_Static_assert(__builtin_offsetof(struct start_info, cmd_line) == 128,
	       "Xen x86_64 start_info");

/* start_info.flags */
#define SIF_PRIVILEGED	    (1U << 0) /* never set by Atoll: no dom0 */
#define SIF_INITDOMAIN	    (1U << 1) /* never set by Atoll */
#define SIF_MULTIBOOT_MOD   (1U << 2) /* the module is a multiboot package */
#define SIF_MOD_START_PFN   (1U << 3) /* mod_start is a frame number */
#define SIF_VIRT_P2M_4TOOLS (1U << 4)
#define SIF_PM_MASK	    (0xFFU << 8)

#endif
