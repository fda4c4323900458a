// SPDX-License-Identifier: GPL-2.0-only
/*
 * Delegated devices: I/O ports through the TSS bitmap and an interrupt line
 * as an event channel, on COM2 (a 16550 at 0x2f8, ISA IRQ 3). The argument
 * says what to do:
 *   uart           holds COM2: scratch register, then the transmitter-empty
 *                  interrupt in loopback mode, through bind_pirq and EOI
 *   steal          holds nothing: bind_pirq, PHYSDEVOP_eoi and
 *                  irq_status_query on IRQs it lacks fail cleanly; NT set
 *                  across a hypercall is harmless
 *   poke <port>    reads a port it does not hold           -> crashed, alone
 *   give <peer>    holds COM2 and device-assign: hostile permission calls,
 *                  gives COM2 to <peer>, takes it back when told, uses it
 *   take <giver>   waits for COM2 from <giver>, runs the uart test, tells
 *                  the giver, then touches the port it lost -> crashed
 */
#include "tdom.h"
#include <atoll/domctl.h>
#include <atoll/hypercall.h>
#include <xen/physdev.h>
#include <rt/portio.h>

#define COM2	    0x2f8
#define COM2_PORTS  8
#define COM2_IRQ    3
#define COM1	    0x3f8
#define COM1_IRQ    4
#define UART_THR    0 /* write: transmit holding register */
#define UART_RBR    0 /* read: receive buffer */
#define UART_IER    1
#define UART_IIR    2 /* read */
#define UART_FCR    2 /* write */
#define UART_LCR    3
#define UART_MCR    4
#define UART_LSR    5
#define UART_SCR    7
#define IER_THRI    0x02
#define IIR_ID_MASK 0x0e
#define IIR_THRI    0x02
#define LCR_8N1	    0x03
#define MCR_OUT2    0x08
#define MCR_LOOP    0x10
#define LSR_DR	    0x01
#define RFLAGS_NT   (1ULL << 14)
#define IRQ_ROUNDS  3
#define WAIT_NS	    2000000000ULL

static long evtchn_op(unsigned cmd, void *arg)
{
	return HC(__HYPERVISOR_event_channel_op, cmd, arg, 0);
}

static long physdev_op(unsigned cmd, void *arg)
{
	return HC(__HYPERVISOR_physdev_op, cmd, arg, 0);
}

static long bind_pirq(uint32_t pirq, uint32_t flags, evtchn_port_t *port)
{
	struct evtchn_bind_pirq b = {.pirq = pirq, .flags = flags};
	long rc = evtchn_op(EVTCHNOP_bind_pirq, &b);

	*port = b.port;
	return rc;
}

static long eoi(uint32_t irq)
{
	struct physdev_eoi e = {.irq = irq};

	return physdev_op(PHYSDEVOP_eoi, &e);
}

static unsigned parse_uint(const char *s)
{
	unsigned base = 10, v = 0;

	if (s[0] == '0' && s[1] == 'x') {
		base = 16;
		s += 2;
	}
	for (;; s++) {
		unsigned d;

		if (*s >= '0' && *s <= '9')
			d = *s - '0';
		else if (base == 16 && *s >= 'a' && *s <= 'f')
			d = *s - 'a' + 10;
		else
			return v;
		v = v * base + d;
	}
}

static bool is(const char *a, const char *b)
{
	while (*b && *a == *b) {
		a++;
		b++;
	}
	return !*b && (!*a || *a == ' ');
}

static const char *second_word(const char *args)
{
	while (*args && *args != ' ')
		args++;
	while (*args == ' ')
		args++;
	return args;
}

/* (a) The scratch register keeps what is written to it. */
static void scratch_test(void)
{
	outb(COM2 + UART_SCR, 0x5a);
	CHECK_EQ(inb(COM2 + UART_SCR), 0x5a);
	outb(COM2 + UART_SCR, 0xa5);
	CHECK_EQ(inb(COM2 + UART_SCR), 0xa5);
	tprintf("COM2 scratch register ok\n");
}

