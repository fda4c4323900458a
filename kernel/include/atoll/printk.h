/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The hypervisor log. Every line goes into the in-memory log ring (read later
 * by `vmctl dmesg` and the debug console) and, if its level passes `loglvl=`,
 * to the console with the "(atoll) " prefix.
 */
#ifndef ATOLL_PRINTK_H
#define ATOLL_PRINTK_H

#include <atoll/types.h>
#include <atoll/compiler.h>

enum log_level {
	LOG_ERR = 0,
	LOG_WARN = 1,
	LOG_INFO = 2,
	LOG_DEBUG = 3,
};

void printk(enum log_level level, const char *fmt, ...) __printf(2, 3);
void vprintk(enum log_level level, const char *fmt, va_list ap);

#define pr_err(...)   printk(LOG_ERR, __VA_ARGS__)
#define pr_warn(...)  printk(LOG_WARN, __VA_ARGS__)
#define pr_info(...)  printk(LOG_INFO, __VA_ARGS__)
#define pr_debug(...) printk(LOG_DEBUG, __VA_ARGS__)

#endif
