// SPDX-License-Identifier: GPL-2.0-only
#include <atoll/memmap.h>
#include <atoll/addr.h>
#include <atoll/string.h>

void memmap_init(struct memmap *m)
{
	memset(m, 0, sizeof(*m));
}

static void insert_at(struct memmap *m, unsigned i, uint64_t start,
		      uint64_t end)
{
	if (m->count == MEMMAP_MAX_RANGES) {
		m->dropped++;
		return;
	}
	memmove(&m->ranges[i + 1], &m->ranges[i],
		(m->count - i) * sizeof(m->ranges[0]));
	m->ranges[i] = (struct mem_range){start, end};
	m->count++;
}

static void delete_at(struct memmap *m, unsigned i)
{
	memmove(&m->ranges[i], &m->ranges[i + 1],
		(m->count - i - 1) * sizeof(m->ranges[0]));
	m->count--;
}

/* Merges range i with any following ranges it now touches or overlaps. */
static void merge_forward(struct memmap *m, unsigned i)
{
	while (i + 1 < m->count && m->ranges[i + 1].start <= m->ranges[i].end) {
		m->ranges[i].end = MAX(m->ranges[i].end, m->ranges[i + 1].end);
		delete_at(m, i + 1);
	}
}

void memmap_add(struct memmap *m, uint64_t start, uint64_t end)
{
	unsigned i = 0;

	start = ALIGN_UP(start, PAGE_SIZE);
	end = ALIGN_DOWN(end, PAGE_SIZE);
	if (start >= end)
		return;
	while (i < m->count && m->ranges[i].end < start)
		i++;
	if (i < m->count && m->ranges[i].start <= end) {
		m->ranges[i].start = MIN(m->ranges[i].start, start);
		m->ranges[i].end = MAX(m->ranges[i].end, end);
		merge_forward(m, i);
		return;
	}
	insert_at(m, i, start, end);
}

void memmap_remove(struct memmap *m, uint64_t start, uint64_t end)
{
	start = ALIGN_DOWN(start, PAGE_SIZE);
	end = end > ~0ULL - PAGE_SIZE ? ~0ULL & ~(PAGE_SIZE - 1)
				      : ALIGN_UP(end, PAGE_SIZE);
	for (unsigned i = 0; i < m->count;) {
		struct mem_range *r = &m->ranges[i];

		if (r->end <= start || r->start >= end) {
			i++;
		} else if (r->start >= start && r->end <= end) {
			delete_at(m, i);
		} else if (r->start < start && r->end > end) {
			uint64_t old_end = r->end;

			r->end = start;
			insert_at(m, i + 1, end, old_end);
			i += 2;
		} else if (r->start < start) {
			r->end = start;
			i++;
		} else {
			r->start = end;
			i++;
		}
	}
}

bool memmap_take(struct memmap *m, uint64_t size, uint64_t align,
		 uint64_t limit, uint64_t *out)
{
	size = ALIGN_UP(size, PAGE_SIZE);
	for (unsigned i = m->count; i-- > 0;) {
		struct mem_range *r = &m->ranges[i];
		uint64_t top = MIN(r->end, limit), base;

		if (top < r->start || top - r->start < size)
			continue;
		base = ALIGN_DOWN(top - size, align);
		if (base < r->start)
			continue;
		memmap_remove(m, base, base + size);
		*out = base;
		return true;
	}
	return false;
}

uint64_t memmap_total(const struct memmap *m)
{
	uint64_t total = 0;

	for (unsigned i = 0; i < m->count; i++)
		total += m->ranges[i].end - m->ranges[i].start;
	return total;
}

uint64_t memmap_end(const struct memmap *m)
{
	return m->count ? m->ranges[m->count - 1].end : 0;
}