static volatile unsigned irq_events;
static volatile bool irq_flag;

static void on_irq(evtchn_port_t port, void *arg)
{
	irq_events++;
	irq_flag = true;
}

static void uart_loopback_init(void)
{
	outb(COM2 + UART_IER, 0);
	outb(COM2 + UART_LCR, LCR_8N1);
	outb(COM2 + UART_FCR, 0);
	outb(COM2 + UART_MCR, MCR_LOOP | MCR_OUT2);
	(void)inb(COM2 + UART_LSR);
	(void)inb(COM2 + UART_RBR);
	(void)inb(COM2 + UART_IIR);
}

/* Waits for the interrupt event the caller provoked (after clearing
 * irq_flag); acknowledges it at the UART (reading IIR clears the
 * transmitter-empty cause) and at the core. */
static void expect_irq(unsigned round)
{
	if (!tdom_wait_flag(&irq_flag, WAIT_NS))
		tdom_fail("no COM2 interrupt event in round %u", round);
	CHECK_EQ(inb(COM2 + UART_IIR) & IIR_ID_MASK, IIR_THRI);
	CHECK_EQ(eoi(COM2_IRQ), 0);
}

/* (b) The transmitter-empty interrupt, as events: one when enabled, then
 * one per byte sent (looped back into the receiver). */
static void irq_test(void)
{
	struct physdev_irq_status_query q = {.irq = COM2_IRQ};
	struct evtchn_status st = {.dom = DOMID_SELF};
	struct evtchn_close cl;
	evtchn_port_t port, again;

	CHECK_EQ(bind_pirq(COM2_IRQ, 0, &port), 0);
	CHECK_EQ(bind_pirq(COM2_IRQ, 0, &again), -XEN_EEXIST);
	st.port = port;
	CHECK_EQ(evtchn_op(EVTCHNOP_status, &st), 0);
	CHECK_EQ(st.status, EVTCHNSTAT_pirq);
	CHECK_EQ(st.u.pirq, COM2_IRQ);
	CHECK_EQ(physdev_op(PHYSDEVOP_irq_status_query, &q), 0);
	CHECK_EQ(q.flags & XENIRQSTAT_needs_eoi, 0); /* ISA: edge */
	tdom_on_event(port, on_irq, NULL);
	uart_loopback_init();
	irq_flag = false;
	outb(COM2 + UART_IER, IER_THRI);
	expect_irq(0);
	for (unsigned i = 1; i <= IRQ_ROUNDS; i++) {
		irq_flag = false;
		outb(COM2 + UART_THR, (uint8_t)('A' + i));
		expect_irq(i);
		CHECK(inb(COM2 + UART_LSR) & LSR_DR);
		CHECK_EQ(inb(COM2 + UART_RBR), 'A' + i);
	}
	tprintf("COM2 interrupt: %u events\n", irq_events);
	/* Closed, the line is masked: no more events. */
	cl.port = port;
	CHECK_EQ(evtchn_op(EVTCHNOP_close, &cl), 0);
	irq_flag = false;
	outb(COM2 + UART_THR, 'z');
	CHECK(!tdom_wait_flag(&irq_flag, 200000000ULL));
	outb(COM2 + UART_IER, 0);
	outb(COM2 + UART_MCR, 0);
	/* Bound again, it works again. */
	CHECK_EQ(bind_pirq(COM2_IRQ, BIND_PIRQ__WILL_SHARE, &port), 0);
	cl.port = port;
	CHECK_EQ(evtchn_op(EVTCHNOP_close, &cl), 0);
}

