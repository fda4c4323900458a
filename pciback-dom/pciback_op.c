// SPDX-License-Identifier: GPL-2.0-only
/*
 * pciif operations from frontends (xen/io/pciif.h). The shared page is
 * the frontend's: each field is read once into a private copy, which is
 * then checked, and only err and value are written back, before
 * _XEN_PCIF_active is cleared. A frontend may only reach the functions it
 * owns, and every access goes through the filter (pci_logic.c).
 */
#include <stdio.h>

#include <rt/events.h>
#include <rt/thread.h>

#include "pciback.h"

extern struct pci_front pci_fronts[PCIBACK_MAX_FRONTS];

static struct rt_waitq op_wq = RT_WAITQ_INIT;
static volatile bool op_pending;

void pciback_op_kick(void)
{
	op_pending = true;
	rt_wake_all(&op_wq);
}

static struct pci_func *owned(const struct pci_front *fr,
			      const struct xen_pci_op *op)
{
	struct pci_bdf b = {(uint16_t)op->domain, (uint8_t)op->bus,
			    (uint8_t)(op->devfn >> 3),
			    (uint8_t)(op->devfn & 7)};
	struct pci_func *f;

	if (op->domain > 0xffff || op->bus > 0xff || op->devfn > 0xff)
		return NULL;
	f = pciback_find(&b);
	return f && f->owner == fr->fe ? f : NULL;
}

static int32_t verdict_err(enum pci_cfg_verdict v)
{
	if (v == PCI_CFG_DENIED)
		return XEN_PCI_ERR_access_denied;
	if (v == PCI_CFG_INVALID)
		return XEN_PCI_ERR_invalid_offset;
	return XEN_PCI_ERR_success;
}

static int32_t do_op(struct pci_front *fr, struct xen_pci_op *op)
{
	struct pci_func *f = owned(fr, op);
	enum pci_cfg_verdict v;
	uint32_t value = op->value;
	char bdf[16];

	if (op->cmd != XEN_PCI_OP_conf_read && op->cmd != XEN_PCI_OP_conf_write)
		return XEN_PCI_ERR_not_implemented; /* MSI: docs/pci.md */
	if (!f)
		return XEN_PCI_ERR_dev_not_found;
	if (op->cmd == XEN_PCI_OP_conf_read) {
		v = pci_cfg_read(&f->info, &f->vs, op->offset, op->size,
				 &value);
		if (v == PCI_CFG_PASS)
			value = pci_cfg_read_fixup(
			    &f->info, op->offset, op->size,
			    pci_conf_read(&f->info.bdf, op->offset, op->size));
		op->value = value;
		return verdict_err(v);
	}
	v = pci_cfg_write(&f->info, &f->vs, op->offset, op->size, &value);
	if (v == PCI_CFG_PASS)
		pci_conf_write(&f->info.bdf, op->offset, op->size, value);
	if (v == PCI_CFG_DENIED) {
		pci_format_bdf(&f->info.bdf, bdf, sizeof(bdf));
		printf("pciback: d%u: write 0x%x to %s register 0x%x refused\n",
		       fr->fe, op->value, bdf, op->offset);
	}
	return verdict_err(v);
}

void pciback_op_serve(struct pci_front *fr)
{
	struct xen_pci_sharedinfo *sh = fr->sh;
	struct xen_pci_op op;

	if (!fr->connected ||
	    !(__atomic_load_n(&sh->flags, __ATOMIC_ACQUIRE) & XEN_PCIF_active))
		return;
	/* One private copy of what the frontend asked; its page may change
	 * under us. */
	op.cmd = __atomic_load_n(&sh->op.cmd, __ATOMIC_RELAXED);
	op.domain = __atomic_load_n(&sh->op.domain, __ATOMIC_RELAXED);
	op.bus = __atomic_load_n(&sh->op.bus, __ATOMIC_RELAXED);
	op.devfn = __atomic_load_n(&sh->op.devfn, __ATOMIC_RELAXED);
	op.offset = __atomic_load_n(&sh->op.offset, __ATOMIC_RELAXED);
	op.size = __atomic_load_n(&sh->op.size, __ATOMIC_RELAXED);
	op.value = __atomic_load_n(&sh->op.value, __ATOMIC_RELAXED);
	op.err = do_op(fr, &op);
	__atomic_store_n(&sh->op.value, op.value, __ATOMIC_RELAXED);
	__atomic_store_n(&sh->op.err, op.err, __ATOMIC_RELAXED);
	__atomic_and_fetch(&sh->flags, ~XEN_PCIF_active, __ATOMIC_RELEASE);
	rt_evtchn_send(fr->port);
}

static void op_thread(void *arg)
{
	(void)arg;
	for (;;) {
		rt_wait_event(&op_wq, op_pending);
		op_pending = false;
		for (unsigned i = 0; i < PCIBACK_MAX_FRONTS; i++) {
			if (pci_fronts[i].used)
				pciback_op_serve(&pci_fronts[i]);
		}
	}
}

void pciback_op_start(void)
{
	rt_thread_create("pciop", op_thread, NULL);
}
