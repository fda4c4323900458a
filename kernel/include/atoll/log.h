/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The in-memory log ring: everything the core prints, whatever the console
 * level, kept for `vmctl dmesg` and the debug console.
 */
#ifndef ATOLL_LOG_H
#define ATOLL_LOG_H

#include <atoll/types.h>
#include <atoll/printk.h>

#define LOG_RING_SIZE (64 * 1024)

/* Messages above this level reach the ring but not the console. */
/* level: an enum log_level, or -1 (LOGLVL_NONE) for a silent console. */
void log_set_console_level(int level);

/*
 * Copies log text starting at absolute position *pos (0 = the oldest byte
 * still kept) into buf; advances *pos. Returns the number of bytes copied.
 */
size_t log_read(uint64_t *pos, char *buf, size_t len);

/* Total bytes ever logged (the ring keeps the last LOG_RING_SIZE). */
uint64_t log_written(void);

/* Writes one line of a domain's console with its own prefix. */
void log_prefixed_line(const char *prefix, const char *text, size_t len);

/* After a panic starts, printing must not wait for a lock another CPU (or
 * an interrupted context on this one) may hold. */
void log_force_unlocked(void);

#endif
