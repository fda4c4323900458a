// SPDX-License-Identifier: GPL-2.0-only
/*
 * Intel VT-d DMA remapping (arch/iommu.h has the contract, docs/iommu.md the
 * model).
 *
 * Every unit runs in legacy mode with one root table (a root entry per bus,
 * present once a device on that bus has been assigned) and a context table
 * per such bus. A device's context entry is present only while a domain
 * holds it: it then points at that domain's second-level page table, whose
 * domain id (DID) is the domain's id. Everything else faults.
 *
 * A domain's DMA page table maps each of its RAM frames at its
 * pseudo-physical address, read-write, and nothing else: built from the p2m
 * when the domain gets its first isolated device, kept in step by the p2m
 * hooks, freed when it holds none (or dies). All units share one
 * page-table depth (the deepest every unit supports, 4 or 3 levels).
 *
 * Invalidation is register based: a context entry changed -> global
 * context-cache flush then the IOTLB; a page unmapped -> domain-selective
 * IOTLB flush before the frame may be reused.
 */
#include <arch/acpi.h>
#include <arch/apic.h>
#include <arch/iommu.h>
#include <arch/irq.h>
#include <arch/mm.h>
#include <arch/x86.h>
#include <atoll/arch.h>
#include <atoll/domain.h>
#include <atoll/frame.h>
#include <atoll/panic.h>
#include <atoll/printk.h>
#include <atoll/resource.h>
#include <atoll/spinlock.h>
#include <atoll/string.h>
#include <atoll/timer.h>
#include <xen/errno.h>

#define IOMMU_MAX_DEVICES   64
#define IOMMU_FAULTS_LOGGED 32 /* then only counted (see 'i') */
#define VTD_TIMEOUT_NS	    (1000 * NS_PER_MS)
#define CACHE_LINE	    64

#define SBDF_SEG(s)	 ((uint16_t)((s) >> 16))
#define SBDF_BUS(s)	 ((uint8_t)((s) >> 8))
#define SBDF_DEVFN(s)	 ((uint8_t)(s))
#define SBDF(bus, devfn) ((pci_sbdf_t)((bus) << 8 | (devfn)))
#define DEVFN_DEV(df)	 ((df) >> 3)
#define DEVFN_FN(df)	 ((df)&7)

/* A device scope resolved to buses (at boot, through the bridges). */
struct vtd_scope {
	uint8_t type; /* ACPI_DMAR_SCOPE_ENDPOINT or _BRIDGE */
	uint8_t bus, devfn;
	uint8_t secondary, subordinate; /* a bridge's buses */
};

struct vtd_unit {
	paddr_t base;
	volatile uint8_t *regs;
	uint64_t cap, ecap;
	bool include_all;
	bool enabled; /* translation on */
	struct vtd_scope scopes[ACPI_DMAR_MAX_SCOPES];
	unsigned scope_count;
	uint64_t *root;			      /* VTD_TABLE_ENTRIES x 2 */
	uint64_t *ctx[VTD_TABLE_ENTRIES];     /* per bus, NULL while unused */
	uint16_t ctx_used[VTD_TABLE_ENTRIES]; /* present entries per bus */
	uint64_t faults;		      /* fault records read */
};

/* A device some domain holds; holder 0 = free slot. */
struct iommu_device {
	pci_sbdf_t sbdf;
	domid_t holder;
	struct vtd_unit *unit; /* NULL: its DMA is not isolated */
};

/* A domain's DMA address space. */
struct dma_space {
	uint64_t *top;	  /* second-level table, NULL: none */
	unsigned devices; /* isolated devices pointing at it */
	bool stale;	  /* unmapped since the last IOTLB flush */
};

static struct spinlock iommu_lock = SPINLOCK_INIT;
/* All guarded by iommu_lock once iommu_init() has run. */
static struct vtd_unit units[ACPI_MAX_DRHD];
static unsigned unit_count;
static unsigned enabled_count;
static unsigned levels;	  /* second-level depth: 3 or 4 */
static bool noncoherent;  /* some unit does not snoop its page walks */
static bool caching_mode; /* some unit caches non-present entries */
static struct iommu_device devices[IOMMU_MAX_DEVICES];
static struct dma_space spaces[DOMAIN_MAX + 1];
static uint64_t fault_total;

/* ---- Registers ---------------------------------------------------------- */

static uint32_t rd32(struct vtd_unit *u, unsigned reg)
{
	return *(volatile uint32_t *)(u->regs + reg);
}

static uint64_t rd64(struct vtd_unit *u, unsigned reg)
{
	return *(volatile uint64_t *)(u->regs + reg);
}

static void wr32(struct vtd_unit *u, unsigned reg, uint32_t v)
{
	*(volatile uint32_t *)(u->regs + reg) = v;
}

