// SPDX-License-Identifier: GPL-2.0-only
/*
 * ctld main: the management channel. A reader thread assembles frames
 * from COM2 (lib/wire) and answers them one by one: XenStore requests go
 * to the store on ctld's privileged connection, control requests to
 * domains.c. Watch events for vmctl's watches are sent from the xenwatch
 * thread; the UART write lock keeps frames whole.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <atoll/hypercall.h>
#include <atoll/mgmt.h>
#include <rt/events.h>
#include <rt/hypercall.h>
#include <rt/rt.h>
#include <rt/thread.h>
#include <rt/xenbus.h>
#include <xen/io/xs_wire.h>

#include "ctld.h"
#include "uart.h"
#include "wire.h"

#define COM2_BASE 0x2f8
#define COM2_IRQ  3

static struct rt_waitq exc_wq = RT_WAITQ_INIT;
static volatile unsigned exc_events;

void reply_append(struct reply *r, const void *data, size_t len)
{
	if (r->len + len > r->cap) {
		size_t cap = (r->len + len) * 2 + 256;
		char *buf = realloc(r->buf, cap);

		if (!buf) {
			reply_error(r, "ENOMEM", "ctld is out of memory");
			return;
		}
		r->buf = buf;
		r->cap = cap;
	}
	memcpy(r->buf + r->len, data, len);
	r->len += len;
}

void reply_printf(struct reply *r, const char *fmt, ...)
{
	char line[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n > 0)
		reply_append(r, line,
			     n < (int)sizeof(line) ? (size_t)n
						   : sizeof(line) - 1);
}

int reply_error(struct reply *r, const char *name, const char *fmt, ...)
{
	va_list ap;

	r->error = name;
	va_start(ap, fmt);
	vsnprintf(r->message, sizeof(r->message), fmt, ap);
	va_end(ap);
	return -1;
}

long domctl(uint32_t cmd, domid_t dom, struct atoll_domctl *op)
{
	op->cmd = cmd;
	op->interface_version = ATOLL_DOMCTL_INTERFACE_VERSION;
	op->domain = dom;
	return HC(__HYPERVISOR_atoll_domctl, op, 0, 0);
}

static void send_frame(uint32_t type, uint32_t req_id, uint32_t tx_id,
		       const void *payload, size_t len)
{
	struct xsd_sockmsg h = {.type = type,
				.req_id = req_id,
				.tx_id = tx_id,
				.len = (uint32_t)len};

	uart_write_lock();
	uart_write(&h, sizeof(h));
	uart_write(payload, len);
	uart_write_unlock();
}

static void send_reply(const struct xsd_sockmsg *req, struct reply *r)
{
	if (r->error) {
		char buf[200];
		int n = snprintf(buf, sizeof(buf), "%s%c%s", r->error, 0,
				 r->message);

		send_frame(XS_ERROR, req->req_id, req->tx_id, buf,
			   (size_t)n + 1);
	} else {
		send_frame(req->type, req->req_id, req->tx_id, r->buf, r->len);
	}
	free(r->buf);
}

/* A XenStore request: the store answers, ctld only relays. */
static void forward_to_store(const struct xsd_sockmsg *h,
			     const uint8_t *payload)
{
	struct xsd_sockmsg reply;
	char *body;

	if (xenbus_raw_request(h, payload, h->len, &reply, &body,
			       5000000000ULL)) {
		static const char err[] = "EIO\0the XenStore did not answer";

		send_frame(XS_ERROR, h->req_id, h->tx_id, err, sizeof(err));
		return;
	}
	send_frame(reply.type, h->req_id, reply.tx_id, body, reply.len);
	free(body);
}

static void on_watch_event(const char *path, const char *token, void *arg)
{
	size_t plen = strlen(path) + 1, tlen = strlen(token) + 1;
	char *buf = malloc(plen + tlen);

	if (!buf)
		return;
	memcpy(buf, path, plen);
	memcpy(buf + plen, token, tlen);
	send_frame(XS_WATCH_EVENT, 0, 0, buf, plen + tlen);
	free(buf);
}

static void echo(const char *arg, struct reply *r)
{
	unsigned long n = strtoul(arg, NULL, 10);
	char block[256];

	if (n > ATOLL_MGMT_PAYLOAD_MAX)
		n = ATOLL_MGMT_PAYLOAD_MAX;
	memset(block, 'e', sizeof(block));
	while (n) {
		size_t chunk = n < sizeof(block) ? n : sizeof(block);

		reply_append(r, block, chunk);
		n -= chunk;
	}
}

