// SPDX-License-Identifier: GPL-2.0-only
/*
 * The domain builder. A new domain gets: mem_pages frames of RAM mapped at
 * virtual == pseudo-physical address (page 0 left unmapped), its ELF
 * segments copied in with their own page permissions, a start_info and a
 * shared_info page at fixed addresses (include/public/atoll/layout.h), and
 * vCPU 0 set to enter at the ELF entry point with RSI = start_info and RSP
 * at the top of RAM.
 */
#include <arch/mm.h>
#include <arch/x86.h>
#include <atoll/arch.h>
#include <atoll/bootmodules.h>
#include <atoll/caps.h>
#include <atoll/domain_build.h>
#include <atoll/evtchn.h>
#include <atoll/frame.h>
#include <atoll/gnttab.h>
#include <atoll/hcall.h>
#include <atoll/layout.h>
#include <atoll/sched.h>
#include <atoll/string.h>
#include <atoll/vcpu_arch.h>
#include <elf.h>
#include <xen/errno.h>
#include <xen/xen.h>

#define DOMAIN_MIN_PAGES  16
#define RFLAGS_RESERVED_1 0x2

_Static_assert(sizeof(struct domain) <= PAGE_SIZE, "struct domain: one frame");
_Static_assert(sizeof(struct vcpu) <= PAGE_SIZE, "struct vcpu: one frame");

/*
 * RAM is frames 1 .. mem_pages; frame 0 is a hole that catches NULL. The
 * top frame of RAM is the XenStore ring page, as in Xen's PV builder;
 * the image and the initial stack stay below it.
 */
static uint64_t store_gpfn(const struct domain_config *cfg)
{
	return cfg->mem_pages;
}

static uint64_t usable_end(const struct domain_config *cfg)
{
	return store_gpfn(cfg) << PAGE_SHIFT;
}

static unsigned order_for(uint64_t bytes)
{
	unsigned order = 0;

	while ((PAGE_SIZE << order) < bytes)
		order++;
	return order;
}

int domain_build_check(const struct domain_config *cfg)
{
	size_t name_len = cfg->name ? strnlen(cfg->name, DOMAIN_NAME_MAX) : 0;
	struct elf_limits limits = {PAGE_SIZE, usable_end(cfg)};
	struct elf_image img;

	if (!name_len || name_len >= DOMAIN_NAME_MAX)
		return -XEN_EINVAL;
	if (cfg->mem_pages < DOMAIN_MIN_PAGES ||
	    cfg->max_pages < cfg->mem_pages ||
	    cfg->max_pages > (ATOLL_RAM_LIMIT >> PAGE_SHIFT))
		return -XEN_EINVAL;
	if (!cfg->vcpus || cfg->vcpus > DOMAIN_MAX_VCPUS)
		return -XEN_EINVAL;
	if (cfg->mem_pages + 64 > frame_free_count())
		return -XEN_ENOMEM;
	if (elf_parse(cfg->image, cfg->image_size, &limits, &img) != ELF_OK)
		return -XEN_ENOEXEC;
	if (domain_by_name(cfg->name))
		return -XEN_EEXIST;
	return 0;
}

static bool alloc_zeroed(paddr_t *pa, uint16_t owner)
{
	if (!frame_alloc(0, pa))
		return false;
	memset(arch_phys_to_virt(*pa), 0, PAGE_SIZE);
	frame_set_owner(*pa, owner);
	return true;
}

static bool populate_ram(struct domain *d, uint64_t pages)
{
	for (uint64_t gpfn = 1; gpfn <= pages; gpfn++) {
		paddr_t pa;

		if (!alloc_zeroed(&pa, d->id) ||
		    !aspace_map(&d->as, gpfn << PAGE_SHIFT, pa, ASPACE_WRITE)) {
			if (pa_addr(pa) && d->p2m[gpfn] == 0)
				frame_release(pa);
			return false;
		}
		d->p2m[gpfn] = pa_addr(pa);
		d->tot_pages++;
	}
	return true;
}

struct load_ctx {
	struct domain *d;
};

static void load_copy(uint64_t vaddr, const void *src, uint64_t len, void *c)
{
	struct domain *d = ((struct load_ctx *)c)->d;

	while (len) {
		uint64_t off = vaddr & (PAGE_SIZE - 1);
		uint64_t n = MIN(len, PAGE_SIZE - off);
		uint8_t *dst =
		    arch_phys_to_virt(pa_init(d->p2m[vaddr >> PAGE_SHIFT]));

		if (src)
			memcpy(dst + off, src, n);
		else
			memset(dst + off, 0, n);
		src = src ? (const uint8_t *)src + n : NULL;
		vaddr += n;
		len -= n;
	}
}

