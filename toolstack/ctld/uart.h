/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A 16550 UART that the manifest delegated to this domain (its I/O ports,
 * and its interrupt as an event channel; without the interrupt it is
 * polled every millisecond).
 */
#ifndef CTLD_UART_H
#define CTLD_UART_H

#include <stddef.h>
#include <stdint.h>

/* 0, or a negative errno if the ports do not answer like a 16550. */
int uart_init(uint16_t base, uint32_t gsi);
/* Waits for at least one byte; returns how many were copied. */
size_t uart_read(void *buf, size_t max);
/* Writes everything (threads take turns: messages never interleave). */
void uart_write_lock(void);
void uart_write(const void *buf, size_t len);
void uart_write_unlock(void);

#endif
