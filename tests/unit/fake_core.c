// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host stand-ins for the core services that generic code calls: panic()
 * aborts the test (so an ASSERT fails it) and printk() goes to stderr and
 * into a small capture buffer tests can inspect.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <atoll/printk.h>
#include <atoll/panic.h>
#include "fake_core.h"

char fake_log[8192];
size_t fake_log_len;
bool fake_log_quiet;

void vprintk(enum log_level level, const char *fmt, va_list ap)
{
	char line[512];
	int n = vsnprintf(line, sizeof(line), fmt, ap);

	if (n < 0)
		return;
	if (!fake_log_quiet)
		fprintf(stderr, "[log%d] %s", level, line);
	if (fake_log_len + strlen(line) < sizeof(fake_log)) {
		memcpy(fake_log + fake_log_len, line, strlen(line) + 1);
		fake_log_len += strlen(line);
	}
}

void printk(enum log_level level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintk(level, fmt, ap);
	va_end(ap);
}

void fake_log_clear(void)
{
	fake_log[0] = '\0';
	fake_log_len = 0;
}

void panic(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "panic: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
	abort();
}