static void wr64(struct vtd_unit *u, unsigned reg, uint64_t v)
{
	*(volatile uint64_t *)(u->regs + reg) = v;
}

/* Polls until (reg & mask) == want; false after VTD_TIMEOUT_NS. */
static bool vtd_wait32(struct vtd_unit *u, unsigned reg, uint32_t mask,
		       uint32_t want)
{
	uint64_t deadline = arch_now_ns() + VTD_TIMEOUT_NS;

	while ((rd32(u, reg) & mask) != want) {
		if (arch_now_ns() > deadline)
			return false;
		cpu_relax();
	}
	return true;
}

static bool vtd_wait64_clear(struct vtd_unit *u, unsigned reg, uint64_t bit)
{
	uint64_t deadline = arch_now_ns() + VTD_TIMEOUT_NS;

	while (rd64(u, reg) & bit) {
		if (arch_now_ns() > deadline)
			return false;
		cpu_relax();
	}
	return true;
}

/*
 * Issues a global command: the persistent state read back from GSTS with
 * `set` added and `clear` removed (the spec's read-modify-write of GCMD),
 * then waits for GSTS bit `status` to become `on`.
 */
static bool vtd_command(struct vtd_unit *u, uint32_t set, uint32_t clear,
			uint32_t status, bool on)
{
	uint32_t sts = rd32(u, VTD_REG_GSTS) & VTD_GSTS_PERSISTENT;

	wr32(u, VTD_REG_GCMD, (sts | set) & ~clear);
	return vtd_wait32(u, VTD_REG_GSTS, status, on ? status : 0);
}

/* The hardware stopped answering: isolation can no longer be promised. */
static void vtd_dead(struct vtd_unit *u, const char *what)
{
	panic("VT-d unit at 0x%llx: %s timed out",
	      (unsigned long long)pa_addr(u->base), what);
}

static void vtd_flush_write_buffer(struct vtd_unit *u)
{
	if ((u->cap & VTD_CAP_RWBF) &&
	    !vtd_command(u, VTD_GCMD_WBF, 0, VTD_GCMD_WBF, false))
		vtd_dead(u, "write-buffer flush");
}

static void vtd_flush_context(struct vtd_unit *u)
{
	vtd_flush_write_buffer(u);
	wr64(u, VTD_REG_CCMD, VTD_CCMD_ICC | VTD_CCMD_GLOBAL);
	if (!vtd_wait64_clear(u, VTD_REG_CCMD, VTD_CCMD_ICC))
		vtd_dead(u, "context-cache invalidation");
}

/* did 0: every domain. */
static void vtd_flush_iotlb(struct vtd_unit *u, domid_t did)
{
	unsigned reg = VTD_ECAP_IRO(u->ecap) + VTD_REG_IOTLB_OFF;
	uint64_t cmd = VTD_IOTLB_IVT | VTD_IOTLB_DR | VTD_IOTLB_DW;

	cmd |= did ? VTD_IOTLB_DOMAIN | VTD_IOTLB_DID(did) : VTD_IOTLB_GLOBAL;
	vtd_flush_write_buffer(u);
	wr64(u, reg, cmd);
	if (!vtd_wait64_clear(u, reg, VTD_IOTLB_IVT))
		vtd_dead(u, "IOTLB invalidation");
}

static void iotlb_flush_all_units(domid_t did)
{
	for (unsigned i = 0; i < unit_count; i++) {
		if (units[i].enabled)
			vtd_flush_iotlb(&units[i], did);
	}
}

/* Makes table writes visible to page walks that do not snoop. */
static void vtd_sync(const void *p, size_t len)
{
	uintptr_t a = ALIGN_DOWN((uintptr_t)p, CACHE_LINE);

	if (noncoherent) {
		for (; a < (uintptr_t)p + len; a += CACHE_LINE)
			__asm__ volatile("clflush (%0)" : : "r"(a) : "memory");
	}
	__asm__ volatile("mfence" : : : "memory");
}

/* ---- PCI configuration space (mechanism #1) ----------------------------- */