/* Calls on IRQs the domain does not hold. */
static void steal_test(void)
{
	struct physdev_irq_status_query q = {.irq = COM2_IRQ};
	evtchn_port_t port;

	CHECK_EQ(bind_pirq(COM1_IRQ, 0, &port), -XEN_EPERM);
	CHECK_EQ(eoi(COM1_IRQ), -XEN_EINVAL);
	CHECK_EQ(physdev_op(PHYSDEVOP_irq_status_query, &q), -XEN_EINVAL);
	CHECK_EQ(bind_pirq(5000, 0, &port), -XEN_EINVAL);
	CHECK_EQ(bind_pirq(COM2_IRQ, 0x80, &port), -XEN_EINVAL);
	CHECK_EQ(eoi(5000), -XEN_EINVAL);
	CHECK_EQ(physdev_op(PHYSDEVOP_eoi, (void *)TDOM_CORE_ADDR),
		 -XEN_EFAULT);
	CHECK_EQ(physdev_op(99, &q), -XEN_ENOSYS);
}

/* With COM2: the other IRQs are still not ours. */
static void steal_test_own(void)
{
	evtchn_port_t port;

	CHECK_EQ(bind_pirq(COM1_IRQ, 0, &port), -XEN_EPERM);
	CHECK_EQ(eoi(COM1_IRQ), -XEN_EINVAL);
}

static void uart_all(void)
{
	scratch_test();
	irq_test();
	steal_test_own();
}

/* NT set with popf must not reach the core's iretq (it would fault). */
static void nt_flag_test(void)
{
	__asm__ volatile("pushfq; orq %0, (%%rsp); popfq"
			 :
			 : "i"(RFLAGS_NT)
			 : "memory", "cc");
	CHECK_EQ(HC(__HYPERVISOR_atoll_test, ATOLL_TEST_null, 0, 0), 0);
	__asm__ volatile("pushfq; andq %0, (%%rsp); popfq"
			 :
			 : "i"(~RFLAGS_NT)
			 : "memory", "cc");
	tprintf("NT across a hypercall: survived\n");
}

/* ---- Delegation at run time: give / take ------------------------------ */

static volatile bool peer_flag;

static void on_peer(evtchn_port_t port, void *arg)
{
	peer_flag = true;
}

static long domctl(struct atoll_domctl *op)
{
	op->interface_version = ATOLL_DOMCTL_INTERFACE_VERSION;
	return HC(__HYPERVISOR_atoll_domctl, op, 0, 0);
}

static long ioport_perm(domid_t d, uint32_t first, uint32_t n, uint8_t allow)
{
	struct atoll_domctl op = {.cmd = ATOLL_DOMCTL_ioport_permission,
				  .domain = d};

	op.u.ioport_permission.first_port = first;
	op.u.ioport_permission.nr_ports = n;
	op.u.ioport_permission.allow_access = allow;
	return domctl(&op);
}

static long irq_perm(domid_t d, uint32_t irq, uint8_t allow)
{
	struct atoll_domctl op = {.cmd = ATOLL_DOMCTL_irq_permission,
				  .domain = d};

	op.u.irq_permission.pirq = irq;
	op.u.irq_permission.allow_access = allow;
	return domctl(&op);
}

static void give_hostile(domid_t peer)
{
	CHECK_EQ(ioport_perm(peer, COM1, 8, 1), -XEN_EPERM);
	CHECK_EQ(ioport_perm(peer, COM2, 16, 1), -XEN_EPERM);
	CHECK_EQ(irq_perm(peer, COM1_IRQ, 1), -XEN_EPERM);
	CHECK_EQ(ioport_perm(peer, COM2, 0, 1), -XEN_EINVAL);
	CHECK_EQ(ioport_perm(peer, 0xfff8, 16, 1), -XEN_EINVAL);
	CHECK_EQ(ioport_perm(peer, COM2, 8, 2), -XEN_EINVAL);
	CHECK_EQ(irq_perm(peer, 5000, 1), -XEN_EINVAL);
	CHECK_EQ(ioport_perm(DOMID_SELF, COM2, 8, 1), -XEN_EINVAL);
	CHECK_EQ(ioport_perm(60, COM2, 8, 1), -XEN_ESRCH);
	/* Never given: nothing to take back. */
	CHECK_EQ(ioport_perm(peer, COM2, 8, 0), -XEN_EPERM);
	CHECK_EQ(irq_perm(peer, COM2_IRQ, 0), -XEN_EPERM);
}

