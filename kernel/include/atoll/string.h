/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The core's small C library (kernel/lib). These are also the functions
 * libfdt needs, so they follow the standard C contracts exactly.
 */
#ifndef ATOLL_STRING_H
#define ATOLL_STRING_H

#include <atoll/types.h>
#include <atoll/compiler.h>

void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
void *memchr(const void *s, int c, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);
char *strrchr(const char *s, int c);
/* Copies at most size-1 bytes and always terminates (size > 0). */
size_t strncpy_safe(char *dst, const char *src, size_t size);
unsigned long strtoul(const char *s, char **end, int base);
unsigned long long strtoull(const char *s, char **end, int base);

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);

#endif