static inline uint32_t inl(uint16_t port)
{
	uint32_t v;

	__asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

/*
 * Reads a config dword. A driver domain may hold the config ports and be
 * preempted between its address and data accesses, so the address register
 * is put back as it was. Interrupts are off (hypercall or boot).
 */
static uint32_t pci_conf_read(uint8_t bus, uint8_t devfn, uint8_t reg)
{
	uint32_t saved = inl(PORT_PCI_CONF_ADDR), v;

	outl(PORT_PCI_CONF_ADDR, PCI_CONF_ENABLE | (uint32_t)bus << 16 |
				     (uint32_t)devfn << 8 | (reg & 0xfc));
	v = inl(PORT_PCI_CONF_DATA);
	outl(PORT_PCI_CONF_ADDR, saved);
	return v;
}

static bool pci_present(uint8_t bus, uint8_t devfn)
{
	return (pci_conf_read(bus, devfn, PCI_VENDOR_ID) & 0xffff) !=
	       PCI_VENDOR_NONE;
}

/* ---- Device scopes ------------------------------------------------------ */

/* Follows a scope's path through its bridges; false if a hop is absent. */
static bool scope_resolve(const struct acpi_dmar_scope *a,
			  struct vtd_scope *out)
{
	uint8_t bus = a->start_bus;

	for (unsigned i = 0; i + 1 < a->path_len; i++) {
		if (!pci_present(bus, a->path[i]))
			return false;
		bus =
		    (uint8_t)(pci_conf_read(bus, a->path[i], PCI_BUS_NUMBERS) >>
			      8);
	}
	out->type = a->type;
	out->bus = bus;
	out->devfn = a->path[a->path_len - 1];
	out->secondary = 1;
	out->subordinate = 0; /* empty range */
	if (a->type == ACPI_DMAR_SCOPE_BRIDGE && pci_present(bus, out->devfn)) {
		uint32_t nums = pci_conf_read(bus, out->devfn, PCI_BUS_NUMBERS);

		out->secondary = (uint8_t)(nums >> 8);
		out->subordinate = (uint8_t)(nums >> 16);
	}
	return true;
}

/* Keeps the PCI scopes (IO APIC and HPET ones matter only to interrupt
 * remapping, which the core does not do). */
static void unit_scopes(struct vtd_unit *u, const struct acpi_dmar_unit *a)
{
	for (uint32_t i = 0; i < a->scope_count; i++) {
		const struct acpi_dmar_scope *s = &a->scopes[i];

		if (s->type != ACPI_DMAR_SCOPE_ENDPOINT &&
		    s->type != ACPI_DMAR_SCOPE_BRIDGE)
			continue;
		if (scope_resolve(s, &u->scopes[u->scope_count]))
			u->scope_count++;
		else
			pr_warn("VT-d: scope %02x:%02x.%u of unit 0x%llx not "
				"found: ignored\n",
				s->start_bus, DEVFN_DEV(s->path[0]),
				DEVFN_FN(s->path[0]),
				(unsigned long long)pa_addr(u->base));
	}
	if (a->scope_dropped)
		pr_warn("VT-d: unit 0x%llx: %u device scopes ignored\n",
			(unsigned long long)pa_addr(u->base), a->scope_dropped);
}

static bool scope_covers(const struct vtd_scope *s, pci_sbdf_t sbdf)
{
	uint8_t bus = SBDF_BUS(sbdf);

	if (bus == s->bus && SBDF_DEVFN(sbdf) == s->devfn)
		return true;
	return s->type == ACPI_DMAR_SCOPE_BRIDGE && bus >= s->secondary &&
	       bus <= s->subordinate;
}

/*
 * The unit whose scope holds the device (an explicit scope wins over
 * INCLUDE_PCI_ALL), if it translates; NULL if none does.
 */
static struct vtd_unit *unit_for(pci_sbdf_t sbdf)
{
	struct vtd_unit *all = NULL;

	for (unsigned i = 0; i < unit_count; i++) {
		struct vtd_unit *u = &units[i];

		for (unsigned s = 0; s < u->scope_count; s++) {
			if (scope_covers(&u->scopes[s], sbdf))
				return u->enabled ? u : NULL;
		}
		if (u->include_all && !all)
			all = u;
	}
	return all && all->enabled ? all : NULL;
}

/* ---- Tables ------------------------------------------------------------- */

static uint64_t *table_alloc(enum frame_type type)
{
	paddr_t pa;

	if (!frame_alloc(0, &pa))
		return NULL;
	memset(arch_phys_to_virt(pa), 0, PAGE_SIZE);
	frame_set_owner(pa, FRAME_OWNER_NONE);
	frame_set_type(pa, type);
	vtd_sync(arch_phys_to_virt(pa), PAGE_SIZE);
	return arch_phys_to_virt(pa);
}

static void table_free(uint64_t *t)
{
	frame_free(arch_virt_to_phys(t), 0);
}

static uint64_t *entry_table(uint64_t e)
{
	return arch_phys_to_virt(pa_init(e & VTD_SL_ADDR_MASK));
}

/* Frames numbered below this fit the second-level tables. */
static uint64_t dma_gpfn_limit(void)
{
	return 1ULL << (9 * levels);
}

/*
 * The leaf entry for gpfn in the table at top, creating missing tables if
 * `create`; NULL if absent (or out of memory).
 */
static uint64_t *sl_walk(uint64_t *top, uint64_t gpfn, bool create)
{
	uint64_t *t = top;

	for (unsigned level = levels - 1; level > 0; level--) {
		uint64_t *e = &t[(gpfn >> (9 * level)) % VTD_ENTRIES];

		if (!(*e & VTD_SL_R)) {
			uint64_t *next =
			    create ? table_alloc(FRAME_TYPE_PAGE_TABLE) : NULL;

			if (!next)
				return NULL;
			*e = pa_addr(arch_virt_to_phys(next)) | VTD_SL_R |
			     VTD_SL_W;
			vtd_sync(e, sizeof(*e));
		}
		t = entry_table(*e);
	}
	return &t[gpfn % VTD_ENTRIES];
}

static void sl_free(uint64_t *t, unsigned level)
{
	for (unsigned i = 0; level > 0 && i < VTD_ENTRIES; i++) {
		if (t[i] & VTD_SL_R)
			sl_free(entry_table(t[i]), level - 1);
	}
	table_free(t);
}

/* Only the domain's own RAM ever goes into its DMA space. */
static bool dma_frame_ok(const struct domain *d, uint64_t gpfn, paddr_t pa)
{
	return gpfn > 0 && gpfn < dma_gpfn_limit() &&
	       frame_owner(pa) == d->id &&
	       frame_type_of(pa) == FRAME_TYPE_DOMAIN;
}

/* Sets one leaf; false if a table cannot be allocated. */
static bool space_map(struct dma_space *sp, const struct domain *d,
		      uint64_t gpfn, paddr_t pa)
{
	uint64_t *pte;

	if (!dma_frame_ok(d, gpfn, pa))
		return true; /* not DMA-reachable, by design */
	pte = sl_walk(sp->top, gpfn, true);
	if (!pte)
		return false;
	*pte = pa_addr(pa) | VTD_SL_R | VTD_SL_W;
	vtd_sync(pte, sizeof(*pte));
	return true;
}

static void space_free(struct dma_space *sp)
{
	if (sp->top)
		sl_free(sp->top, levels - 1);
	*sp = (struct dma_space){0};
}

/* Builds d's DMA space from its p2m (d->lock held); false: out of memory. */
static bool space_build(struct domain *d)
{
	struct dma_space *sp = &spaces[d->id];

	sp->top = table_alloc(FRAME_TYPE_PAGE_TABLE);
	if (!sp->top)
		return false;
	for (uint64_t gpfn = 1; gpfn < d->p2m_size; gpfn++) {
		if (d->p2m[gpfn] &&
		    !space_map(sp, d, gpfn, pa_init(d->p2m[gpfn]))) {
			space_free(sp);
			return false;
		}
	}
	return true;
}

/* ---- Context entries ---------------------------------------------------- */

static uint64_t *ctx_entry(struct vtd_unit *u, pci_sbdf_t sbdf)
{
	return &u->ctx[SBDF_BUS(sbdf)][SBDF_DEVFN(sbdf) * 2];
}

/* The bus's context table exists afterwards; false: out of memory. */
static bool ctx_table_prepare(struct vtd_unit *u, uint8_t bus)
{
	uint64_t *root = &u->root[bus * 2];

	if (u->ctx[bus])
		return true;
	u->ctx[bus] = table_alloc(FRAME_TYPE_CORE);
	if (!u->ctx[bus])
		return false;
	root[1] = 0;
	root[0] = pa_addr(arch_virt_to_phys(u->ctx[bus])) | VTD_ROOT_P;
	vtd_sync(root, 2 * sizeof(*root));
	return true;
}

/* Frees the bus's context table once no entry in it is present. */
static void ctx_table_trim(struct vtd_unit *u, uint8_t bus)
{
	uint64_t *root = &u->root[bus * 2];

	if (!u->ctx[bus] || u->ctx_used[bus])
		return;
	root[0] = 0;
	vtd_sync(root, sizeof(*root));
	vtd_flush_context(u);
	table_free(u->ctx[bus]);
	u->ctx[bus] = NULL;
}

/* Not present: the device's DMA faults once the caches are flushed. */
static void ctx_block(struct vtd_unit *u, pci_sbdf_t sbdf, domid_t old)
{
	uint64_t *e = ctx_entry(u, sbdf);

	e[0] = 0;
	vtd_sync(e, sizeof(*e));
	e[1] = 0;
	vtd_sync(e, 2 * sizeof(*e));
	u->ctx_used[SBDF_BUS(sbdf)]--;
	vtd_flush_context(u);
	vtd_flush_iotlb(u, old);
}

/* Points the (blocked) device at d's space. */
static void ctx_point(struct vtd_unit *u, pci_sbdf_t sbdf, domid_t did,
		      const struct dma_space *sp)
{
	uint64_t *e = ctx_entry(u, sbdf);

	e[1] = VTD_CTX_HI_AW(levels) | VTD_CTX_HI_DID(did);
	vtd_sync(e, 2 * sizeof(*e));
	e[0] = pa_addr(arch_virt_to_phys(sp->top)) |
	       VTD_CTX_LO_TT_UNTRANSLATED | VTD_CTX_LO_P;
	vtd_sync(e, sizeof(*e));
	u->ctx_used[SBDF_BUS(sbdf)]++;
	vtd_flush_context(u);
	vtd_flush_iotlb(u, did);
}

/* ---- Faults ------------------------------------------------------------- */

static const char *fault_reason(unsigned fr)
{
	static const char *const names[] = {
	    [1] = "root entry not present (device blocked)",
	    [2] = "context entry not present (device blocked)",
	    [3] = "invalid context entry",
	    [4] = "address beyond the address width",
	    [5] = "write to a page not writable (not the owner's RAM)",
	    [6] = "read of a page not readable (not the owner's RAM)",
	    [7] = "page-table entry unreadable",
	};

	return fr < ARRAY_SIZE(names) && names[fr] ? names[fr] : "other";
}

static struct iommu_device *device_find(pci_sbdf_t sbdf)
{
	for (unsigned i = 0; i < IOMMU_MAX_DEVICES; i++) {
		if (devices[i].holder && devices[i].sbdf == sbdf)
			return &devices[i];
	}
	return NULL;
}

static void fault_log(struct vtd_unit *u, uint64_t lo, uint64_t hi)
{
	uint16_t sid = VTD_FRCD_HI_SID(hi);
	struct iommu_device *dev = device_find(sid);
	unsigned fr = VTD_FRCD_HI_FR(hi);
	char holder[16] = "no domain";

	u->faults++;
	if (fault_total++ >= IOMMU_FAULTS_LOGGED)
		return;
	if (dev)
		snprintf(holder, sizeof(holder), "d%u", dev->holder);
	pr_warn("VT-d: DMA fault: %s at 0x%llx by %02x:%02x.%u (held by %s): "
		"reason %u, %s\n",
		(hi & VTD_FRCD_HI_T) ? "read" : "write",
		(unsigned long long)VTD_FRCD_LO_FI(lo), sid >> 8,
		DEVFN_DEV(sid & 0xff), DEVFN_FN(sid & 0xff), holder, fr,
		fault_reason(fr));
}

/* Reads and clears every pending fault record of u (iommu_lock held). */
static void vtd_faults(struct vtd_unit *u)
{
	uint32_t fsts = rd32(u, VTD_REG_FSTS);
	unsigned fro = VTD_CAP_FRO(u->cap), nfr = VTD_CAP_NFR(u->cap);
	unsigned idx = VTD_FSTS_FRI(fsts) % nfr;

	for (unsigned n = 0; (fsts & VTD_FSTS_PPF) && n < nfr; n++) {
		unsigned rec = fro + idx * VTD_FRCD_SIZE;
		uint64_t hi = rd64(u, rec + 8);

		if (!(hi & VTD_FRCD_HI_F))
			break;
		fault_log(u, rd64(u, rec), hi);
		/* F is write-1-to-clear: bit 31 of the record's last dword. */
		wr32(u, rec + 12, (uint32_t)(VTD_FRCD_HI_F >> 32));
		idx = (idx + 1) % nfr;
	}
	if (fsts & VTD_FSTS_PFO) {
		pr_warn("VT-d: fault records overflowed: some faults lost\n");
		wr32(u, VTD_REG_FSTS, VTD_FSTS_PFO);
	}
}

static void faults_all_units(void)
{
	for (unsigned i = 0; i < unit_count; i++) {
		if (units[i].regs)
			vtd_faults(&units[i]);
	}
}

static void fault_interrupt(struct cpu_regs *regs)
{
	irqflags_t f = spin_lock_irqsave(&iommu_lock);

	faults_all_units();
	spin_unlock_irqrestore(&iommu_lock, f);
}

/* ---- Boot --------------------------------------------------------------- */

/* Maps the registers, fault records and IOTLB registers included. */
static bool unit_map(struct vtd_unit *u, const struct acpi_dmar_unit *a)
{
	uint64_t size = PAGE_SIZE << MIN(a->size, 4), need;

	u->regs = ioremap(u->base, PAGE_SIZE);
	if (!u->regs)
		return false;
	u->cap = rd64(u, VTD_REG_CAP);
	u->ecap = rd64(u, VTD_REG_ECAP);
	need = MAX(VTD_CAP_FRO(u->cap) + VTD_CAP_NFR(u->cap) * VTD_FRCD_SIZE,
		   VTD_ECAP_IRO(u->ecap) + 2 * sizeof(uint64_t));
	size = ALIGN_UP(MAX(size, need), PAGE_SIZE);
	if (size > PAGE_SIZE)
		u->regs = ioremap(u->base, size);
	/* No domain may ever map these. */
	resource_core_keep(RESOURCE_MMIO, (uint32_t)pa_to_pfn(u->base),
			   (uint32_t)(size >> PAGE_SHIFT), "the IOMMU (VT-d)");
	return u->regs != NULL;
}

/* The deepest walk every mapped unit supports; 0 if there is none. */
static unsigned common_levels(void)
{
	unsigned both = VTD_SAGAW_LEVELS(3) | VTD_SAGAW_LEVELS(4);

	for (unsigned i = 0; i < unit_count; i++)
		both &= VTD_CAP_SAGAW(units[i].cap);
	if (both & VTD_SAGAW_LEVELS(4))
		return 4;
	return (both & VTD_SAGAW_LEVELS(3)) ? 3 : 0;
}

static void unit_fault_setup(struct vtd_unit *u)
{
	vtd_faults(u); /* stale records from before us */
	wr32(u, VTD_REG_FEDATA, VECTOR_IOMMU_FAULT);
	wr32(u, VTD_REG_FEADDR,
	     MSI_ADDR_BASE | apic_id() << MSI_ADDR_DEST_SHIFT);
	wr32(u, VTD_REG_FEUADDR, 0);
	wr32(u, VTD_REG_FECTL, 0); /* unmasked */
}

/* Root table in, caches flushed, translation on. Logs why not. */
static bool unit_enable(struct vtd_unit *u)
{
	if ((1U << (4 + 2 * VTD_CAP_ND(u->cap))) <= DOMAIN_MAX) {
		pr_err("VT-d: unit 0x%llx has too few domain ids\n",
		       (unsigned long long)pa_addr(u->base));
		return false;
	}
	if ((rd32(u, VTD_REG_GSTS) & VTD_GCMD_TE) &&
	    !vtd_command(u, 0, VTD_GCMD_TE, VTD_GCMD_TE, false))
		return false;
	u->root = table_alloc(FRAME_TYPE_CORE);
	if (!u->root)
		return false;
	wr64(u, VTD_REG_RTADDR,
	     pa_addr(arch_virt_to_phys(u->root)) | VTD_RTADDR_LEGACY);
	if (!vtd_command(u, VTD_GCMD_SRTP, 0, VTD_GCMD_SRTP, true))
		return false;
	vtd_flush_context(u);
	vtd_flush_iotlb(u, 0);
	unit_fault_setup(u);
	return vtd_command(u, VTD_GCMD_TE, 0, VTD_GCMD_TE, true);
}

static void unit_log(struct vtd_unit *u)
{
	pr_info("VT-d: unit at 0x%llx: version %x, cap %llx, ecap %llx%s, "
		"%u device scopes\n",
		(unsigned long long)pa_addr(u->base), rd32(u, VTD_REG_VER),
		(unsigned long long)u->cap, (unsigned long long)u->ecap,
		u->include_all ? ", all PCI devices" : "", u->scope_count);
}

static unsigned units_probe(const struct acpi_dmar_info *dmar)
{
	for (uint32_t i = 0; i < dmar->unit_count; i++) {
		const struct acpi_dmar_unit *a = &dmar->units[i];
		struct vtd_unit *u = &units[unit_count];

		if (a->segment != 0) {
			pr_warn("VT-d: unit 0x%llx on segment %u ignored\n",
				(unsigned long long)pa_addr(a->base),
				a->segment);
			continue;
		}
		u->base = a->base;
		u->include_all = a->include_all;
		if (!unit_map(u, a)) {
			pr_err("VT-d: cannot map unit 0x%llx\n",
			       (unsigned long long)pa_addr(a->base));
			continue;
		}
		unit_scopes(u, a);
		unit_count++;
	}
	return unit_count;
}

static void units_enable(void)
{
	for (unsigned i = 0; i < unit_count; i++) {
		struct vtd_unit *u = &units[i];

		noncoherent |= !(u->ecap & VTD_ECAP_C);
		caching_mode |= (u->cap & VTD_CAP_CM) != 0;
	}
	for (unsigned i = 0; i < unit_count; i++) {
		struct vtd_unit *u = &units[i];

		unit_log(u);
		u->enabled = unit_enable(u);
		if (u->enabled)
			enabled_count++;
		else
			pr_err("VT-d: unit 0x%llx left off: its devices' DMA "
			       "is not isolated\n",
			       (unsigned long long)pa_addr(u->base));
	}
}

void iommu_init(const struct acpi_dmar_info *dmar)
{
	irqflags_t f = spin_lock_irqsave(&iommu_lock);

	if (dmar->present && units_probe(dmar)) {
		levels = common_levels();
		irq_register(VECTOR_IOMMU_FAULT, fault_interrupt);
		if (levels)
			units_enable();
		else
			pr_err("VT-d: no page-table depth common to all "
			       "units\n");
	}
	spin_unlock_irqrestore(&iommu_lock, f);
	if (dmar->rmrr_count)
		pr_warn("VT-d: %u reserved memory regions (RMRR) not honoured: "
			"their devices are blocked until assigned\n",
			dmar->rmrr_count);
	if (enabled_count)
		pr_info("VT-d: %u unit%s, translation enabled (%u-level "
			"tables); every device blocked until assigned\n",
			enabled_count, enabled_count > 1 ? "s" : "", levels);
	else
		pr_warn("no IOMMU: device assignment will not isolate DMA\n");
}

/* ---- Assignment --------------------------------------------------------- */

static struct iommu_device *device_slot(pci_sbdf_t sbdf)
{
	struct iommu_device *dev = device_find(sbdf);

	for (unsigned i = 0; !dev && i < IOMMU_MAX_DEVICES; i++) {
		if (!devices[i].holder)
			dev = &devices[i];
	}
	return dev;
}

domid_t arch_iommu_device_holder(pci_sbdf_t sbdf)
{
	irqflags_t f = spin_lock_irqsave(&iommu_lock);
	struct iommu_device *dev = device_find(sbdf);
	domid_t holder = dev ? dev->holder : 0;

	spin_unlock_irqrestore(&iommu_lock, f);
	return holder;
}

/*
 * The device stops using its holder's space, which goes with its last
 * device; so does the bus's context table if `trim` (not when the device
 * is about to be pointed elsewhere).
 */
static void device_release(struct iommu_device *dev, bool trim)
{
	struct dma_space *sp = &spaces[dev->holder];

	if (dev->unit) {
		ctx_block(dev->unit, dev->sbdf, dev->holder);
		if (--sp->devices == 0)
			space_free(sp);
		if (trim)
			ctx_table_trim(dev->unit, SBDF_BUS(dev->sbdf));
	}
	dev->holder = 0;
	dev->unit = NULL;
}

/* Everything an isolated assignment needs, allocated up front. */
static int assign_prepare(struct domain *d, struct vtd_unit *u, pci_sbdf_t sbdf)
{
	struct dma_space *sp = &spaces[d->id];

	if (!sp->top && !space_build(d))
		return -XEN_ENOMEM;
	if (!ctx_table_prepare(u, SBDF_BUS(sbdf))) {
		if (!sp->devices)
			space_free(sp);
		return -XEN_ENOMEM;
	}
	return 0;
}

static void assign_log(const struct domain *d, pci_sbdf_t sbdf,
		       const struct vtd_unit *u)
{
	const char *why =
	    enabled_count ? "outside every VT-d unit's scope" : "no IOMMU";

	if (u)
		pr_info("d%u: 0000:%02x:%02x.%u assigned, DMA isolated by "
			"VT-d\n",
			d->id, SBDF_BUS(sbdf), DEVFN_DEV(SBDF_DEVFN(sbdf)),
			DEVFN_FN(SBDF_DEVFN(sbdf)));
	else
		pr_warn("d%u: 0000:%02x:%02x.%u assigned, DMA not isolated: "
			"%s\n",
			d->id, SBDF_BUS(sbdf), DEVFN_DEV(SBDF_DEVFN(sbdf)),
			DEVFN_FN(SBDF_DEVFN(sbdf)), why);
}

/* Moves dev to d (iommu_lock and d->lock held, resources prepared). */
static void assign_commit(struct domain *d, struct iommu_device *dev,
			  pci_sbdf_t sbdf, struct vtd_unit *u)
{
	struct vtd_unit *old_unit = dev->unit;

	if (dev->holder)
		device_release(dev, old_unit != u);
	dev->sbdf = sbdf;
	dev->holder = d->id;
	dev->unit = u;
	if (u) {
		spaces[d->id].devices++;
		ctx_point(u, sbdf, d->id, &spaces[d->id]);
	}
}

int arch_iommu_assign(struct domain *d, pci_sbdf_t sbdf, bool *isolated)
{
	struct vtd_unit *u;
	struct iommu_device *dev;
	irqflags_t f;
	int err = 0;

	if (SBDF_SEG(sbdf) != 0)
		return -XEN_ENODEV;
	f = spin_lock_irqsave(&d->lock);
	spin_lock(&iommu_lock);
	u = unit_for(sbdf);
	dev = device_slot(sbdf);
	if (!pci_present(SBDF_BUS(sbdf), SBDF_DEVFN(sbdf)))
		err = -XEN_ENODEV;
	else if (!dev)
		err = -XEN_ENOSPC;
	else if (dev->holder != d->id && u)
		err = assign_prepare(d, u, sbdf);
	if (!err && dev->holder != d->id) {
		assign_commit(d, dev, sbdf, u);
		assign_log(d, sbdf, u);
	}
	if (!err)
		*isolated = dev->unit != NULL;
	spin_unlock(&iommu_lock);
	spin_unlock_irqrestore(&d->lock, f);
	return err;
}

int arch_iommu_deassign(struct domain *d, pci_sbdf_t sbdf)
{
	irqflags_t f = spin_lock_irqsave(&iommu_lock);
	struct iommu_device *dev = device_find(sbdf);
	int err = -XEN_EINVAL;

	if (dev && dev->holder == d->id) {
		device_release(dev, true);
		pr_info("d%u: 0000:%02x:%02x.%u deassigned, DMA blocked\n",
			d->id, SBDF_BUS(sbdf), DEVFN_DEV(SBDF_DEVFN(sbdf)),
			DEVFN_FN(SBDF_DEVFN(sbdf)));
		err = 0;
	}
	spin_unlock_irqrestore(&iommu_lock, f);
	return err;
}

void arch_iommu_domain_destroy(struct domain *d)
{
	irqflags_t f = spin_lock_irqsave(&iommu_lock);
	unsigned blocked = 0;

	for (unsigned i = 0; i < IOMMU_MAX_DEVICES; i++) {
		if (devices[i].holder == d->id) {
			device_release(&devices[i], true);
			blocked++;
		}
	}
	space_free(&spaces[d->id]);
	spin_unlock_irqrestore(&iommu_lock, f);
	if (blocked)
		pr_info("d%u: %u device%s blocked (domain dying)\n", d->id,
			blocked, blocked > 1 ? "s" : "");
}

/* ---- p2m hooks ---------------------------------------------------------- */

bool arch_iommu_map(struct domain *d, uint64_t gpfn, paddr_t pa)
{
	irqflags_t f = spin_lock_irqsave(&iommu_lock);
	struct dma_space *sp = &spaces[d->id];
	bool ok = true;

	if (sp->top) {
		ok = space_map(sp, d, gpfn, pa);
		/* A caching unit may hold the old "not present". */
		if (ok && caching_mode)
			iotlb_flush_all_units(d->id);
	}
	spin_unlock_irqrestore(&iommu_lock, f);
	return ok;
}

void arch_iommu_unmap(struct domain *d, uint64_t gpfn)
{
	irqflags_t f = spin_lock_irqsave(&iommu_lock);
	struct dma_space *sp = &spaces[d->id];
	uint64_t *pte;

	if (sp->top && gpfn < dma_gpfn_limit()) {
		pte = sl_walk(sp->top, gpfn, false);
		if (pte && *pte) {
			*pte = 0;
			vtd_sync(pte, sizeof(*pte));
			sp->stale = true;
		}
	}
	spin_unlock_irqrestore(&iommu_lock, f);
}

void arch_iommu_flush(struct domain *d)
{
	irqflags_t f = spin_lock_irqsave(&iommu_lock);
	struct dma_space *sp = &spaces[d->id];

	if (sp->stale) {
		iotlb_flush_all_units(d->id);
		sp->stale = false;
	}
	spin_unlock_irqrestore(&iommu_lock, f);
}

/* ---- Debug key 'i' ------------------------------------------------------ */

static void dump_unit(struct vtd_unit *u)
{
	pr_info(
	    "  unit 0x%llx: %s, gsts %x, fsts %x, %llu faults, %u scopes%s\n",
	    (unsigned long long)pa_addr(u->base),
	    u->enabled ? "translating" : "off", rd32(u, VTD_REG_GSTS),
	    rd32(u, VTD_REG_FSTS), (unsigned long long)u->faults,
	    u->scope_count, u->include_all ? " + all PCI" : "");
}

void arch_iommu_dump(void)
{
	irqflags_t f = spin_lock_irqsave(&iommu_lock);

	faults_all_units();
	pr_info("IOMMU: %u VT-d unit%s translating, %u-level tables, %llu DMA "
		"faults\n",
		enabled_count, enabled_count == 1 ? "" : "s", levels,
		(unsigned long long)fault_total);
	for (unsigned i = 0; i < unit_count; i++)
		dump_unit(&units[i]);
	for (unsigned i = 0; i < IOMMU_MAX_DEVICES; i++) {
		const struct iommu_device *dev = &devices[i];

		if (dev->holder)
			pr_info("  0000:%02x:%02x.%u -> d%u, DMA %s\n",
				SBDF_BUS(dev->sbdf),
				DEVFN_DEV(SBDF_DEVFN(dev->sbdf)),
				DEVFN_FN(SBDF_DEVFN(dev->sbdf)), dev->holder,
				dev->unit ? "isolated" : "NOT isolated");
	}
	spin_unlock_irqrestore(&iommu_lock, f);
}
