// SPDX-License-Identifier: GPL-2.0-only
#include <atoll/arch.h>
#include <atoll/buddy.h>
#include <atoll/frame.h>
#include <atoll/memmap.h>
#include <atoll/printk.h>
#include <atoll/panic.h>
#include <atoll/spinlock.h>
#include <atoll/string.h>
#include <arch/mm.h>

static struct spinlock frame_lock = SPINLOCK_INIT;
static struct buddy frame_buddy;   /* guarded by frame_lock */
static uint64_t frame_total;	   /* frames handed to the buddy at init */
static uint64_t frame_bookkeeping; /* bytes used by the frame array */

struct frame_info {
	uint16_t owner;	  /* domain id, FRAME_OWNER_NONE */
	uint8_t released; /* owner let go while pinned: free at last unpin */
	uint8_t type;	  /* enum frame_type */
	uint32_t pins;
};
static struct frame_info *frame_infos; /* guarded by frame_lock */

bool frame_init(struct memmap *free, uint64_t reachable_limit)
{
	uint64_t base_pfn, end_pfn, count, array_pa;

	if (!free->count)
		return false;
	base_pfn = free->ranges[0].start >> PAGE_SHIFT;
	end_pfn = memmap_end(free) >> PAGE_SHIFT;
	count = MIN(end_pfn - base_pfn, BUDDY_MAX_FRAMES);
	frame_bookkeeping = ALIGN_UP(
	    count * (sizeof(struct buddy_frame) + sizeof(struct frame_info)),
	    PAGE_SIZE);
	if (!memmap_take(free, frame_bookkeeping, PAGE_SIZE, reachable_limit,
			 &array_pa))
		return false;
	buddy_init(&frame_buddy, arch_phys_to_virt(pa_init(array_pa)), base_pfn,
		   count);
	frame_infos =
	    (struct frame_info *)((struct buddy_frame *)arch_phys_to_virt(
				      pa_init(array_pa)) +
				  count);
	memset(frame_infos, 0, count * sizeof(struct frame_info));
	for (unsigned i = 0; i < free->count; i++) {
		uint64_t start = free->ranges[i].start >> PAGE_SHIFT;
		uint64_t end = free->ranges[i].end >> PAGE_SHIFT;

		frame_total +=
		    buddy_add_range(&frame_buddy, start, end - start);
	}
	return true;
}

bool frame_alloc_below(unsigned order, uint64_t limit, paddr_t *out)
{
	irqflags_t flags = spin_lock_irqsave(&frame_lock);
	uint64_t pfn;
	bool ok =
	    buddy_alloc_below(&frame_buddy, order, limit >> PAGE_SHIFT, &pfn);

	spin_unlock_irqrestore(&frame_lock, flags);
	if (ok)
		*out = pfn_to_pa(pfn);
	return ok;
}

bool frame_alloc(unsigned order, paddr_t *out)
{
	irqflags_t flags = spin_lock_irqsave(&frame_lock);
	uint64_t pfn;
	bool ok = buddy_alloc(&frame_buddy, order, &pfn);

	spin_unlock_irqrestore(&frame_lock, flags);
	if (ok)
		*out = pfn_to_pa(pfn);
	return ok;
}

static struct frame_info *info_of(paddr_t pa);

void frame_free(paddr_t pa, unsigned order)
{
	irqflags_t flags = spin_lock_irqsave(&frame_lock);

	memset(info_of(pa), 0, sizeof(struct frame_info) << order);
	buddy_free(&frame_buddy, pa_to_pfn(pa), order);
	spin_unlock_irqrestore(&frame_lock, flags);
}

static struct frame_info *info_of(paddr_t pa)
{
	uint64_t pfn = pa_to_pfn(pa);

	ASSERT(pfn >= frame_buddy.base_pfn &&
	       pfn < frame_buddy.base_pfn + frame_buddy.frame_count);
	return &frame_infos[pfn - frame_buddy.base_pfn];
}

void frame_set_owner(paddr_t pa, uint16_t owner)
{
	irqflags_t flags = spin_lock_irqsave(&frame_lock);

	info_of(pa)->owner = owner;
	info_of(pa)->type =
	    owner == FRAME_OWNER_NONE ? FRAME_TYPE_CORE : FRAME_TYPE_DOMAIN;
	spin_unlock_irqrestore(&frame_lock, flags);
}

void frame_set_type(paddr_t pa, enum frame_type type)
{
	irqflags_t flags = spin_lock_irqsave(&frame_lock);

	info_of(pa)->type = type;
	spin_unlock_irqrestore(&frame_lock, flags);
}

