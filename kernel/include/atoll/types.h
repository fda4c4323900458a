/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Basic types for the core. Only the compiler's freestanding headers are
 * used, so the same files build for the core and for host unit tests.
 */
#ifndef ATOLL_TYPES_H
#define ATOLL_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdarg.h>

typedef int64_t ssize_t;

#endif
