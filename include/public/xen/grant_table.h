/* SPDX-License-Identifier: MIT */
/*
 * Grant tables: HYPERVISOR_grant_table_op(uint32_t cmd, void *ops,
 * uint32_t count).
 *
 * A domain shares one of its pages by filling an entry of its grant table
 * (version 1 entries only) and telling the peer the entry's index, a grant
 * reference. The peer then maps the page into its grant window, or copies
 * to or from it, naming it by (domain, reference).
 *
 * ops points to an array of count structs of the cmd's type. The call
 * returns 0 once every element has been processed; each element's outcome
 * is in its own status field (GNTST_*). The call itself fails, processing
 * nothing, with:
 *   -XEN_EFAULT  the ops array cannot be read or written
 *   -XEN_EINVAL  count has bit 31 set, or count != 1 where only 1 is allowed
 *   -XEN_ENOSYS  unknown or unsupported cmd (GNTTABOP_transfer always)
 */
#ifndef ATOLL_PUBLIC_XEN_GRANT_TABLE_H
#define ATOLL_PUBLIC_XEN_GRANT_TABLE_H

#include "xen.h"

typedef uint32_t grant_ref_t;
/* Names one mapping made with GNTTABOP_map_grant_ref. */
typedef uint32_t grant_handle_t;

/*
 * One grant table entry (version 1), written by the granting domain.
 * Fill domid and frame first, then set flags (with a write barrier in
 * between): the hypervisor honours an entry as soon as its type is set.
 */
struct grant_entry_v1 {
	uint16_t flags; /* GTF_* */
	domid_t domid;	/* the domain allowed to use the entry */
	uint32_t frame; /* the granted frame (pseudo-physical) */
};
_Static_assert(sizeof(struct grant_entry_v1) == 8, "Xen ABI");

/* Entries per 4 KiB grant table frame. */
#define GNTTAB_ENTRIES_PER_FRAME_V1 (4096 / sizeof(struct grant_entry_v1))

/* The first entries are kept for the toolstack (Xen's convention). */
#define GNTTAB_NR_RESERVED_ENTRIES 8
#define GNTTAB_RESERVED_CONSOLE	   0
#define GNTTAB_RESERVED_XENSTORE   1

/* grant_entry_v1.flags, bits 0-1: the entry's type. */
#define GTF_invalid	    (0U << 0) /* not granted */
#define GTF_permit_access   (1U << 0) /* domid may map or copy frame */
#define GTF_accept_transfer (2U << 0) /* domid may transfer a page here */
#define GTF_transitive	    (3U << 0) /* v2 only; invalid in v1 */
#define GTF_type_mask	    (3U << 0)

/* Bits for GTF_permit_access entries. */
#define _GTF_readonly (2)
#define GTF_readonly  (1U << _GTF_readonly) /* set by granter: no writes */
#define _GTF_reading  (3)
#define GTF_reading   (1U << _GTF_reading) /* set by Atoll while mapped/read */
#define _GTF_writing  (4)
#define GTF_writing   (1U << _GTF_writing) /* set by Atoll while writable */
#define _GTF_PWT      (5)
#define GTF_PWT	      (1U << _GTF_PWT)
#define _GTF_PCD      (6)
#define GTF_PCD	      (1U << _GTF_PCD)
#define _GTF_PAT      (7)
#define GTF_PAT	      (1U << _GTF_PAT)
#define _GTF_sub_page (8)
#define GTF_sub_page  (1U << _GTF_sub_page) /* v2 only */

/* Bits for GTF_accept_transfer entries (transfer is not supported). */
#define _GTF_transfer_committed (2)
#define GTF_transfer_committed	(1U << _GTF_transfer_committed)
#define _GTF_transfer_completed (3)
#define GTF_transfer_completed	(1U << _GTF_transfer_completed)

#define GNTTABOP_map_grant_ref	   0
#define GNTTABOP_unmap_grant_ref   1
#define GNTTABOP_setup_table	   2
#define GNTTABOP_dump_table	   3
#define GNTTABOP_transfer	   4
#define GNTTABOP_copy		   5
#define GNTTABOP_query_size	   6
#define GNTTABOP_unmap_and_replace 7

