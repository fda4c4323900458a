/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef FAKE_CORE_H
#define FAKE_CORE_H
#include <stdbool.h>
#include <stddef.h>

/* Everything printk() wrote since the last fake_log_clear(). */
extern char fake_log[8192];
extern size_t fake_log_len;
void fake_log_clear(void);

/* Set to stop printk() echoing to stderr (fuzzing); capture goes on. */
extern bool fake_log_quiet;

#endif
