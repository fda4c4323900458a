// SPDX-License-Identifier: GPL-2.0-only
/*
 * Polled 16550 output and interrupt-driven input on COM1. Output is polled
 * so that it works from any context, including a panic with interrupts off.
 */
#include <arch/uart.h>
#include <arch/x86.h>

static uint16_t uart_base;

static uint8_t line_control(const struct uart_line *line)
{
	uint8_t lcr = (uint8_t)(line->data_bits - 5);

	if (line->stop_bits == 2)
		lcr |= UART_LCR_STOP2;
	switch (line->parity) {
	case 'o':
		lcr |= UART_LCR_PARITY_ENABLE;
		break;
	case 'e':
		lcr |= UART_LCR_PARITY_ENABLE | UART_LCR_PARITY_EVEN;
		break;
	case 'm':
		lcr |= UART_LCR_PARITY_ENABLE | UART_LCR_PARITY_STICK;
		break;
	case 's':
		lcr |= UART_LCR_PARITY_ENABLE | UART_LCR_PARITY_EVEN |
		       UART_LCR_PARITY_STICK;
		break;
	default:
		break;
	}
	return lcr;
}

static bool uart_present(uint16_t base)
{
	outb(base + UART_SCR, 0x5a);
	if (inb(base + UART_SCR) != 0x5a)
		return false;
	outb(base + UART_SCR, 0xa5);
	return inb(base + UART_SCR) == 0xa5;
}

bool uart_init(const struct uart_line *line)
{
	uint16_t base = line->io_base;

	if (!uart_present(base))
		return false;
	outb(base + UART_IER, 0);
	if (line->baud) {
		uint32_t divisor = UART_CLOCK_HZ / 16 / line->baud;

		outb(base + UART_LCR, UART_LCR_DLAB);
		outb(base + UART_DLL, divisor & 0xff);
		outb(base + UART_DLM, (divisor >> 8) & 0xff);
	}
	outb(base + UART_LCR, line_control(line));
	outb(base + UART_FCR,
	     UART_FCR_ENABLE | UART_FCR_CLEAR | UART_FCR_TRIGGER_1);
	outb(base + UART_MCR, UART_MCR_DTR | UART_MCR_RTS | UART_MCR_OUT2);
	uart_base = base;
	return true;
}

static void uart_putc(char c)
{
	while (!(inb(uart_base + UART_LSR) & UART_LSR_THRE))
		cpu_relax();
	outb(uart_base + UART_THR, (uint8_t)c);
}

void uart_write(const char *s, size_t len)
{
	if (!uart_base)
		return;
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\n')
			uart_putc('\r');
		uart_putc(s[i]);
	}
}

void uart_enable_rx_irq(void)
{
	if (uart_base)
		outb(uart_base + UART_IER, UART_IER_RDA);
}

bool uart_getc(char *c)
{
	if (!uart_base || !(inb(uart_base + UART_LSR) & UART_LSR_DR))
		return false;
	*c = (char)inb(uart_base + UART_RBR);
	return true;
}