/* Binds to the peer's offered port; it is among its first few. */
static evtchn_port_t connect(domid_t peer)
{
	for (unsigned tries = 0; tries < 200; tries++) {
		for (evtchn_port_t p = 1; p < 8; p++) {
			struct evtchn_bind_interdomain b = {.remote_dom = peer,
							    .remote_port = p};

			if (evtchn_op(EVTCHNOP_bind_interdomain, &b) == 0)
				return b.local_port;
		}
		tdom_sleep_ns(10000000ULL);
	}
	tdom_fail("d%u never offered a port", peer);
}

static void wait_peer(const char *what)
{
	if (!tdom_wait_flag(&peer_flag, 20 * WAIT_NS))
		tdom_fail("timed out waiting for the peer: %s", what);
	peer_flag = false;
}

static void give_test(domid_t peer)
{
	evtchn_port_t port;

	give_hostile(peer);
	scratch_test();
	/* In two halves: the peer holds them as one range again. */
	CHECK_EQ(ioport_perm(peer, COM2, 4, 1), 0);
	CHECK_EQ(ioport_perm(peer, COM2 + 4, 4, 1), 0);
	CHECK_EQ(irq_perm(peer, COM2_IRQ, 1), 0);
	CHECK_EQ(ioport_perm(peer, COM2, 8, 1), -XEN_EPERM);
	CHECK_EQ(irq_perm(peer, COM2_IRQ, 1), -XEN_EPERM);
	port = connect(peer);
	tdom_on_event(port, on_peer, NULL);
	/* Binding notifies the new port once: that is not the peer. */
	peer_flag = false;
	CHECK_EQ(tdom_send(port), 0);
	wait_peer("done with COM2");
	CHECK_EQ(ioport_perm(peer, COM2, 8, 0), 0);
	CHECK_EQ(irq_perm(peer, COM2_IRQ, 0), 0);
	CHECK_EQ(ioport_perm(peer, COM2, 8, 0), -XEN_EPERM);
	CHECK_EQ(tdom_send(port), 0);
	tprintf("took COM2 back from d%u\n", peer);
	/* Ours again, the line too (the peer's binding was closed). */
	uart_all();
}

static void take_test(domid_t giver)
{
	struct evtchn_alloc_unbound a = {.dom = DOMID_SELF,
					 .remote_dom = giver};
	evtchn_port_t pirq_port;

	CHECK_EQ(evtchn_op(EVTCHNOP_alloc_unbound, &a), 0);
	tdom_on_event(a.port, on_peer, NULL);
	wait_peer("COM2 given");
	uart_all();
	/* Left bound: taking the IRQ back closes it. */
	CHECK_EQ(bind_pirq(COM2_IRQ, 0, &pirq_port), 0);
	CHECK_EQ(tdom_send(a.port), 0);
	wait_peer("COM2 taken back");
	tprintf("touching COM2 after it was taken back\n");
	(void)inb(COM2 + UART_SCR);
	tdom_fail("still alive after COM2 was taken back");
}

int tmain(const char *args)
{
	if (is(args, "uart")) {
		uart_all();
	} else if (is(args, "steal")) {
		steal_test();
		nt_flag_test();
	} else if (is(args, "poke")) {
		uint16_t port = (uint16_t)parse_uint(second_word(args));

		tprintf("reading port 0x%x\n", port);
		(void)inb(port);
		tdom_fail("still alive after reading port 0x%x", port);
	} else if (is(args, "give")) {
		give_test((domid_t)parse_uint(second_word(args)));
	} else if (is(args, "take")) {
		take_test((domid_t)parse_uint(second_word(args)));
	} else {
		tdom_fail("unknown mode '%s'", args);
	}
	return 0;
}
