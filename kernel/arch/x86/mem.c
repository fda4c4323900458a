// SPDX-License-Identifier: GPL-2.0-only
/*
 * memcpy and memset with the string instructions, eight bytes at a time.
 * They are the hot ones: zeroing a new domain's RAM and grant copies
 * (BENCH domain.create_destroy_*, gnttab.copy_ratio).
 */
#include <atoll/string.h>

void *memcpy(void *dst, const void *src, size_t n)
{
	void *d = dst;
	size_t words = n / 8, rest = n % 8;

	__asm__ volatile("rep movsq\n\t"
			 "movq %3, %%rcx\n\t"
			 "rep movsb"
			 : "+D"(d), "+S"(src), "+c"(words)
			 : "r"(rest)
			 : "memory");
	return dst;
}

void *memset(void *dst, int c, size_t n)
{
	void *d = dst;
	size_t words = n / 8, rest = n % 8;
	uint64_t pattern = 0x0101010101010101ULL * (unsigned char)c;

	__asm__ volatile("rep stosq\n\t"
			 "movq %3, %%rcx\n\t"
			 "rep stosb"
			 : "+D"(d), "+c"(words)
			 : "a"(pattern), "r"(rest)
			 : "memory");
	return dst;
}