enum frame_type frame_type_of(paddr_t pa)
{
	return READ_ONCE(info_of(pa)->type);
}

uint16_t frame_owner(paddr_t pa)
{
	return READ_ONCE(info_of(pa)->owner);
}

uint32_t frame_pins(paddr_t pa)
{
	return READ_ONCE(info_of(pa)->pins);
}

void frame_pin(paddr_t pa)
{
	irqflags_t flags = spin_lock_irqsave(&frame_lock);

	info_of(pa)->pins++;
	spin_unlock_irqrestore(&frame_lock, flags);
}

/* Clears the frame's record and returns it to the buddy; lock held. */
static void free_locked(paddr_t pa)
{
	*info_of(pa) = (struct frame_info){0};
	buddy_free(&frame_buddy, pa_to_pfn(pa), 0);
}

void frame_unpin(paddr_t pa)
{
	irqflags_t flags = spin_lock_irqsave(&frame_lock);
	struct frame_info *fi = info_of(pa);

	ASSERT(fi->pins > 0);
	if (--fi->pins == 0 && fi->released)
		free_locked(pa);
	spin_unlock_irqrestore(&frame_lock, flags);
}

void frame_release(paddr_t pa)
{
	irqflags_t flags = spin_lock_irqsave(&frame_lock);
	struct frame_info *fi = info_of(pa);

	if (fi->pins)
		fi->released = 1;
	else
		free_locked(pa);
	spin_unlock_irqrestore(&frame_lock, flags);
}

uint64_t frame_free_count(void)
{
	return buddy_free_count(&frame_buddy);
}

uint64_t frame_total_count(void)
{
	return frame_total;
}

/*
 * Takes every free frame one at a time, chaining them through their own
 * first word (which also proves each is writable through the direct map),
 * then gives them all back and checks nothing was lost.
 */
bool frame_self_test(void)
{
	uint64_t before = frame_free_count(), taken = 0;
	paddr_t pa, head = pa_init(0);

	while (frame_alloc(0, &pa)) {
		*(uint64_t *)arch_phys_to_virt(pa) = pa_addr(head);
		head = pa;
		taken++;
	}
	while (taken--) {
		paddr_t next = pa_init(*(uint64_t *)arch_phys_to_virt(head));

		frame_free(head, 0);
		head = next;
	}
	return frame_free_count() == before && buddy_check(&frame_buddy);
}

/* Frames by type; frames never tagged (boot tables, ...) count as core. */
static void dump_types(void)
{
	static const char *const names[FRAME_TYPE_COUNT] = {
	    [FRAME_TYPE_FREE] = "untagged",
	    [FRAME_TYPE_CORE] = "core",
	    [FRAME_TYPE_DOMAIN] = "domain",
	    [FRAME_TYPE_PAGE_TABLE] = "page table",
	};
	uint64_t count[FRAME_TYPE_COUNT] = {0};

	for (uint64_t i = 0; i < frame_buddy.frame_count; i++) {
		if (frame_buddy.frames[i].state == BUDDY_RESERVED)
			continue;
		count[frame_infos[i].type < FRAME_TYPE_COUNT
			  ? frame_infos[i].type
			  : 0]++;
	}
	count[FRAME_TYPE_FREE] -= buddy_free_count(&frame_buddy);
	for (unsigned t = 0; t < FRAME_TYPE_COUNT; t++)
		pr_info("memory:   %-10s %llu frames\n", names[t],
			(unsigned long long)count[t]);
}

void frame_dump(void)
{
	irqflags_t flags = spin_lock_irqsave(&frame_lock);
	uint64_t free = buddy_free_count(&frame_buddy);

	pr_info(
	    "memory: %llu frames (%llu MiB) managed, %llu free, %llu used\n",
	    (unsigned long long)frame_total,
	    (unsigned long long)(frame_total >> (20 - PAGE_SHIFT)),
	    (unsigned long long)free, (unsigned long long)(frame_total - free));
	pr_info("memory: frame array %llu KiB for pfns %llx-%llx\n",
		(unsigned long long)(frame_bookkeeping >> 10),
		(unsigned long long)frame_buddy.base_pfn,
		(unsigned long long)(frame_buddy.base_pfn +
				     frame_buddy.frame_count));
	dump_types();
	for (unsigned o = 0; o <= BUDDY_MAX_ORDER; o++) {
		uint64_t blocks = buddy_free_blocks(&frame_buddy, o);

		if (blocks)
			pr_info("memory:   order %2u: %llu free blocks\n", o,
				(unsigned long long)blocks);
	}
	spin_unlock_irqrestore(&frame_lock, flags);
}
