/* SPDX-License-Identifier: GPL-2.0-only */
/* The 16550 UART behind COM1, the core's console. */
#ifndef ARCH_UART_H
#define ARCH_UART_H

#include <atoll/types.h>

#define UART_CLOCK_HZ  1843200
#define UART_COM1_BASE 0x3f8
#define UART_COM1_IRQ  4

/* Register offsets from the I/O base. */
#define UART_RBR 0 /* receive buffer (read) */
#define UART_THR 0 /* transmit holding (write) */
#define UART_DLL 0 /* divisor low (DLAB=1) */
#define UART_IER 1
#define UART_DLM 1 /* divisor high (DLAB=1) */
#define UART_IIR 2
#define UART_FCR 2
#define UART_LCR 3
#define UART_MCR 4
#define UART_LSR 5
#define UART_SCR 7

#define UART_IER_RDA	       0x01 /* received data available */
#define UART_FCR_ENABLE	       0x01
#define UART_FCR_CLEAR	       0x06
#define UART_FCR_TRIGGER_1     0x00
#define UART_LCR_DLAB	       0x80
#define UART_LCR_STOP2	       0x04
#define UART_LCR_PARITY_ENABLE 0x08
#define UART_LCR_PARITY_EVEN   0x10
#define UART_LCR_PARITY_STICK  0x20
#define UART_MCR_DTR	       0x01
#define UART_MCR_RTS	       0x02
#define UART_MCR_OUT2	       0x08 /* gates the interrupt line on PCs */
#define UART_LSR_DR	       0x01
#define UART_LSR_THRE	       0x20

struct uart_line {
	uint16_t io_base;
	uint32_t baud; /* 0: keep what the firmware set */
	uint8_t data_bits;
	char parity; /* 'n', 'o', 'e', 'm', 's' */
	uint8_t stop_bits;
};

/* Returns false if no UART answers at the base (scratch register test). */
bool uart_init(const struct uart_line *line);
void uart_write(const char *s, size_t len);
void uart_enable_rx_irq(void);
/* Reads one pending byte; false when the receive buffer is empty. */
bool uart_getc(char *c);

#endif
