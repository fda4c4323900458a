// SPDX-License-Identifier: GPL-2.0-only
/*
 * pcifront (rt/pcifront.h): one shared page and one event channel to
 * pciback; one operation in flight at a time. A watch on the backend's
 * state drives hot-plug the way Linux's pcifront does: on Reconfiguring
 * it drops the functions whose state-N is Closing and says Reconfiguring
 * too; on Reconfigured it picks up the new ones and says Connected.
 */
#include <errno.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <atoll/hypercall.h>
#include <atoll/mmio.h>
#include <rt/events.h>
#include <rt/gnttab.h>
#include <rt/hypercall.h>
#include <rt/pci_regs.h>
#include <rt/pcifront.h>
#include <rt/rt.h>
#include <rt/thread.h>
#include <rt/xenbus.h>
#include <xen/io/pciif.h>

#define FRONT_DIR     "device/pci/0"
#define OP_TIMEOUT_NS 5000000000ULL

static struct {
	char be[64];
	domid_t be_id;
	struct xen_pci_sharedinfo *sh;
	evtchn_port_t port;
	bool busy;
	struct pcifront_dev devs[PCIFRONT_MAX_DEVS];
	unsigned count, generation;
} pf;

static struct rt_waitq op_wq = RT_WAITQ_INIT, dev_wq = RT_WAITQ_INIT;

static void on_event(evtchn_port_t port, void *arg)
{
	(void)port, (void)arg;
	rt_wake_all(&op_wq);
}

/* ---- Operations ------------------------------------------------------ */

static bool op_done(void)
{
	return !(__atomic_load_n(&pf.sh->flags, __ATOMIC_ACQUIRE) &
		 XEN_PCIF_active);
}

static int do_op(uint32_t cmd, const struct pcifront_dev *d, int off, int size,
		 uint32_t *value)
{
	struct xen_pci_op *op;
	int err;

	if (!pf.sh)
		return XEN_PCI_ERR_dev_not_found;
	rt_wait_event(&op_wq, !pf.busy);
	pf.busy = true;
	op = &pf.sh->op;
	*op = (struct xen_pci_op){.cmd = cmd,
				  .domain = d->seg,
				  .bus = d->bus,
				  .devfn = d->devfn,
				  .offset = off,
				  .size = size,
				  .value = *value};
	__atomic_or_fetch(&pf.sh->flags, XEN_PCIF_active, __ATOMIC_RELEASE);
	rt_evtchn_send(pf.port);
	if (!rt_wait_event_until(&op_wq, op_done(),
				 rt_now_ns() + OP_TIMEOUT_NS)) {
		err = XEN_PCI_ERR_op_failed; /* the backend is gone */
	} else {
		err = op->err;
		*value = op->value;
	}
	pf.busy = false;
	rt_wake_all(&op_wq);
	return err;
}

int pcifront_conf_read(const struct pcifront_dev *d, int off, int size,
		       uint32_t *value)
{
	*value = 0;
	return do_op(XEN_PCI_OP_conf_read, d, off, size, value);
}

int pcifront_conf_write(const struct pcifront_dev *d, int off, int size,
			uint32_t value)
{
	return do_op(XEN_PCI_OP_conf_write, d, off, size, &value);
}

/* Writes all ones to a BAR register and reads back the size mask. */
static int size_reg(const struct pcifront_dev *d, int off, uint32_t *orig,
		    uint32_t *mask)
{
	int err = pcifront_conf_read(d, off, 4, orig);

	if (!err)
		err = pcifront_conf_write(d, off, 4, 0xffffffffU);
	if (!err)
		err = pcifront_conf_read(d, off, 4, mask);
	if (!err)
		err = pcifront_conf_write(d, off, 4, *orig);
	return err;
}

