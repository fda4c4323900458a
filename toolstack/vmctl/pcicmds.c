// SPDX-License-Identifier: GPL-2.0-only
/*
 * PCI passthrough commands (docs/pci.md, "vmctl"): pci-list-assignable,
 * pci-assign, pci-detach, pci-list. Each is nothing but XenStore requests
 * on pciback's directory, in Xen's layout, and waiting for the states to
 * settle: the same writes anyone with a XenStore client could make.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xen/io/xenbus.h>

#include "mgmt.h"
#include "rundir.h"
#include "vmctl.h"

#define PCIBACK_NAME "pciback"
#define WAIT_MS	     40000
#define DIR_LEN	     80 /* be/fe: "/local/domain/N/backend/pci/M/0" */
#define PATH_LEN     256
#define VALUE_LEN    256

struct pci {
	struct mgmt m;
	uint32_t tx;
	unsigned pb, dom;
	char dom_name[64];
	char be[DIR_LEN], fe[DIR_LEN];
};

/* ---- XenStore requests -------------------------------------------------- */

/* One request: a path, then optionally more bytes. 0, or -1 (not said). */
static int xs(struct pci *p, uint32_t type, const char *path, const void *more,
	      size_t more_len, char *out, size_t out_size)
{
	char buf[XENSTORE_PAYLOAD_MAX];
	size_t plen = strlen(path) + 1;
	struct mgmt_msg r;

	if (plen + more_len > sizeof(buf))
		return -1;
	memcpy(buf, path, plen);
	memcpy(buf + plen, more, more_len);
	if (mgmt_call(&p->m, type, p->tx, buf, plen + more_len, &r) != MGMT_OK)
		return -1;
	if (out) {
		size_t n = r.hdr.len < out_size - 1 ? r.hdr.len : out_size - 1;

		memcpy(out, r.payload, n);
		out[n] = '\0';
	}
	return 0;
}

static int xs_read(struct pci *p, const char *path, char *out, size_t size)
{
	return xs(p, XS_READ, path, NULL, 0, out, size);
}

