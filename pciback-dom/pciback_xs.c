// SPDX-License-Identifier: GPL-2.0-only
/*
 * The XenStore side of pciback: Xen's backend/pci protocol as libxl writes
 * it and Linux's xen-pciback answers it (docs/pci.md has the sequence).
 *
 * Everything runs on the main thread: a watch on backend/pci (and on
 * @releaseDomain) only wakes it, and it then looks at every frontend's
 * directory again. Each step checks the states it needs first, so seeing
 * a directory twice is harmless.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rt/events.h>
#include <rt/thread.h>
#include <rt/xenbus.h>
#include <xen/errno.h>

#include "pciback.h"

struct pci_front pci_fronts[PCIBACK_MAX_FRONTS];

static struct rt_waitq xs_wq = RT_WAITQ_INIT;
static volatile bool xs_pending;

static void on_watch(const char *path, const char *token, void *arg)
{
	(void)path, (void)token, (void)arg;
	xs_pending = true;
	rt_wake_all(&xs_wq);
}

static void on_event(evtchn_port_t port, void *arg)
{
	(void)port, (void)arg;
	pciback_op_kick();
}

/* ---- Small XenStore helpers (paths relative to f->be) ---------------- */

static int be_read_int(const struct pci_front *f, const char *key, long *v)
{
	char p[96];

	snprintf(p, sizeof(p), "%s/%s", f->be, key);
	return xenbus_read_int(XENBUS_NO_TXN, p, v);
}

static char *be_read(const struct pci_front *f, const char *key)
{
	char p[96], *v = NULL;

	snprintf(p, sizeof(p), "%s/%s", f->be, key);
	return xenbus_read(XENBUS_NO_TXN, p, &v) ? NULL : v;
}

static void be_printf(const struct pci_front *f, const char *key,
		      const char *fmt, unsigned v)
{
	char p[96];

	snprintf(p, sizeof(p), "%s/%s", f->be, key);
	xenbus_printf(XENBUS_NO_TXN, p, fmt, v);
}

static int be_state(const struct pci_front *f)
{
	long v;

	return be_read_int(f, "state", &v) ? XenbusStateInitialising : (int)v;
}

static int fe_state(struct pci_front *f)
{
	char p[96];
	long v;
	int rc;

	if (!f->fe_dir[0])
		return -ENOENT;
	snprintf(p, sizeof(p), "%s/state", f->fe_dir);
	rc = xenbus_read_int(XENBUS_NO_TXN, p, &v);
	if (rc == 0)
		f->seen_fe = true;
	return rc ? rc : (int)v;
}

static void switch_state(struct pci_front *f, enum xenbus_state s)
{
	xenbus_switch_state(f->be, s);
	printf("pciback: d%u backend %s\n", f->fe, xenbus_state_name(s));
}

/* The frontend must read what we write: owner us, read for it, on the
 * directory and every node in it (the toolstack's nodes included). */
static void share(const struct pci_front *f)
{
	char perms[32], p[96], **names;
	unsigned count;
	int len = snprintf(perms, sizeof(perms), "n%u", pciback_self) + 1;

	len +=
	    snprintf(perms + len, sizeof(perms) - (unsigned)len, "r%u", f->fe) +
	    1;
	xenbus_set_perms(XENBUS_NO_TXN, f->be, perms, (unsigned)len);
	if (xenbus_directory(XENBUS_NO_TXN, f->be, &names, &count))
		return;
	for (unsigned i = 0; i < count; i++) {
		snprintf(p, sizeof(p), "%s/%s", f->be, names[i]);
		xenbus_set_perms(XENBUS_NO_TXN, p, perms, (unsigned)len);
	}
	free(names);
}

/* Reports why dev-i was refused, where Xen's xenbus_dev_error puts it and
 * next to the device (error-i), and marks it Closed. */
static void dev_refuse(struct pci_front *f, unsigned i, int err,
		       const char *name, const char *msg)
{
	char key[24], p[128];

	printf("pciback: d%u dev-%u refused: %s %s\n", f->fe, i, name, msg);
	snprintf(key, sizeof(key), "%s/error-%u", f->be, i);
	xenbus_printf(XENBUS_NO_TXN, key, "%s %s", name, msg);
	snprintf(p, sizeof(p), "error/%s/error", f->be);
	xenbus_printf(XENBUS_NO_TXN, p, "%d %s", err, msg);
	snprintf(key, sizeof(key), "state-%u", i);
	be_printf(f, key, "%u", XenbusStateClosed);
}

/* ---- Devices --------------------------------------------------------- */