int pcifront_bar(const struct pcifront_dev *d, int i, struct pcifront_bar *b)
{
	uint32_t lo, lo_mask, hi = 0, hi_mask = 0xffffffffU;
	uint64_t mask;
	int err = size_reg(d, PCI_BAR0 + 4 * i, &lo, &lo_mask);

	*b = (struct pcifront_bar){0};
	if (err)
		return err;
	b->io = lo & PCI_BAR_IO;
	if (b->io) {
		mask = lo_mask & PCI_BAR_IO_MASK & 0xffff;
		b->addr = lo & PCI_BAR_IO_MASK;
		b->size = mask ? (~mask + 1) & 0xffff : 0;
		return 0;
	}
	b->is64 = (lo & PCI_BAR_MEM_TYPE) == PCI_BAR_MEM_TYPE_64;
	if (b->is64 && i < 5)
		err = size_reg(d, PCI_BAR0 + 4 * (i + 1), &hi, &hi_mask);
	mask = ((uint64_t)hi_mask << 32) | (lo_mask & PCI_BAR_MEM_MASK);
	b->addr = ((uint64_t)hi << 32) | (lo & PCI_BAR_MEM_MASK);
	b->size = (lo_mask & PCI_BAR_MEM_MASK) ? ~mask + 1 : 0;
	return err;
}

volatile void *pcifront_map_bar(const struct pcifront_bar *b, long *err)
{
	uint64_t base = b->addr & ~0xfffULL;
	struct atoll_mmio_op op = {
	    .phys = base, .pages = (b->addr + b->size - base + 0xfff) >> 12};

	*err = b->io || !b->size
		   ? -EINVAL
		   : HC(__HYPERVISOR_atoll_mmio, ATOLL_MMIOOP_map, &op, 0);
	if (*err)
		return NULL;
	return (volatile void *)(uintptr_t)(op.va + (b->addr - base));
}

int pcifront_enable(const struct pcifront_dev *d, bool master)
{
	uint32_t cmd;
	int err = pcifront_conf_read(d, PCI_COMMAND, 2, &cmd);

	cmd |= PCI_COMMAND_IO | PCI_COMMAND_MEMORY;
	if (master)
		cmd |= PCI_COMMAND_MASTER;
	return err ? err : pcifront_conf_write(d, PCI_COMMAND, 2, cmd);
}

int pcifront_bind_intx(const struct pcifront_dev *d, evtchn_port_t *port)
{
	struct evtchn_bind_pirq op = {0};
	uint32_t line;
	int err = pcifront_conf_read(d, PCI_INTERRUPT_LINE, 1, &line);
	long rc;

	if (err)
		return -EIO;
	op.pirq = line;
	rc = hc_evtchn_op(EVTCHNOP_bind_pirq, &op);
	if (!rc)
		*port = op.port;
	return (int)rc;
}

/* ---- Device list ----------------------------------------------------- */

static int be_int(const char *key, long *v)
{
	char p[128];

	snprintf(p, sizeof(p), "%s/%s", pf.be, key);
	return xenbus_read_int(XENBUS_NO_TXN, p, v);
}

/* Reads every vdev-N whose state-N is Initialised. */
static void refresh(void)
{
	struct pcifront_dev devs[PCIFRONT_MAX_DEVS];
	unsigned n = 0, seg, bus, dev, fn;
	long num, st;
	char key[32], p[128], *v;

	if (be_int("num_devs", &num))
		num = 0;
	for (long i = 0; i < num && n < PCIFRONT_MAX_DEVS; i++) {
		snprintf(key, sizeof(key), "state-%ld", i);
		if (be_int(key, &st) || st != XenbusStateInitialised)
			continue;
		snprintf(p, sizeof(p), "%s/vdev-%ld", pf.be, i);
		if (xenbus_read(XENBUS_NO_TXN, p, &v))
			continue;
		if (sscanf(v, "%x:%x:%x.%x", &seg, &bus, &dev, &fn) == 4 &&
		    dev < 32 && fn < 8) {
			devs[n] =
			    (struct pcifront_dev){(uint16_t)seg,
						  (uint8_t)bus,
						  (uint8_t)PCI_DEVFN(dev, fn),
						  0,
						  0,
						  (unsigned)i};
			n++;
		}
		free(v);
	}
	pf.count = 0;
	for (unsigned i = 0; i < n; i++) {
		uint32_t id;

		if (pcifront_conf_read(&devs[i], PCI_VENDOR_ID, 4, &id))
			continue;
		devs[i].vendor = (uint16_t)id;
		devs[i].device = (uint16_t)(id >> 16);
		pf.devs[pf.count++] = devs[i];
	}
	pf.generation++;
	rt_wake_all(&dev_wq);
}