static int xs_readf(struct pci *p, char *out, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int xs_readf(struct pci *p, char *out, size_t size, const char *fmt, ...)
{
	char path[PATH_LEN];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(path, sizeof(path), fmt, ap);
	va_end(ap);
	return xs_read(p, path, out, size);
}

static int xs_write(struct pci *p, const char *dir, const char *key,
		    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static int xs_write(struct pci *p, const char *dir, const char *key,
		    const char *fmt, ...)
{
	char path[PATH_LEN], value[VALUE_LEN];
	va_list ap;

	snprintf(path, sizeof(path), "%s/%s", dir, key);
	va_start(ap, fmt);
	vsnprintf(value, sizeof(value), fmt, ap);
	va_end(ap);
	return xs(p, XS_WRITE, path, value, strlen(value), NULL, 0);
}

/* A directory owned by owner that reader may read (NUL-separated). */
static int xs_mkdir_shared(struct pci *p, const char *dir, unsigned owner,
			   unsigned reader)
{
	char perms[32];
	int n = snprintf(perms, sizeof(perms), "n%u", owner) + 1;

	n += snprintf(perms + n, sizeof(perms) - n, "r%u", reader) + 1;
	if (xs(p, XS_MKDIR, dir, NULL, 0, NULL, 0))
		return -1;
	return xs(p, XS_SET_PERMS, dir, perms, (size_t)n, NULL, 0);
}

static int tx_start(struct pci *p)
{
	char id[16];

	p->tx = 0;
	if (xs(p, XS_TRANSACTION_START, "", NULL, 0, id, sizeof(id)))
		return -1;
	p->tx = (uint32_t)strtoul(id, NULL, 10);
	return 0;
}

/* Commits: 0, 1 to try again (EAGAIN), -1 on another error. */
static int tx_end(struct pci *p, bool commit)
{
	uint32_t tx = p->tx;
	char arg[2] = {commit ? 'T' : 'F', 0};
	struct mgmt_msg r;
	enum mgmt_status st;

	p->tx = 0;
	st = mgmt_call(&p->m, XS_TRANSACTION_END, tx, arg, 2, &r);
	if (st == MGMT_REMOTE && !strcmp(p->m.error.name, "EAGAIN"))
		return 1;
	return st == MGMT_OK ? 0 : -1;
}

/* Waits until path reads as one of the states in mask (1 << state). */
static int wait_state(struct pci *p, const char *path, unsigned mask)
{
	int64_t deadline = mgmt_now_ms() + WAIT_MS;
	char v[16] = "";

	while (mgmt_now_ms() < deadline) {
		if (xs_read(p, path, v, sizeof(v)) == 0 &&
		    (mask & (1u << atoi(v))))
			return atoi(v);
		usleep(50000);
	}
	fprintf(stderr, "vmctl: ETIMEDOUT: %s stayed '%s'\n", path, v);
	return -1;
}

/* ---- Setup --------------------------------------------------------------- */

/* The ids of pciback and of DOM (name or id) from LIST. */
static int find_domains(struct pci *p, const char *dom)
{
	struct mgmt_msg r;
	struct mgmt_lines l;
	const char *line;
	size_t len;
	bool have_pb = false, have_dom = dom == NULL;

	if (mgmt_report(&p->m, mgmt_call(&p->m, ATOLL_MGMT_LIST, 0, "", 0, &r),
			NULL))
		return -1;
	mgmt_lines_init(&l, r.payload, r.hdr.len);
	while (mgmt_lines_next(&l, &line, &len)) {
		struct mgmt_domain d;
		char id[16];

		if (mgmt_reply_domain(line, len, &d))
			continue;
		snprintf(id, sizeof(id), "%u", d.id);
		if (!strcmp(d.name, PCIBACK_NAME)) {
			p->pb = d.id;
			have_pb = true;
		}
		if (dom && (!strcmp(d.name, dom) || !strcmp(id, dom))) {
			p->dom = d.id;
			snprintf(p->dom_name, sizeof(p->dom_name), "%s",
				 d.name);
			have_dom = true;
		}
	}
	if (!have_pb)
		fprintf(stderr, "vmctl: ENOENT: no domain '%s' is running\n",
			PCIBACK_NAME);
	else if (!have_dom)
		fprintf(stderr, "vmctl: ENOENT: unknown domain '%s'\n", dom);
	if (!have_pb || !have_dom)
		return -1;
	snprintf(p->be, sizeof(p->be), "/local/domain/%u/backend/pci/%u/0",
		 p->pb, p->dom);
	snprintf(p->fe, sizeof(p->fe), "/local/domain/%u/device/pci/0", p->dom);
	return 0;
}

/* "SSSS:BB:DD.F", as lspci -D and xl print it. */
static bool valid_bdf(const char *s)
{
	unsigned seg, bus, dev, fn;
	char end;

	return strlen(s) == 12 &&
	       sscanf(s, "%4x:%2x:%2x.%1x%c", &seg, &bus, &dev, &fn, &end) ==
		   4 &&
	       dev < 32 && fn < 8 && s[4] == ':' && s[7] == ':' && s[10] == '.';
}

static int open_pci(int *argc, char **argv, const char *cmd, int nargs,
		    const char *usage, struct pci *p)
{
	struct run_dir rd;

	memset(p, 0, sizeof(*p));
	p->m.fd = -1;
	if (!rundir_from_args(argc, argv, cmd, &rd))
		return VMCTL_EXIT_USAGE;
	if (*argc != nargs || (nargs && argv[0][0] == '-')) {
		fprintf(stderr, "usage: %s\n", usage);
		return VMCTL_EXIT_USAGE;
	}
	if (nargs == 2 && !valid_bdf(argv[1])) {
		fprintf(stderr,
			"%s: '%s' is not a PCI address like 0000:00:03.0\n",
			cmd, argv[1]);
		return VMCTL_EXIT_USAGE;
	}
	return rundir_connect(&rd, cmd, &p->m, 10);
}

/* ---- pci-list-assignable ------------------------------------------------- */

int cmd_pci_list_assignable(int argc, char **argv)
{
	struct pci p;
	char base[PATH_LEN], names[XENSTORE_PAYLOAD_MAX];
	int rc = open_pci(&argc, argv, "vmctl pci-list-assignable", 0,
			  "vmctl pci-list-assignable [--run-dir DIR]", &p);
	unsigned listed = 0;

	if (rc)
		return rc;
	if (find_domains(&p, NULL)) {
		mgmt_close(&p.m);
		return VMCTL_EXIT_FAIL;
	}
	snprintf(base, sizeof(base), "/local/domain/%u/pciback/devices", p.pb);
	if (xs(&p, XS_DIRECTORY, base, NULL, 0, names, sizeof(names))) {
		mgmt_close(&p.m);
		return mgmt_report(&p.m, MGMT_REMOTE, base);
	}
	for (char *d = names; *d; d += strlen(d) + 1) {
		char ok[8] = "", owner[16] = "", dma[16] = "", id[64] = "";
		unsigned s, b, dv, f;

		xs_readf(&p, ok, sizeof(ok), "%s/%s/assignable", base, d);
		xs_readf(&p, owner, sizeof(owner), "%s/%s/owner", base, d);
		xs_readf(&p, dma, sizeof(dma), "%s/%s/dma", base, d);
		xs_readf(&p, id, sizeof(id), "%s/%s", base, d);
		if (strcmp(ok, "1") || strcmp(owner, "0") ||
		    sscanf(d, "%x-%x-%x-%x", &s, &b, &dv, &f) != 4)
			continue;
		printf("%04x:%02x:%02x.%x  %-18s dma=%s%s\n", s, b, dv, f, id,
		       dma, strcmp(dma, "unsafe") ? "" : "  (NOT isolated)");
		listed++;
	}
	if (!listed)
		printf("no assignable device is free\n");
	mgmt_close(&p.m);
	return VMCTL_EXIT_OK;
}

/* ---- pci-assign ---------------------------------------------------------- */

static int count_devs(struct pci *p)
{
	char v[16];

	return xs_readf(p, v, sizeof(v), "%s/num_devs", p->be) ? -1 : atoi(v);
}

/* The writes that set up both directories with the first device. */
static int write_dirs(struct pci *p)
{
	return xs_mkdir_shared(p, p->be, p->pb, p->dom) ||
	       xs_write(p, p->be, "frontend", "%s", p->fe) ||
	       xs_write(p, p->be, "frontend-id", "%u", p->dom) ||
	       xs_write(p, p->be, "online", "1") ||
	       xs_write(p, p->be, "state", "%d", XenbusStateInitialising) ||
	       xs_write(p, p->be, "domain", "%s", p->dom_name) ||
	       xs_mkdir_shared(p, p->fe, p->dom, p->pb) ||
	       xs_write(p, p->fe, "backend", "%s", p->be) ||
	       xs_write(p, p->fe, "backend-id", "%u", p->pb) ||
	       xs_write(p, p->fe, "state", "%d", XenbusStateInitialising);
}

static int write_device(struct pci *p, int n, const char *bdf, bool hotplug)
{
	char key[24];

	snprintf(key, sizeof(key), "key-%d", n);
	if (xs_write(p, p->be, key, "%s", bdf))
		return -1;
	snprintf(key, sizeof(key), "dev-%d", n);
	if (xs_write(p, p->be, key, "%s", bdf))
		return -1;
	snprintf(key, sizeof(key), "opts-%d", n);
	if (xs_write(p, p->be, key, "msitranslate=0,power_mgmt=0,permissive=0"))
		return -1;
	snprintf(key, sizeof(key), "state-%d", n);
	if (xs_write(p, p->be, key, "%d", XenbusStateInitialising) ||
	    xs_write(p, p->be, "num_devs", "%d", n + 1))
		return -1;
	return hotplug
		   ? xs_write(p, p->be, "state", "%d", XenbusStateReconfiguring)
		   : 0;
}

static int wait_backend(struct pci *p, unsigned mask)
{
	char path[PATH_LEN];

	snprintf(path, sizeof(path), "%s/state", p->be);
	return wait_state(p, path, mask);
}

/* A device joins a running frontend (4) or one that never connected (3). */
#define SETTLED (1u << XenbusStateConnected | 1u << XenbusStateInitialised)

/* Writes the device in one transaction, again on EAGAIN; its index. */
static int request_assign(struct pci *p, const char *bdf)
{
	for (int attempt = 0; attempt < 10; attempt++) {
		int n = count_devs(p), rc;
		bool first = n < 0;

		if (!first && wait_backend(p, SETTLED) < 0)
			return -1;
		if (tx_start(p))
			return -1;
		rc = (first ? write_dirs(p) : 0) ||
		     write_device(p, first ? 0 : n, bdf, !first);
		if (rc) {
			tx_end(p, false);
			return -1;
		}
		rc = tx_end(p, true);
		if (rc == 0)
			return first ? 0 : n;
		if (rc < 0)
			return -1;
	}
	fprintf(stderr, "vmctl: EAGAIN: the XenStore kept conflicting\n");
	return -1;
}

/* The index of bdf among DOM's devices, or -1. */
static int find_device(struct pci *p, const char *bdf, int count)
{
	for (int i = 0; i < count; i++) {
		char dev[32];

		if (!xs_readf(p, dev, sizeof(dev), "%s/dev-%d", p->be, i) &&
		    !strcmp(dev, bdf))
			return i;
	}
	return -1;
}

static void report_dma(struct pci *p, const char *bdf)
{
	char dma[16] = "";
	unsigned s, b, d, f;

	sscanf(bdf, "%x:%x:%x.%x", &s, &b, &d, &f);
	xs_readf(p, dma, sizeof(dma),
		 "/local/domain/%u/pciback/devices/%04x-%02x-%02x-%x/dma",
		 p->pb, s, b, d, f);
	if (!strcmp(dma, "unsafe"))
		printf("WARNING: DMA from %s is NOT isolated (no IOMMU): the "
		       "device can reach all memory\n",
		       bdf);
}

/* Refused: say why and take the entries back out. */
static int assign_refused(struct pci *p, int n, const char *bdf);

int cmd_pci_assign(int argc, char **argv)
{
	struct pci p;
	char path[PATH_LEN];
	int rc = open_pci(&argc, argv, "vmctl pci-assign", 2,
			  "vmctl pci-assign DOM SSSS:BB:DD.F [--run-dir DIR]",
			  &p),
	    n, state;

	if (rc)
		return rc;
	if (find_domains(&p, argv[0]) ||
	    find_device(&p, argv[1], count_devs(&p)) >= 0) {
		if (p.pb && p.dom)
			fprintf(stderr,
				"vmctl: EEXIST: %s is already given to "
				"%s\n",
				argv[1], argv[0]);
		mgmt_close(&p.m);
		return VMCTL_EXIT_FAIL;
	}
	n = request_assign(&p, argv[1]);
	snprintf(path, sizeof(path), "%s/state-%d", p.be, n);
	state = n < 0 ? -1
		      : wait_state(&p, path,
				   1u << XenbusStateInitialised |
				       1u << XenbusStateClosed);
	if (state == XenbusStateClosed)
		rc = assign_refused(&p, n, argv[1]);
	else if (state < 0)
		rc = VMCTL_EXIT_FAIL;
	else if (n > 0 && wait_backend(&p, SETTLED) < 0)
		rc = VMCTL_EXIT_FAIL;
	if (!rc) {
		printf("%s assigned to %s (d%u)\n", argv[1], p.dom_name, p.dom);
		report_dma(&p, argv[1]);
	}
	mgmt_close(&p.m);
	return rc;
}

/* ---- pci-detach ---------------------------------------------------------- */

static const char *const dev_keys[] = {"state", "key",	"dev",
				       "vdev",	"opts", "error"};

/* Removes device n's keys, moves the later ones down, one transaction. */
static int remove_entries(struct pci *p, int n, int count)
{
	for (int attempt = 0; attempt < 10; attempt++) {
		bool bad = tx_start(p) != 0;
		int rc;

		for (int j = n; !bad && j < count; j++) {
			for (size_t k = 0; k < 6; k++) {
				char key[24], v[VALUE_LEN], path[PATH_LEN];
				bool has;

				snprintf(key, sizeof(key), "%s-%d", dev_keys[k],
					 j + 1);
				has = j + 1 < count &&
				      !xs_readf(p, v, sizeof(v), "%s/%s", p->be,
						key);
				snprintf(key, sizeof(key), "%s-%d", dev_keys[k],
					 j);
				snprintf(path, sizeof(path), "%s/%s", p->be,
					 key);
				xs(p, XS_RM, path, NULL, 0, NULL, 0);
				if (has)
					bad |= xs_write(p, p->be, key, "%s", v);
			}
		}
		bad |= xs_write(p, p->be, "num_devs", "%d", count - 1) != 0;
		if (bad) {
			tx_end(p, false);
			return -1;
		}
		rc = tx_end(p, true);
		if (rc <= 0)
			return rc;
	}
	return -1;
}

static int assign_refused(struct pci *p, int n, const char *bdf)
{
	char err[VALUE_LEN] = "refused";

	xs_readf(p, err, sizeof(err), "%s/error-%d", p->be, n);
	fprintf(stderr, "vmctl: pciback refused %s: %s\n", bdf, err);
	remove_entries(p, n, count_devs(p));
	return VMCTL_EXIT_FAIL;
}

int cmd_pci_detach(int argc, char **argv)
{
	struct pci p;
	int rc = open_pci(&argc, argv, "vmctl pci-detach", 2,
			  "vmctl pci-detach DOM SSSS:BB:DD.F [--run-dir DIR]",
			  &p),
	    count, n;

	if (rc)
		return rc;
	if (find_domains(&p, argv[0])) {
		mgmt_close(&p.m);
		return VMCTL_EXIT_FAIL;
	}
	count = count_devs(&p);
	n = find_device(&p, argv[1], count);
	if (n < 0) {
		fprintf(stderr, "vmctl: ENOENT: %s is not given to %s\n",
			argv[1], argv[0]);
		mgmt_close(&p.m);
		return VMCTL_EXIT_FAIL;
	}
	rc = VMCTL_EXIT_FAIL;
	if (wait_backend(&p, SETTLED) >= 0 && tx_start(&p) == 0) {
		char key[24];

		snprintf(key, sizeof(key), "state-%d", n);
		if (xs_write(&p, p.be, key, "%d", XenbusStateClosing) ||
		    xs_write(&p, p.be, "state", "%d", XenbusStateReconfiguring))
			tx_end(&p, false);
		else if (tx_end(&p, true) == 0 &&
			 wait_backend(&p, SETTLED) >= 0 &&
			 remove_entries(&p, n, count) == 0)
			rc = VMCTL_EXIT_OK;
	}
	if (!rc)
		printf("%s detached from %s, back with pciback\n", argv[1],
		       p.dom_name);
	mgmt_close(&p.m);
	return rc;
}

/* ---- pci-list ------------------------------------------------------------ */

static const char *state_word(int s)
{
	switch (s) {
	case XenbusStateInitialising:
		return "pending";
	case XenbusStateInitialised:
	case XenbusStateConnected:
		return "attached";
	case XenbusStateClosing:
		return "detaching";
	case XenbusStateClosed:
		return "refused";
	default:
		return "unknown";
	}
}

int cmd_pci_list(int argc, char **argv)
{
	struct pci p;
	int rc = open_pci(&argc, argv, "vmctl pci-list", 1,
			  "vmctl pci-list DOM [--run-dir DIR]", &p),
	    count;

	if (rc)
		return rc;
	if (find_domains(&p, argv[0])) {
		mgmt_close(&p.m);
		return VMCTL_EXIT_FAIL;
	}
	count = count_devs(&p);
	printf("%-4s %-14s %s\n", "Vdev", "Device", "State");
	for (int i = 0; i < count; i++) {
		char dev[32] = "?", st[8] = "0", err[VALUE_LEN] = "";

		xs_readf(&p, dev, sizeof(dev), "%s/dev-%d", p.be, i);
		xs_readf(&p, st, sizeof(st), "%s/state-%d", p.be, i);
		xs_readf(&p, err, sizeof(err), "%s/error-%d", p.be, i);
		printf("%02x.0 %-14s %s%s%s\n", i, dev, state_word(atoi(st)),
		       *err ? ": " : "", err);
	}
	mgmt_close(&p.m);
	return VMCTL_EXIT_OK;
}