static void load_zero(uint64_t vaddr, uint64_t len, void *c)
{
	load_copy(vaddr, NULL, len, c);
}

/* Each segment's pages get the segment's permissions (W^X holds). */
static bool protect_segments(struct domain *d, const struct elf_image *img)
{
	for (unsigned i = 0; i < img->segment_count; i++) {
		const struct elf_segment *s = &img->segments[i];
		unsigned access = (s->flags & ELF_PF_W ? ASPACE_WRITE : 0) |
				  (s->flags & ELF_PF_X ? ASPACE_EXEC : 0);
		uint64_t va = ALIGN_DOWN(s->vaddr, PAGE_SIZE);

		for (; va < s->vaddr + s->memsz; va += PAGE_SIZE) {
			if (!aspace_map(&d->as, va,
					pa_init(d->p2m[va >> PAGE_SHIFT]),
					access))
				return false;
		}
	}
	return true;
}

static int load_image(struct domain *d, const struct domain_config *cfg,
		      uint64_t *entry)
{
	struct elf_limits limits = {PAGE_SIZE, usable_end(cfg)};
	struct elf_image img;
	struct load_ctx ctx = {d};

	if (elf_parse(cfg->image, cfg->image_size, &limits, &img) != ELF_OK)
		return -XEN_ENOEXEC;
	elf_load(&img, cfg->image, load_copy, load_zero, &ctx);
	if (!protect_segments(d, &img))
		return -XEN_ENOMEM;
	*entry = img.entry;
	return 0;
}

static void fill_start_info(struct domain *d, const struct domain_config *cfg)
{
	struct start_info *si = arch_phys_to_virt(d->start_info_pa);

	memcpy(si->magic, XEN_START_INFO_MAGIC, sizeof(XEN_START_INFO_MAGIC));
	si->nr_pages = d->tot_pages;
	si->shared_info = ATOLL_SHARED_INFO_VA;
	si->flags = 0;
	if (cfg->cmdline)
		strncpy_safe((char *)si->cmd_line, cfg->cmdline,
			     sizeof(si->cmd_line));
}

/* The toolstack reads the manifest and images from the boot modules. */
static int show_boot_modules(struct domain *d)
{
	struct start_info *si = arch_phys_to_virt(d->start_info_pa);

	if (!boot_modules_map(d, &d->modtab_pa))
		return -XEN_ENOMEM;
	si->mod_start = ATOLL_BOOT_MODULES_VA;
	si->mod_len = PAGE_SIZE;
	return 0;
}

static int setup_special_pages(struct domain *d,
			       const struct domain_config *cfg)
{
	if (!alloc_zeroed(&d->start_info_pa, d->id) ||
	    !aspace_map(&d->as, ATOLL_START_INFO_VA, d->start_info_pa, 0))
		return -XEN_ENOMEM;
	if (!alloc_zeroed(&d->shared_info_pa, d->id) ||
	    !aspace_map(&d->as, ATOLL_SHARED_INFO_VA, d->shared_info_pa,
			ASPACE_WRITE))
		return -XEN_ENOMEM;
	d->shared = arch_phys_to_virt(d->shared_info_pa);
	fill_start_info(d, cfg);
	return cfg->caps & ATOLL_CAP_DOMCTL ? show_boot_modules(d) : 0;
}

/*
 * Connects d to the XenStore domain the way Xen's toolstack does: the ring
 * page is granted to it under GNTTAB_RESERVED_XENSTORE and an unbound port
 * waits for it to bind. The XenStore domain finds both with getinfo.
 */
static int setup_store(struct domain *d, const struct domain_config *cfg)
{
	struct start_info *si = arch_phys_to_virt(d->start_info_pa);
	evtchn_port_t port;
	int err;

	d->store_domid = DOMID_INVALID;
	if (!cfg->store_domid || cfg->store_domid == DOMID_INVALID ||
	    cfg->store_domid == d->id)
		return 0;
	err = evtchn_alloc_unbound(d, cfg->store_domid, &port);
	if (err)
		return err;
	gnttab_grant_reserved(d, GNTTAB_RESERVED_XENSTORE, cfg->store_domid,
			      store_gpfn(cfg));
	d->store_domid = cfg->store_domid;
	d->store_port = port;
	si->store_mfn = store_gpfn(cfg);
	si->store_evtchn = port;
	return 0;
}