unsigned pcifront_devices(struct pcifront_dev *out, unsigned max)
{
	unsigned n = pf.count < max ? pf.count : max;

	memcpy(out, pf.devs, n * sizeof(*out));
	return n;
}

unsigned pcifront_generation(void)
{
	return pf.generation;
}

int pcifront_wait_count(unsigned count, uint64_t timeout_ns)
{
	return rt_wait_event_until(&dev_wq, pf.count == count,
				   rt_now_ns() + timeout_ns)
		   ? 0
		   : -ETIMEDOUT;
}

/* The backend's state changed: follow hot-plug. */
static void on_backend(const char *path, const char *token, void *arg)
{
	enum xenbus_state bs = xenbus_read_state(pf.be);
	enum xenbus_state fs = xenbus_read_state(FRONT_DIR);

	(void)path, (void)token, (void)arg;
	if (bs == XenbusStateReconfiguring && fs == XenbusStateConnected) {
		refresh(); /* Closing functions are no longer listed */
		xenbus_switch_state(FRONT_DIR, XenbusStateReconfiguring);
	} else if (bs == XenbusStateReconfigured &&
		   fs == XenbusStateReconfiguring) {
		refresh();
		xenbus_switch_state(FRONT_DIR, XenbusStateConnected);
	}
}

/* ---- Connecting ------------------------------------------------------ */

static int publish(void)
{
	char perms[32];
	int ref, len;

	pf.sh = memalign(4096, 4096);
	if (!pf.sh)
		return -ENOMEM;
	memset(pf.sh, 0, 4096);
	ref = rt_grant_access(pf.be_id, pf.sh, false);
	if (ref < 0 || rt_evtchn_alloc_unbound(pf.be_id, &pf.port))
		return -EIO;
	rt_evtchn_handle(pf.port, on_event, NULL);
	/* pciback must read what we publish, and the state node the
	 * toolstack wrote. */
	len = snprintf(perms, sizeof(perms), "n%u", rt_domid) + 1;
	len += snprintf(perms + len, sizeof(perms) - (unsigned)len, "r%u",
			pf.be_id) +
	       1;
	xenbus_set_perms(XENBUS_NO_TXN, FRONT_DIR, perms, (unsigned)len);
	xenbus_set_perms(XENBUS_NO_TXN, FRONT_DIR "/state", perms,
			 (unsigned)len);
	xenbus_printf(XENBUS_NO_TXN, FRONT_DIR "/pci-op-ref", "%d", ref);
	xenbus_printf(XENBUS_NO_TXN, FRONT_DIR "/event-channel", "%u", pf.port);
	xenbus_write(XENBUS_NO_TXN, FRONT_DIR "/magic", XEN_PCI_MAGIC);
	return xenbus_switch_state(FRONT_DIR, XenbusStateInitialised);
}

int pcifront_connect(uint64_t timeout_ns)
{
	uint64_t deadline = rt_now_ns() + timeout_ns;
	char *be = NULL;
	long id;
	int rc;

	while (xenbus_read(XENBUS_NO_TXN, FRONT_DIR "/backend", &be) ||
	       xenbus_read_int(XENBUS_NO_TXN, FRONT_DIR "/backend-id", &id)) {
		free(be);
		be = NULL;
		if (rt_now_ns() > deadline)
			return -ETIMEDOUT;
		rt_sleep_ns(20000000);
	}
	snprintf(pf.be, sizeof(pf.be), "%s", be);
	free(be);
	pf.be_id = (domid_t)id;
	rc = publish();
	if (rc)
		return rc;
	rc = xenbus_wait_state(pf.be, 1U << XenbusStateConnected,
			       deadline - rt_now_ns());
	if (rc < 0)
		return rc;
	refresh();
	xenbus_switch_state(FRONT_DIR, XenbusStateConnected);
	{
		char path[96];

		snprintf(path, sizeof(path), "%s/state", pf.be);
		xenbus_watch(path, "pcifront", on_backend, NULL);
	}
	return 0;
}