/* Per-element outcome, in each op's status field. */
#define GNTST_okay		(0)  /* done */
#define GNTST_general_error	(-1) /* anything not listed below */
#define GNTST_bad_domain	(-2) /* no such domain */
#define GNTST_bad_gntref	(-3) /* reference out of range or not granted */
#define GNTST_bad_handle	(-4) /* no such mapping handle */
#define GNTST_bad_virt_addr	(-5) /* address unusable for this mapping */
#define GNTST_bad_dev_addr	(-6) /* device address does not match */
#define GNTST_no_device_space	(-7) /* IOMMU out of space */
#define GNTST_permission_denied (-8) /* the grant does not allow this */
#define GNTST_bad_page		(-9) /* frame unusable (not RAM, not owned) */
#define GNTST_bad_copy_arg	(-10) /* copy range crosses a page boundary */
#define GNTST_address_too_big	(-11) /* frame number too large */
#define GNTST_eagain		(-12) /* busy; retry later */
#define GNTST_no_space		(-13) /* out of mapping handles */

/* gnttab_map_grant_ref.flags */
#define _GNTMAP_device_map	(0)
#define GNTMAP_device_map	(1U << _GNTMAP_device_map)
#define _GNTMAP_host_map	(1)
#define GNTMAP_host_map		(1U << _GNTMAP_host_map)
#define _GNTMAP_readonly	(2)
#define GNTMAP_readonly		(1U << _GNTMAP_readonly)
#define _GNTMAP_application_map (3)
#define GNTMAP_application_map	(1U << _GNTMAP_application_map)
#define _GNTMAP_contains_pte	(4)
#define GNTMAP_contains_pte	(1U << _GNTMAP_contains_pte)

/*
 * GNTTABOP_map_grant_ref: maps the frame granted by dom under ref at
 * host_addr, which must be page-aligned, inside the caller's grant window
 * (atoll/layout.h) and not already in use. flags must be GNTMAP_host_map,
 * optionally with GNTMAP_readonly (required if the entry is GTF_readonly).
 * The frame stays pinned until unmapped. Status:
 *   GNTST_bad_domain         dom does not exist (a domain may map its
 *                            own grants, as on Xen)
 *   GNTST_bad_gntref         ref is outside dom's table
 *   GNTST_permission_denied  the entry is not GTF_permit_access for the
 *                            caller, or is read-only and a writable
 *                            mapping was asked for
 *   GNTST_bad_virt_addr      host_addr unaligned, outside the window, or
 *                            already mapped
 *   GNTST_bad_page           the granted frame is not dom's RAM
 *   GNTST_no_space           the caller has no free mapping handle
 *   GNTST_general_error      unsupported flags (device_map, contains_pte,
 *                            application_map) or no host_map
 */
struct gnttab_map_grant_ref {
	uint64_t host_addr;    /* IN */
	uint32_t flags;	       /* IN: GNTMAP_* */
	grant_ref_t ref;       /* IN */
	domid_t dom;	       /* IN */
	int16_t status;	       /* OUT: GNTST_* */
	grant_handle_t handle; /* OUT: for unmap */
	uint64_t dev_bus_addr; /* OUT: 0 (device_map unsupported) */
};
_Static_assert(sizeof(struct gnttab_map_grant_ref) == 32, "Xen ABI");

/*
 * GNTTABOP_unmap_grant_ref: removes the mapping handle made at host_addr.
 * dev_bus_addr must be 0. Status:
 *   GNTST_bad_handle     handle is not a live mapping of the caller
 *   GNTST_bad_virt_addr  host_addr is not where handle is mapped
 *   GNTST_bad_dev_addr   dev_bus_addr is not 0
 */
struct gnttab_unmap_grant_ref {
	uint64_t host_addr;    /* IN */
	uint64_t dev_bus_addr; /* IN */
	grant_handle_t handle; /* IN */
	int16_t status;	       /* OUT: GNTST_* */
	uint16_t pad;
};
_Static_assert(sizeof(struct gnttab_unmap_grant_ref) == 24, "Xen ABI");

/*
 * GNTTABOP_setup_table (count must be 1): makes the caller's grant table
 * nr_frames frames long (it never shrinks) and writes the frame numbers of
 * its frames into frame_list. The frames are mapped, writable, at
 * ATOLL_GNTTAB_VA in the caller's special-page area. Status:
 *   GNTST_bad_domain     dom is not DOMID_SELF or the caller's id
 *   GNTST_general_error  nr_frames exceeds the table's maximum (see
 *                        GNTTABOP_query_size), or no memory
 *   GNTST_bad_virt_addr  frame_list cannot be written
 */