/* dev-i: check it, move it, publish it (Linux's export_device). */
static void export(struct pci_front *f, unsigned i)
{
	char key[16], bdf[16], msg[64], *text;
	struct pci_bdf b;
	struct pci_func *pf;
	int rc;

	snprintf(key, sizeof(key), "dev-%u", i);
	text = be_read(f, key);
	if (!text || !pci_parse_bdf(text, &b)) {
		snprintf(msg, sizeof(msg), "malformed dev-%u", i);
		dev_refuse(f, i, EINVAL, "EINVAL", msg);
		free(text);
		return;
	}
	free(text);
	pci_format_bdf(&b, bdf, sizeof(bdf));
	pf = pciback_find(&b);
	if (!pf) {
		snprintf(msg, sizeof(msg), "no PCI function %s", bdf);
		dev_refuse(f, i, ENODEV, "ENODEV", msg);
		return;
	}
	if (!pf->assignable) {
		snprintf(msg, sizeof(msg), "%s is not assignable: %s", bdf,
			 pf->why_not);
		dev_refuse(f, i, EPERM, "EPERM", msg);
		return;
	}
	if (pf->owner && pf->owner != f->fe) {
		snprintf(msg, sizeof(msg), "%s is assigned to d%u", bdf,
			 pf->owner);
		dev_refuse(f, i, EBUSY, "EBUSY", msg);
		return;
	}
	rc = pf->owner ? 0 : pciback_assign(pf, f->fe);
	if (rc) {
		snprintf(msg, sizeof(msg), "moving %s's resources failed (%d)",
			 bdf, rc);
		dev_refuse(f, i, EIO, "EIO", msg);
		return;
	}
	printf("pciback: %s assigned to d%u (DMA %s)\n", bdf, f->fe,
	       pf->dma_isolated ? "isolated by the IOMMU"
				: "not isolated: no IOMMU");
	snprintf(key, sizeof(key), "vdev-%u", i);
	{
		char p[96];

		/* As Linux writes it: a two-digit function. */
		snprintf(p, sizeof(p), "%s/%s", f->be, key);
		xenbus_printf(XENBUS_NO_TXN, p, "%04x:%02x:%02x.%02x", b.seg,
			      b.bus, b.dev, b.fn);
	}
	snprintf(key, sizeof(key), "state-%u", i);
	be_printf(f, key, "%u", XenbusStateInitialised);
}

/* dev-i is being detached (state-i Closing): back to pciback, reset. */
static void unexport(struct pci_front *f, unsigned i)
{
	char key[16], *text;
	struct pci_bdf b;
	struct pci_func *pf;

	snprintf(key, sizeof(key), "dev-%u", i);
	text = be_read(f, key);
	if (text && pci_parse_bdf(text, &b)) {
		pf = pciback_find(&b);
		if (pf && pf->owner == f->fe)
			pciback_release(pf);
	}
	free(text);
	snprintf(key, sizeof(key), "state-%u", i);
	be_printf(f, key, "%u", XenbusStateClosed);
}

/* Publishes the root bus every exported function sits on (passthrough
 * topology: frontends see the real addresses). */
static void publish_roots(struct pci_front *f)
{
	char p[96];

	snprintf(p, sizeof(p), "%s/root-0", f->be);
	xenbus_write(XENBUS_NO_TXN, p, "0000:00");
	be_printf(f, "root_num", "%u", 1);
}

/* Exports devices in Initialising, unexports those Closing. */
static void each_device(struct pci_front *f)
{
	long num, sub;
	char key[16];

	share(f);
	if (be_read_int(f, "num_devs", &num))
		num = 0;
	for (long i = 0; i < num && i < 256; i++) {
		snprintf(key, sizeof(key), "state-%ld", i);
		if (be_read_int(f, key, &sub))
			sub = XenbusStateInitialising;
		if (sub == XenbusStateInitialising)
			export(f, (unsigned)i);
		else if (sub == XenbusStateClosing)
			unexport(f, (unsigned)i);
	}
	publish_roots(f);
	share(f);
}

/* ---- Connection ------------------------------------------------------ */

static void attach(struct pci_front *f)
{
	char p[96], *magic = NULL;
	long ref, port;
	int err = 0;

	snprintf(p, sizeof(p), "%s/pci-op-ref", f->fe_dir);
	err = xenbus_read_int(XENBUS_NO_TXN, p, &ref);
	snprintf(p, sizeof(p), "%s/event-channel", f->fe_dir);
	err = err ? err : xenbus_read_int(XENBUS_NO_TXN, p, &port);
	snprintf(p, sizeof(p), "%s/magic", f->fe_dir);
	err = err ? err : xenbus_read(XENBUS_NO_TXN, p, &magic);
	if (err || strcmp(magic, XEN_PCI_MAGIC)) {
		printf("pciback: d%u: frontend details bad (%d)\n", f->fe, err);
		free(magic);
		return;
	}
	free(magic);
	f->sh = rt_grant_map(f->fe, (grant_ref_t)ref, false, &f->handle, &err);
	if (!f->sh) {
		printf("pciback: d%u: cannot map its page: %d\n", f->fe, err);
		return;
	}
	err = rt_evtchn_bind_interdomain(f->fe, (evtchn_port_t)port, &f->port);
	if (err) {
		rt_grant_unmap(f->sh, f->handle);
		f->sh = NULL;
		return;
	}
	f->connected = true;
	rt_evtchn_handle(f->port, on_event, f);
	switch_state(f, XenbusStateConnected);
}