static int create_vcpus(struct domain *d, const struct domain_config *cfg,
			uint64_t entry)
{
	for (unsigned i = 0; i < cfg->vcpus; i++) {
		paddr_t pa;
		struct vcpu *v;

		if (!alloc_zeroed(&pa, FRAME_OWNER_NONE))
			return -XEN_ENOMEM;
		v = arch_phys_to_virt(pa);
		v->domain = d;
		v->id = i;
		v->state = VCPU_DOWN;
		sched_entity_init(&v->sched, cfg->weight, cfg->cap);
		arch_vcpu_init_fpu(v);
		hc_vcpu_timers_init(v);
		/* Events start masked, as on Xen: the domain unmasks them
		 * once its callback is registered. */
		d->shared->vcpu_info[i].evtchn_upcall_mask = 1;
		d->vcpus[d->vcpu_count++] = v;
	}
	arch_vcpu_set_entry(d->vcpus[0], entry, usable_end(cfg),
			    ATOLL_START_INFO_VA);
	return 0;
}

static int alloc_p2m(struct domain *d)
{
	d->p2m_size = d->max_pages + 1; /* frame 0 is the hole */
	d->p2m_order = order_for(d->p2m_size * sizeof(uint64_t));
	if (!frame_alloc(d->p2m_order, &d->p2m_pa))
		return -XEN_ENOMEM;
	d->p2m = arch_phys_to_virt(d->p2m_pa);
	memset(d->p2m, 0, PAGE_SIZE << d->p2m_order);
	return 0;
}

static struct domain *alloc_domain(const struct domain_config *cfg, domid_t id)
{
	paddr_t pa;
	struct domain *d;

	if (!alloc_zeroed(&pa, FRAME_OWNER_NONE))
		return NULL;
	d = arch_phys_to_virt(pa);
	d->lock = (struct spinlock)SPINLOCK_INIT;
	strncpy_safe(d->name, cfg->name, sizeof(d->name));
	d->max_pages = cfg->max_pages;
	d->caps = cfg->caps;
	d->creator = cfg->creator;
	d->weight = cfg->weight;
	d->cap = cfg->cap;
	d->created_ns = arch_now_ns();
	d->id = id;
	return d;
}

int domain_build(const struct domain_config *cfg, domid_t id,
		 struct domain **out)
{
	struct domain *d = alloc_domain(cfg, id);
	uint64_t entry;
	int err = -XEN_ENOMEM;

	if (!d)
		return err;
	if (!aspace_init(&d->as) || alloc_p2m(d) ||
	    !populate_ram(d, cfg->mem_pages))
		goto fail;
	err = load_image(d, cfg, &entry);
	if (!err)
		err = setup_special_pages(d, cfg);
	if (!err)
		err = evtchn_domain_init(d);
	if (!err)
		err = gnttab_domain_init(d);
	if (!err)
		err = setup_store(d, cfg);
	if (!err)
		err = create_vcpus(d, cfg, entry);
	if (err)
		goto fail;
	*out = d;
	return 0;
fail:
	domain_build_release(d);
	return err;
}

static void release_frame(paddr_t *pa)
{
	if (pa_addr(*pa))
		frame_release(*pa);
	*pa = pa_init(0);
}

void domain_build_release(struct domain *d)
{
	for (unsigned i = 0; i < d->vcpu_count; i++)
		frame_free(arch_virt_to_phys(d->vcpus[i]), 0);
	gnttab_domain_free(d);
	evtchn_domain_free(d);
	release_frame(&d->start_info_pa);
	release_frame(&d->shared_info_pa);
	release_frame(&d->modtab_pa);
	for (uint64_t gpfn = 0; d->p2m && gpfn < d->p2m_size; gpfn++) {
		if (d->p2m[gpfn])
			frame_release(pa_init(d->p2m[gpfn]));
	}
	if (d->p2m)
		frame_free(d->p2m_pa, d->p2m_order);
	aspace_destroy(&d->as);
	frame_free(arch_virt_to_phys(d), 0);
}

bool domain_build_autodestroy(struct domain *d)
{
	return d->autodestroy;
}