static void dmesg(struct reply *r)
{
	char buf[2048];
	struct atoll_console_log req = {
	    .pos = 0, .buffer = (uint64_t)buf, .count = sizeof(buf)};
	long n;

	while ((n = HC(__HYPERVISOR_console_io, ATOLL_CONSOLEIO_read_log, 0,
		       &req)) > 0)
		reply_append(r, buf, (size_t)n);
	if (n < 0)
		reply_error(r, "EACCES", "ctld lacks the console capability");
}

/* Control requests; the payload is NUL-terminated by the caller. */
static void control(const struct xsd_sockmsg *h, char *payload, struct reply *r)
{
	switch (h->type) {
	case ATOLL_MGMT_HELLO:
		domains_hello(r);
		break;
	case ATOLL_MGMT_LIST:
		domains_list(r);
		break;
	case ATOLL_MGMT_INFO:
		domains_info(r);
		break;
	case ATOLL_MGMT_DMESG:
		dmesg(r);
		break;
	case ATOLL_MGMT_CREATE:
		domains_create(payload, h->len, r);
		break;
	case ATOLL_MGMT_DESTROY:
	case ATOLL_MGMT_PAUSE:
	case ATOLL_MGMT_UNPAUSE:
	case ATOLL_MGMT_SHUTDOWN:
	case ATOLL_MGMT_REBOOT:
		domains_control(h->type, payload, r);
		break;
	case ATOLL_MGMT_SCHED_CREDIT:
		domains_sched(payload, r);
		break;
	case ATOLL_MGMT_IMAGE_BEGIN:
		images_begin(payload, r);
		break;
	case ATOLL_MGMT_IMAGE_DATA:
		images_data(payload, h->len, r);
		break;
	case ATOLL_MGMT_IMAGE_END:
		images_end(r);
		break;
	case ATOLL_MGMT_ECHO:
		echo(payload, r);
		break;
	default:
		reply_error(r, "EINVAL", "unknown message type %u", h->type);
	}
}

static void handle(const struct xsd_sockmsg *h, uint8_t *payload)
{
	struct reply r = {0};

	if (h->type < XS_TYPE_COUNT && h->type != XS_WATCH_EVENT &&
	    h->type != XS_ERROR) {
		forward_to_store(h, payload);
		return;
	}
	payload[h->len] = '\0'; /* the buffer has room for it */
	control(h, (char *)payload, &r);
	send_reply(h, &r);
}

static void channel_thread(void *arg)
{
	static uint8_t rx_buf[ATOLL_MGMT_PAYLOAD_MAX + 1];
	struct wire_rx rx;
	uint8_t bytes[256];

	wire_rx_init(&rx, rx_buf, ATOLL_MGMT_PAYLOAD_MAX);
	/* An unknown type or an impossible length means lost bytes (before
	 * the UART was set up, say): look for the next header. */
	rx.plausible = wire_mgmt_plausible;
	for (;;) {
		size_t n = uart_read(bytes, sizeof(bytes)), off = 0;

		while (off < n) {
			size_t used;
			enum wire_status st =
			    wire_rx_feed(&rx, bytes + off, n - off, &used);

			off += used;
			if (st == WIRE_MESSAGE) {
				handle(&rx.hdr, rx_buf);
			} else if (st == WIRE_TOO_BIG) {
				static const char err[] =
				    "E2BIG\0message over the payload limit";

				send_frame(XS_ERROR, rx.hdr.req_id,
					   rx.hdr.tx_id, err, sizeof(err));
			}
		}
	}
}

static void on_dom_exc(evtchn_port_t port, void *arg)
{
	exc_events++;
	rt_wake_all(&exc_wq);
}

int main(int argc, char **argv)
{
	evtchn_port_t exc_port;

	if (!xenbus_available()) {
		printf("ctld: no XenStore: start xenstored first\n");
		return 1;
	}
	domains_init();
	if (rt_evtchn_bind_virq(VIRQ_DOM_EXC, &exc_port) == 0)
		rt_evtchn_handle(exc_port, on_dom_exc, NULL);
	xenbus_set_event_sink(on_watch_event, NULL);
	if (uart_init(COM2_BASE, COM2_IRQ)) {
		printf("ctld: no UART answers at 0x2f8 (QEMU without COM2? "
		       "vmctl up connects it): no management channel\n");
	} else if (!rt_thread_create("channel", channel_thread, NULL)) {
		return 1;
	}
	pci_boot_assign();
	printf("ctld: ready\n");
	for (;;) {
		unsigned seen = exc_events;

		domains_rescan();
		rt_wait_event(&exc_wq, exc_events != seen);
	}
}