struct gnttab_setup_table {
	domid_t dom; /* IN */
	uint16_t pad0;
	uint32_t nr_frames; /* IN */
	int16_t status;	    /* OUT: GNTST_* */
	uint16_t pad1[3];
	XEN_GUEST_HANDLE(xen_pfn_t) frame_list; /* OUT: nr_frames entries */
};
_Static_assert(sizeof(struct gnttab_setup_table) == 24, "Xen ABI");

/*
 * GNTTABOP_dump_table (count must be 1): prints dom's grant table on the
 * hypervisor console. Status:
 *   GNTST_bad_domain         dom does not exist
 *   GNTST_permission_denied  dom is another domain and the caller lacks
 *                            ATOLL_CAP_CONSOLE
 */
struct gnttab_dump_table {
	domid_t dom;	/* IN */
	int16_t status; /* OUT: GNTST_* */
};
_Static_assert(sizeof(struct gnttab_dump_table) == 4, "Xen ABI");

/* GNTTABOP_transfer: page transfer. Not supported: -XEN_ENOSYS. */
struct gnttab_transfer {
	xen_pfn_t mfn; /* IN */
	domid_t domid; /* IN */
	uint16_t pad0;
	grant_ref_t ref; /* IN */
	int16_t status;	 /* OUT: GNTST_* */
	uint16_t pad1[3];
};
_Static_assert(sizeof(struct gnttab_transfer) == 24, "Xen ABI");

/* gnttab_copy.flags: which side names its page by grant reference. */
#define _GNTCOPY_source_gref (0)
#define GNTCOPY_source_gref  (1U << _GNTCOPY_source_gref)
#define _GNTCOPY_dest_gref   (1)
#define GNTCOPY_dest_gref    (1U << _GNTCOPY_dest_gref)

/*
 * One side of a copy: a grant reference of domid (when the matching
 * GNTCOPY_*_gref flag is set), or else a frame of the caller's own RAM
 * (domid must then be DOMID_SELF or the caller).
 */
struct gnttab_copy_ptr {
	union {
		grant_ref_t ref;
		xen_pfn_t gmfn;
	} u;
	domid_t domid;
	uint16_t offset; /* byte offset in the page */
};
_Static_assert(sizeof(struct gnttab_copy_ptr) == 16, "Xen ABI");

/*
 * GNTTABOP_copy: copies len bytes from source to dest; neither range may
 * cross its page. The copy happens as if each grant were mapped for the
 * duration (GTF_reading/GTF_writing are honoured). Status:
 *   GNTST_bad_domain         a domid does not exist, or names another
 *                            domain for a frame-number side
 *   GNTST_bad_gntref         a ref is outside its domain's table
 *   GNTST_permission_denied  a grant does not allow the caller this
 *                            access (dest grant GTF_readonly, say)
 *   GNTST_bad_page           a frame is not the owner's RAM
 *   GNTST_bad_copy_arg       offset + len crosses a page, or bad flags
 */
struct gnttab_copy {
	struct gnttab_copy_ptr source; /* IN */
	struct gnttab_copy_ptr dest;   /* IN */
	uint16_t len;		       /* IN: bytes, at most 4096 */
	uint16_t flags;		       /* IN: GNTCOPY_* */
	int16_t status;		       /* OUT: GNTST_* */
	uint16_t pad;
};
_Static_assert(sizeof(struct gnttab_copy) == 40, "Xen ABI");

/*
 * GNTTABOP_query_size (count must be 1): current and maximum number of
 * frames of dom's grant table (DOMID_SELF, or any domain with
 * ATOLL_CAP_DOMCTL). Status:
 *   GNTST_bad_domain         dom does not exist
 *   GNTST_permission_denied  dom is another domain and the caller lacks the
 *                            capability
 */
struct gnttab_query_size {
	domid_t dom; /* IN */
	uint16_t pad0;
	uint32_t nr_frames;	/* OUT */
	uint32_t max_nr_frames; /* OUT */
	int16_t status;		/* OUT: GNTST_* */
	uint16_t pad1;
};
_Static_assert(sizeof(struct gnttab_query_size) == 16, "Xen ABI");

#endif
