// SPDX-License-Identifier: GPL-2.0-only
/*
 * The manifest's `pci-devices` at boot: ctld writes them on pciback's
 * XenStore path exactly as `vmctl pci-assign` does (docs/pci.md), all of
 * a domain's devices in one transaction, as libxl does when it builds a
 * domain. pciback does the rest. Runs on its own thread: pciback may
 * still be enumerating when ctld starts.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <atoll/caps.h>
#include <manifest.h>
#include <rt/rt.h>
#include <rt/thread.h>
#include <rt/xenbus.h>

#include "ctld.h"

#define PCIBACK_WAIT_NS 30000000000ULL

struct assign {
	const struct manifest_domain *m;
	domid_t dom, pb;
};

static int mkdir_shared(xenbus_txn_t t, const char *dir, domid_t owner,
			domid_t reader)
{
	char perms[32];
	int n = snprintf(perms, sizeof(perms), "n%u", owner) + 1;
	int rc = xenbus_mkdir(t, dir);

	n += snprintf(perms + n, sizeof(perms) - n, "r%u", reader) + 1;
	return rc ? rc : xenbus_set_perms(t, dir, perms, (unsigned)n);
}

static int write_all(xenbus_txn_t t, void *arg)
{
	const struct assign *a = arg;
	char be[80], fe[80], key[96];
	int rc;

	snprintf(be, sizeof(be), "/local/domain/%u/backend/pci/%u/0", a->pb,
		 a->dom);
	snprintf(fe, sizeof(fe), "/local/domain/%u/device/pci/0", a->dom);
	rc = mkdir_shared(t, be, a->pb, a->dom);
#define W(dir, k, ...)                                                         \
	(snprintf(key, sizeof(key), "%s/%s", dir, k),                          \
	 rc = rc ? rc : xenbus_printf(t, key, __VA_ARGS__))
	W(be, "frontend", "%s", fe);
	W(be, "frontend-id", "%u", a->dom);
	W(be, "online", "1");
	W(be, "state", "%d", XenbusStateInitialising);
	W(be, "domain", "%s", a->m->name);
	rc = rc ? rc : mkdir_shared(t, fe, a->dom, a->pb);
	W(fe, "backend", "%s", be);
	W(fe, "backend-id", "%u", a->pb);
	W(fe, "state", "%d", XenbusStateInitialising);
	for (unsigned i = 0; i < a->m->pci_count; i++) {
		char k[16];

		snprintf(k, sizeof(k), "key-%u", i);
		W(be, k, "%s", a->m->pci[i].text);
		snprintf(k, sizeof(k), "dev-%u", i);
		W(be, k, "%s", a->m->pci[i].text);
		snprintf(k, sizeof(k), "opts-%u", i);
		W(be, k, "msitranslate=0,power_mgmt=0,permissive=0");
		snprintf(k, sizeof(k), "state-%u", i);
		W(be, k, "%d", XenbusStateInitialising);
	}
	W(be, "num_devs", "%u", a->m->pci_count);
#undef W
	return rc;
}

static bool pciback_ready(domid_t pb)
{
	char path[64], **names;
	unsigned count;

	snprintf(path, sizeof(path), "/local/domain/%u/pciback/devices", pb);
	if (xenbus_directory(XENBUS_NO_TXN, path, &names, &count))
		return false;
	free(names);
	return true;
}

static void assign_thread(void *arg)
{
	domid_t pb = domains_boot_with_cap(ATOLL_CAP_PCI);
	uint64_t deadline = rt_now_ns() + PCIBACK_WAIT_NS;

	if (pb == DOMID_INVALID) {
		printf("ctld: the manifest gives PCI devices, but no domain "
		       "holds 'pci' (pciback)\n");
		return;
	}
	while (!pciback_ready(pb)) {
		if (rt_now_ns() > deadline) {
			printf("ctld: pciback (d%u) never published its "
			       "devices: manifest PCI devices not given\n",
			       pb);
			return;
		}
		rt_sleep_ns(100000000);
	}
	for (unsigned i = 0; i < domains_boot_count(); i++) {
		struct assign a = {.pb = pb};
		int rc;

		a.m = domains_boot(i, &a.dom);
		if (!a.m || !a.m->pci_count || a.dom == DOMID_INVALID)
			continue;
		rc = xenbus_transact(write_all, &a);
		printf("ctld: %u PCI device(s) for '%s' written to pciback's "
		       "path%s\n",
		       a.m->pci_count, a.m->name, rc ? ": failed" : "");
	}
}

void pci_boot_assign(void)
{
	for (unsigned i = 0; i < domains_boot_count(); i++) {
		domid_t id;
		const struct manifest_domain *m = domains_boot(i, &id);

		if (m && m->pci_count) {
			rt_thread_create("pci-boot", assign_thread, NULL);
			return;
		}
	}
}