static void disconnect(struct pci_front *f)
{
	if (!f->connected)
		return;
	f->connected = false;
	rt_evtchn_unhandle(f->port);
	rt_evtchn_close(f->port);
	rt_grant_unmap(f->sh, f->handle);
	f->sh = NULL;
}

static void watch_token(const struct pci_front *f, char *buf, unsigned len)
{
	snprintf(buf, len, "fe%u", f->fe);
}

/* Everything f had goes back: the domain or its directory is gone. */
static void forget(struct pci_front *f)
{
	char token[16];

	disconnect(f);
	if (f->fe_dir[0]) {
		watch_token(f, token, sizeof(token));
		xenbus_unwatch(f->fe_dir, token);
	}
	for (unsigned i = 0; i < pci_func_count; i++) {
		if (pci_funcs[i].owner == f->fe)
			pciback_release(&pci_funcs[i]);
	}
	printf("pciback: d%u gone: its devices are back\n", f->fe);
	memset(f, 0, sizeof(*f));
}

/* ---- The state machine ----------------------------------------------- */

static void step(struct pci_front *f)
{
	int fs = fe_state(f), bs = be_state(f);
	long num;

	switch (bs) {
	case XenbusStateInitialising:
		share(f);
		switch_state(f, XenbusStateInitWait);
		/* The toolstack may have written it all already. */
		__attribute__((fallthrough));
	case XenbusStateInitWait:
		if (be_read_int(f, "num_devs", &num))
			break; /* the toolstack has not written it yet */
		each_device(f);
		switch_state(f, XenbusStateInitialised);
		f->steady = XenbusStateInitialised;
		__attribute__((fallthrough));
	case XenbusStateInitialised:
		if (fs == XenbusStateInitialised && !f->connected)
			attach(f);
		break;
	case XenbusStateReconfiguring:
		/* With a connected frontend, wait until it reconfigures too;
		 * without one there is nobody to tell (an Atoll extension). */
		if (f->connected && fs != XenbusStateReconfiguring)
			break;
		each_device(f);
		switch_state(f, f->connected ? XenbusStateReconfigured
					     : f->steady);
		break;
	case XenbusStateReconfigured:
		if (fs == XenbusStateConnected)
			switch_state(f, XenbusStateConnected);
		break;
	case XenbusStateConnected:
		if (fs == XenbusStateClosing || fs == XenbusStateClosed) {
			disconnect(f);
			switch_state(f, XenbusStateClosed);
		}
		break;
	default:
		break;
	}
	if (fs == -ENOENT && f->seen_fe)
		forget(f); /* the frontend's domain went away */
}

static struct pci_front *front_of(domid_t fe)
{
	struct pci_front *free_slot = NULL;

	for (unsigned i = 0; i < PCIBACK_MAX_FRONTS; i++) {
		if (pci_fronts[i].used && pci_fronts[i].fe == fe)
			return &pci_fronts[i];
		if (!pci_fronts[i].used && !free_slot)
			free_slot = &pci_fronts[i];
	}
	if (!free_slot)
		return NULL;
	*free_slot = (struct pci_front){
	    .used = true, .fe = fe, .steady = XenbusStateInitWait};
	snprintf(free_slot->be, sizeof(free_slot->be), "backend/pci/%u/0", fe);
	return free_slot;
}

static void scan(void)
{
	char **names = NULL, *fe_dir;
	unsigned count = 0;
	bool present[PCIBACK_MAX_FRONTS] = {0};

	xenbus_directory(XENBUS_NO_TXN, "backend/pci", &names, &count);
	for (unsigned i = 0; i < count; i++) {
		char *end;
		unsigned long id = strtoul(names[i], &end, 10);
		struct pci_front *f;

		if (*end || id == 0 || id >= DOMID_FIRST_RESERVED ||
		    id == pciback_self)
			continue;
		f = front_of((domid_t)id);
		if (!f)
			continue;
		present[f - pci_fronts] = true;
		if (!f->fe_dir[0] && (fe_dir = be_read(f, "frontend"))) {
			char token[16];

			/* Its state changes wake us too. */
			snprintf(f->fe_dir, sizeof(f->fe_dir), "%s", fe_dir);
			free(fe_dir);
			watch_token(f, token, sizeof(token));
			xenbus_watch(f->fe_dir, token, on_watch, NULL);
		}
		step(f);
	}
	free(names);
	for (unsigned i = 0; i < PCIBACK_MAX_FRONTS; i++) {
		if (pci_fronts[i].used && !present[i])
			forget(&pci_fronts[i]);
	}
}

void pciback_xs_start(void)
{
	xenbus_watch("backend/pci", "pci", on_watch, NULL);
	xenbus_watch("@releaseDomain", "release", on_watch, NULL);
}

void pciback_xs_loop(void)
{
	for (;;) {
		rt_wait_event(&xs_wq, xs_pending);
		xs_pending = false;
		scan();
	}
}
