/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * xxHash (XXH32, XXH64, XXH3) for Atoll, header-only: every function is
 * static inline in the file that includes this, so the core, domains and
 * host tools each get a copy compiled with their own flags and nothing is
 * linked. In the core (-mgeneral-regs-only, no __SSE2__) XXH3 picks its
 * scalar path by itself; the hashes are the same on every path.
 *
 * Include directories: ATOLL_XXHASH_INCLUDE, plus ATOLL_CORE_LIBC_INCLUDE
 * in the core. The core has no malloc, so there XXH*_createState() always
 * returns NULL; to hash in pieces, keep an XXH3_state_t (a complete type
 * here) in your own storage and start with XXH3_64bits_reset().
 */
#ifndef ATOLL_XXHASH_H
#define ATOLL_XXHASH_H

#ifndef XXH_INLINE_ALL
#define XXH_INLINE_ALL
#endif
#include <xxhash.h>

#endif
