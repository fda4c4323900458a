// SPDX-License-Identifier: GPL-2.0-only
/*
 * 16550 driver for the management channel. Receive is interrupt-driven
 * (data-available interrupt, delivered as an event; EOI after draining
 * the FIFO); transmit fills the 16-byte FIFO whenever it is empty.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>

#include <rt/events.h>
#include <rt/hypercall.h>
#include <rt/portio.h>
#include <rt/rt.h>
#include <rt/thread.h>
#include <xen/physdev.h>

#include "uart.h"

#define RBR	  0 /* receive buffer / transmit holding (DLAB 0) */
#define IER	  1
#define FCR	  2
#define LCR	  3
#define MCR	  4
#define LSR	  5
#define SCR	  7
#define LSR_DATA  0x01
#define LSR_THRE  0x20
#define FIFO_SIZE 16
#define RX_SPIN	  64 /* LSR reads before sleeping on the interrupt */

static uint16_t base;
static uint32_t irq;
static bool have_irq;
static struct rt_waitq rx_wq = RT_WAITQ_INIT;
static struct rt_waitq tx_wq = RT_WAITQ_INIT;
static volatile unsigned rx_events;
static bool tx_busy;

static void on_irq(evtchn_port_t port, void *arg)
{
	rx_events++;
	rt_wake_all(&rx_wq);
}

static void eoi(void)
{
	struct physdev_eoi e = {.irq = irq};

	if (have_irq)
		HC(__HYPERVISOR_physdev_op, PHYSDEVOP_eoi, &e, 0);
}

static bool bind_irq(void)
{
	struct evtchn_bind_pirq b = {.pirq = irq};

	if (hc_evtchn_op(EVTCHNOP_bind_pirq, &b))
		return false;
	rt_evtchn_handle(b.port, on_irq, NULL);
	return true;
}

int uart_init(uint16_t port_base, uint32_t gsi)
{
	base = port_base;
	irq = gsi;
	/* The scratch register proves the ports are ours and a UART. */
	outb(base + SCR, 0x5a);
	if (inb(base + SCR) != 0x5a)
		return -ENODEV;
	outb(base + IER, 0);
	outb(base + LCR, 0x80); /* divisor latch */
	outb(base + 0, 1);	/* 115200 baud */
	outb(base + 1, 0);
	outb(base + LCR, 0x03); /* 8n1 */
	outb(base + FCR, 0xc7); /* FIFOs on, cleared, 14-byte trigger */
	outb(base + MCR, 0x0b); /* DTR, RTS, OUT2 (the IRQ gate) */
	have_irq = bind_irq();
	outb(base + IER, 0x01); /* data available */
	printf("ctld: COM at 0x%x, %s\n", base,
	       have_irq ? "interrupt as event" : "polled");
	return 0;
}

size_t uart_read(void *buf, size_t max)
{
	uint8_t *p = buf;
	size_t n = 0;

	for (;;) {
		unsigned seen = rx_events;

		/* Within a transfer the next bytes follow at once: look a
		 * while before waiting for the interrupt, which costs more. */
		for (unsigned spin = 0; !n && spin < RX_SPIN; spin++) {
			while (n < max && (inb(base + LSR) & LSR_DATA))
				p[n++] = inb(base + RBR);
		}
		if (n)
			break;
		eoi();
		/* Polled, or an interrupt raced the drain: look again soon. */
		rt_wait_event_until(&rx_wq, rx_events != seen,
				    rt_now_ns() +
					(have_irq ? 100000000 : 1000000));
	}
	return n;
}

void uart_write_lock(void)
{
	rt_wait_event(&tx_wq, !tx_busy);
	tx_busy = true;
}

void uart_write_unlock(void)
{
	tx_busy = false;
	rt_wake_all(&tx_wq);
}

void uart_write(const void *buf, size_t len)
{
	const uint8_t *p = buf;

	while (len) {
		unsigned burst = 0;

		while (!(inb(base + LSR) & LSR_THRE))
			rt_yield();
		while (len && burst++ < FIFO_SIZE) {
			outb(base + RBR, *p++);
			len--;
		}
	}
}
