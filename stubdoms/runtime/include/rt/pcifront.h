/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * pcifront: a domain's side of pciif (xen/io/pciif.h), the base driver
 * domains build on. The toolstack (or anyone privileged) writes the
 * frontend directory device/pci/0 and pciback's backend directory
 * (docs/pci.md); pcifront_connect() then publishes the shared page and
 * event channel, follows Xen's handshake, and keeps the device list up to
 * date through hot-plug (backend Reconfiguring/Reconfigured).
 *
 * Configuration access returns XEN_PCI_ERR_* (0 on success, negative
 * otherwise); the other calls return 0 or a negative errno.
 */
#ifndef RT_PCIFRONT_H
#define RT_PCIFRONT_H

#include <stdbool.h>
#include <stdint.h>

#include <xen/event_channel.h>

#define PCIFRONT_MAX_DEVS 8

struct pcifront_dev {
	uint16_t seg;
	uint8_t bus, devfn;
	uint16_t vendor, device;
	unsigned index; /* N of dev-N / vdev-N */
};

struct pcifront_bar {
	uint64_t addr, size; /* size 0: not implemented */
	bool io, is64;
};

/* Waits up to timeout_ns for device/pci/0 and a backend that connects. */
int pcifront_connect(uint64_t timeout_ns);
/* The functions attached now (state-N Initialised); returns how many. */
unsigned pcifront_devices(struct pcifront_dev *out, unsigned max);
/* Waits until exactly count functions are attached; -ETIMEDOUT. */
int pcifront_wait_count(unsigned count, uint64_t timeout_ns);
/* Bumped on every attach or detach the backend completes. */
unsigned pcifront_generation(void);

int pcifront_conf_read(const struct pcifront_dev *d, int off, int size,
		       uint32_t *value);
int pcifront_conf_write(const struct pcifront_dev *d, int off, int size,
			uint32_t value);
/* Sizes BAR i through the backend (which emulates the sizing writes). */
int pcifront_bar(const struct pcifront_dev *d, int i, struct pcifront_bar *b);
/* Maps a memory BAR (its frames must have been given to this domain):
 * the address, or NULL and *err. */
volatile void *pcifront_map_bar(const struct pcifront_bar *b, long *err);
/* Turns on I/O and memory decoding, and bus mastering if master. */
int pcifront_enable(const struct pcifront_dev *d, bool master);
/* Binds the function's INTx line (the GSI its Interrupt Line shows) to a
 * new event channel: 0 or a negative Xen errno. */
int pcifront_bind_intx(const struct pcifront_dev *d, evtchn_port_t *port);

#endif
