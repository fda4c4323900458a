// SPDX-License-Identifier: GPL-2.0-only
/*
 * Domains as the toolstack sees them: the boot domains from the manifest
 * (shown read-only at ATOLL_BOOT_MODULES_VA), the ones vmctl created, and
 * images uploaded for them. Restart policies are applied on every
 * VIRQ_DOM_EXC: a boot domain with restart "on-crash" or "always" is
 * rebuilt from its boot module; a created domain that asked to reboot is
 * rebuilt from its config (xl's on_reboot = "restart").
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <atoll/caps.h>
#include <atoll/layout.h>
#include <atoll/mgmt.h>
#include <libfdt.h>
#include <manifest.h>
#include <rt/hypercall.h>
#include <rt/rt.h>
#include <rt/thread.h>
#include <rt/xenbus.h>
#include <xen/errno.h>
#include <xen/sched.h>
#include <xen/version.h>
#include <xlcfg.h>

#include "ctld.h"

#define MAX_CREATED 32
#define MAX_IMAGES  8
#define STATIC_CAPS (ATOLL_CAP_DOMCTL | ATOLL_CAP_CONSOLE)

struct boot_domain {
	const struct manifest_domain *m;
	domid_t domid; /* DOMID_INVALID when not running */
	unsigned restarts;
};

struct created {
	bool used;
	domid_t domid;
	struct xlcfg cfg;
};

struct image {
	char name[64];
	uint8_t *data;
	size_t size, filled;
};

static struct manifest manifest;
static bool have_manifest;
static struct boot_domain boot[MANIFEST_MAX_DOMAINS];
static struct created created[MAX_CREATED];
static struct image images[MAX_IMAGES];
static struct image *upload;
static domid_t store_domid = DOMID_INVALID;
static domid_t self_id;
static uint64_t self_caps;

static const struct atoll_boot_modules *modules(void)
{
	return (const struct atoll_boot_modules *)rt_start_info->mod_start;
}

static const char *state_of(uint32_t flags)
{
	if (flags & ATOLL_DOMINFO_dying)
		return "dying";
	if (flags & ATOLL_DOMINFO_shutdown)
		return "shutdown";
	if (flags & ATOLL_DOMINFO_paused)
		return "paused";
	return flags & ATOLL_DOMINFO_running ? "running" : "blocked";
}

static bool alive(uint32_t flags)
{
	return !(flags & (ATOLL_DOMINFO_dying | ATOLL_DOMINFO_shutdown));
}

/* The live domain called name, or with that id; DOMID_INVALID if none. */
static domid_t find_domain(const char *arg, struct atoll_domctl *info)
{
	char *end;
	unsigned long id = strtoul(arg, &end, 10);

	for (domid_t d = 0; domctl(ATOLL_DOMCTL_getinfo, d, info) == 0;
	     d = info->domain + 1) {
		bool by_id = *arg && !*end && info->domain == id;

		if ((by_id || !strcmp(info->u.getinfo.name, arg)) &&
		    !(info->u.getinfo.flags & ATOLL_DOMINFO_dying))
			return info->domain;
	}
	return DOMID_INVALID;
}

/* ---- XenStore entries -------------------------------------------------- */

static void xs_write_fmt(const char *path, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void xs_write_fmt(const char *path, const char *fmt, ...)
{
	char value[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(value, sizeof(value), fmt, ap);
	va_end(ap);
	xenbus_write(XENBUS_NO_TXN, path, value);
}

/* Owner first, then one more domain that may read. */
static void set_perms(const char *path, domid_t owner, domid_t reader)
{
	char perms[32];
	int len = snprintf(perms, sizeof(perms), "n%u", owner) + 1;

	len += snprintf(perms + len, sizeof(perms) - len, "r%u", reader) + 1;
	xenbus_set_perms(XENBUS_NO_TXN, path, perms, (unsigned)len);
}

/* One split device: frontend and backend directories, Xen's keys, the
 * spec's key=value pairs on the backend side. */
static void write_device(const char *kind, domid_t fe, domid_t be,
			 unsigned devid, const char *spec)
{
	char front[96], back[96], path[192], copy[XLCFG_STRING_MAX];

	snprintf(front, sizeof(front), "/local/domain/%u/device/%s/%u", fe,
		 kind, devid);
	snprintf(back, sizeof(back), "/local/domain/%u/backend/%s/%u/%u", be,
		 kind, fe, devid);
	snprintf(path, sizeof(path), "%s/backend", front);
	xs_write_fmt(path, "%s", back);
	snprintf(path, sizeof(path), "%s/backend-id", front);
	xs_write_fmt(path, "%u", be);
	snprintf(path, sizeof(path), "%s/state", front);
	xs_write_fmt(path, "%d", XenbusStateInitialising);
	snprintf(path, sizeof(path), "%s/frontend", back);
	xs_write_fmt(path, "%s", front);
	snprintf(path, sizeof(path), "%s/frontend-id", back);
	xs_write_fmt(path, "%u", fe);
	snprintf(path, sizeof(path), "%s/online", back);
	xs_write_fmt(path, "1");
	snprintf(path, sizeof(path), "%s/state", back);
	xs_write_fmt(path, "%d", XenbusStateInitialising);
	snprintf(copy, sizeof(copy), "%s", spec);
	for (char *kv = strtok(copy, ","); kv; kv = strtok(NULL, ",")) {
		char *eq = strchr(kv, '=');

		if (!eq || eq == kv || !strcmp(kv, "backend"))
			continue;
		*eq = '\0';
		snprintf(path, sizeof(path), "%s/%s", back, kv);
		xs_write_fmt(path, "%s", eq + 1);
	}
	set_perms(front, fe, be);
	set_perms(back, be, fe);
}

/* What Xen's toolstack writes for every domain. */
static void write_entries(domid_t id, const char *name, uint64_t mem_kib,
			  uint64_t max_kib)
{
	char path[96];

	snprintf(path, sizeof(path), "/vm/%u/name", id);
	xs_write_fmt(path, "%s", name);
	snprintf(path, sizeof(path), "/local/domain/%u/vm", id);
	xs_write_fmt(path, "/vm/%u", id);
	snprintf(path, sizeof(path), "/local/domain/%u/memory/target", id);
	xs_write_fmt(path, "%llu", (unsigned long long)mem_kib);
	snprintf(path, sizeof(path), "/local/domain/%u/memory/static-max", id);
	xs_write_fmt(path, "%llu", (unsigned long long)max_kib);
	snprintf(path, sizeof(path), "/local/domain/%u/control", id);
	xenbus_mkdir(XENBUS_NO_TXN, path);
	set_perms(path, id, self_id);
}

static domid_t boot_domid_by_index(int index)
{
	return index >= 0 ? boot[index].domid : DOMID_INVALID;
}

static void write_boot_domain(unsigned i)
{
	const struct manifest_domain *m = boot[i].m;
	domid_t id = boot[i].domid;

	write_entries(id, m->name, m->memory_kib, m->max_memory_kib);
	for (unsigned v = 0; v < m->vif_count; v++) {
		domid_t be = boot_domid_by_index(m->vifs[v].backend_domain);

		if (be != DOMID_INVALID)
			write_device("vif", id, be, v, m->vifs[v].spec);
	}
	for (unsigned v = 0; v < m->vbd_count; v++) {
		domid_t be = boot_domid_by_index(m->vbds[v].backend_domain);

		if (be != DOMID_INVALID)
			write_device("vbd", id, be, 51712 + v * 16,
				     m->vbds[v].spec);
	}
}

/* ---- Boot manifest ----------------------------------------------------- */

static void read_manifest(void)
{
	const struct atoll_boot_modules *t = modules();

	if (!rt_start_info->mod_start || !t->count ||
	    fdt_check_header((const void *)t->mods[0].addr) != 0) {
		printf("ctld: no boot manifest among the boot modules\n");
		return;
	}
	if (manifest_parse((const void *)t->mods[0].addr, t->mods[0].size,
			   (int)t->count, &manifest) != MANIFEST_OK) {
		printf("ctld: the boot manifest does not parse\n");
		return;
	}
	have_manifest = true;
}

static void find_boot_domains(void)
{
	struct atoll_domctl info;

	for (unsigned i = 0; i < manifest.domain_count; i++) {
		boot[i].m = &manifest.domains[i];
		boot[i].domid = find_domain(manifest.domains[i].name, &info);
		if (boot[i].domid != DOMID_INVALID &&
		    (info.u.getinfo.capabilities & ATOLL_CAP_XENSTORE))
			store_domid = boot[i].domid;
	}
	for (unsigned i = 0; i < manifest.domain_count; i++) {
		if (boot[i].domid != DOMID_INVALID)
			write_boot_domain(i);
	}
}

void domains_init(void)
{
	struct atoll_domctl info;

	if (domctl(ATOLL_DOMCTL_getinfo, DOMID_SELF, &info) == 0) {
		self_id = info.domain;
		self_caps = info.u.getinfo.capabilities;
	}
	read_manifest();
	if (have_manifest)
		find_boot_domains();
	printf("ctld: d%u, %u boot domains in the manifest\n", self_id,
	       have_manifest ? manifest.domain_count : 0);
}

unsigned domains_boot_count(void)
{
	return have_manifest ? manifest.domain_count : 0;
}

const struct manifest_domain *domains_boot(unsigned i, domid_t *id)
{
	if (i >= domains_boot_count())
		return NULL;
	*id = boot[i].domid;
	return boot[i].m;
}

domid_t domains_boot_with_cap(uint64_t cap)
{
	for (unsigned i = 0; i < domains_boot_count(); i++) {
		if (boot[i].m->caps & cap)
			return boot[i].domid;
	}
	return DOMID_INVALID;
}

/* ---- Building ---------------------------------------------------------- */

static const char *basename_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

/* An uploaded image, or a boot module whose manifest image is called
 * name; NULL if none. */
static const void *find_image(const char *name, size_t *size)
{
	for (unsigned i = 0; i < MAX_IMAGES; i++) {
		if (images[i].data && images[i].filled == images[i].size &&
		    !strcmp(images[i].name, name)) {
			*size = images[i].size;
			return images[i].data;
		}
	}
	for (unsigned i = 0; have_manifest && i < manifest.domain_count; i++) {
		const struct manifest_module *mod = &manifest.domains[i].module;

		if (mod->image &&
		    (!strcmp(basename_of(mod->image), name) ||
		     !strcmp(manifest.domains[i].name, name)) &&
		    mod->index < modules()->count) {
			*size = modules()->mods[mod->index].size;
			return (const void *)modules()->mods[mod->index].addr;
		}
	}
	return NULL;
}

struct build {
	const char *name;
	uint64_t mem_kib, max_kib;
	uint32_t vcpus, weight, cap;
	uint64_t caps;
	const void *image;
	size_t image_size;
	const char *cmdline;
};

static long build(const struct build *b, domid_t *out)
{
	struct atoll_domctl op = {0};
	struct atoll_domctl_create *c = &op.u.create;
	long rc;

	snprintf(c->name, sizeof(c->name), "%s", b->name);
	c->nr_pages = b->mem_kib / 4;
	c->max_pages = b->max_kib / 4;
	c->vcpus = b->vcpus;
	c->weight = b->weight;
	c->cap = b->cap;
	c->capabilities = b->caps;
	c->image = (uint64_t)b->image;
	c->image_size = b->image_size;
	c->cmdline = (uint64_t)b->cmdline;
	c->cmdline_len = b->cmdline ? (uint32_t)strlen(b->cmdline) : 0;
	c->store_domid = store_domid;
	rc = domctl(ATOLL_DOMCTL_create, 0, &op);
	if (rc == 0)
		*out = op.domain;
	return rc;
}

static bool wait_running(domid_t id)
{
	struct atoll_domctl info;

	for (int i = 0; i < 2000; i++) {
		if (domctl(ATOLL_DOMCTL_getinfo, id, &info) ||
		    info.domain != id)
			return false;
		if (info.u.getinfo.flags &
		    (ATOLL_DOMINFO_running | ATOLL_DOMINFO_blocked |
		     ATOLL_DOMINFO_shutdown))
			return true;
		rt_sleep_ns(1000000);
	}
	return false;
}

static int start(domid_t id, struct reply *r)
{
	struct atoll_domctl op;

	if (domctl(ATOLL_DOMCTL_unpause, id, &op) || !wait_running(id))
		return reply_error(r, "EIO", "d%u did not start", id);
	return 0;
}

static long build_from_config(const struct xlcfg *cfg, domid_t *id,
			      struct reply *r)
{
	struct build b = {cfg->name,
			  cfg->memory_mib * 1024ULL,
			  cfg->maxmem_mib * 1024ULL,
			  cfg->vcpus,
			  cfg->weight,
			  cfg->cap,
			  0,
			  NULL,
			  0,
			  cfg->cmdline};
	long rc;

	b.image = find_image(cfg->kernel, &b.image_size);
	if (!b.image)
		return reply_error(r, "ENOENT",
				   "no image '%s': upload it, or name a boot "
				   "module",
				   cfg->kernel);
	rc = build(&b, id);
	if (rc)
		return reply_error(r, rc == -XEN_ENOMEM ? "ENOMEM" : "EINVAL",
				   "the hypervisor refused to build '%s' "
				   "(error %ld)",
				   cfg->name, rc);
	return 0;
}

static void write_created(domid_t id, const struct xlcfg *cfg)
{
	struct atoll_domctl info;

	write_entries(id, cfg->name, cfg->memory_mib * 1024ULL,
		      cfg->maxmem_mib * 1024ULL);
	for (unsigned v = 0; v < cfg->vif_count; v++) {
		const char *be = strstr(cfg->vif[v], "backend=");
		domid_t bid = be ? find_domain(be + 8, &info) : DOMID_INVALID;

		if (bid != DOMID_INVALID)
			write_device("vif", id, bid, v, cfg->vif[v]);
	}
}

int domains_create(const char *text, size_t len, struct reply *r)
{
	struct xlcfg_error err;
	struct created *slot = NULL;
	struct atoll_domctl info;
	domid_t id;

	for (unsigned i = 0; i < MAX_CREATED && !slot; i++)
		slot = created[i].used ? NULL : &created[i];
	if (!slot)
		return reply_error(
		    r, "ENOSPC", "ctld tracks %d domains at most", MAX_CREATED);
	if (xlcfg_parse(text, len, &slot->cfg, &err))
		return reply_error(r, "EINVAL", "config line %u: %s", err.line,
				   err.message);
	if (find_domain(slot->cfg.name, &info) != DOMID_INVALID)
		return reply_error(r, "EEXIST", "a domain '%s' exists (d%u)",
				   slot->cfg.name, info.domain);
	if (build_from_config(&slot->cfg, &id, r))
		return -1;
	write_created(id, &slot->cfg);
	if (start(id, r))
		return -1;
	slot->used = true;
	slot->domid = id;
	reply_printf(r, "%u\n", id);
	return 0;
}

/* ---- Control ----------------------------------------------------------- */

static struct created *created_by_id(domid_t id)
{
	for (unsigned i = 0; i < MAX_CREATED; i++) {
		if (created[i].used && created[i].domid == id)
			return &created[i];
	}
	return NULL;
}

static void forget(domid_t id)
{
	struct created *c = created_by_id(id);

	if (c)
		c->used = false;
	for (unsigned i = 0; have_manifest && i < manifest.domain_count; i++) {
		if (boot[i].domid == id)
			boot[i].domid = DOMID_INVALID;
	}
}

int domains_control(uint32_t type, const char *arg, struct reply *r)
{
	struct atoll_domctl op;
	domid_t id = find_domain(arg, &op);
	char path[64];

	if (id == DOMID_INVALID)
		return reply_error(r, "ENOENT", "unknown domain '%s'", arg);
	if (id == self_id)
		return reply_error(r, "EINVAL", "ctld does not act on itself");
	switch (type) {
	case ATOLL_MGMT_DESTROY:
		if (domctl(ATOLL_DOMCTL_destroy, id, &op))
			return reply_error(r, "EACCES", "cannot destroy d%u",
					   id);
		forget(id);
		return 0;
	case ATOLL_MGMT_PAUSE:
		return domctl(ATOLL_DOMCTL_pause, id, &op)
			   ? reply_error(r, "EACCES", "cannot pause d%u", id)
			   : 0;
	case ATOLL_MGMT_UNPAUSE:
		return domctl(ATOLL_DOMCTL_unpause, id, &op)
			   ? reply_error(r, "EACCES", "cannot unpause d%u", id)
			   : 0;
	default:
		snprintf(path, sizeof(path),
			 "/local/domain/%u/control/shutdown", id);
		if (xenbus_write(XENBUS_NO_TXN, path,
				 type == ATOLL_MGMT_REBOOT ? "reboot"
							   : "poweroff"))
			return reply_error(r, "EIO", "cannot ask d%u", id);
		return 0;
	}
}

int domains_sched(const char *arg, struct reply *r)
{
	char name[64];
	unsigned weight, cap;
	int n = sscanf(arg, "%63s %u %u", name, &weight, &cap);
	struct atoll_domctl op;
	domid_t id = n >= 1 ? find_domain(name, &op) : DOMID_INVALID;

	if (id == DOMID_INVALID)
		return reply_error(r, "ENOENT", "unknown domain '%s'",
				   n >= 1 ? name : "");
	if (n == 1) {
		reply_printf(r, "%u %u\n", op.u.getinfo.weight,
			     op.u.getinfo.cap);
		return 0;
	}
	if (n != 3)
		return reply_error(r, "EINVAL", "expected DOM WEIGHT CAP");
	op.u.sched.weight = weight;
	op.u.sched.cap = cap;
	if (domctl(ATOLL_DOMCTL_set_sched, id, &op))
		return reply_error(r, "EINVAL",
				   "weight %u or cap %u out of range", weight,
				   cap);
	return 0;
}

/* ---- Lists and status -------------------------------------------------- */

void domains_list(struct reply *r)
{
	struct atoll_domctl op;

	for (domid_t d = 0; domctl(ATOLL_DOMCTL_getinfo, d, &op) == 0;
	     d = op.domain + 1) {
		const struct atoll_domctl_getinfo *i = &op.u.getinfo;

		reply_printf(r, "%u %s %llu %u %s %llu\n", op.domain, i->name,
			     (unsigned long long)i->tot_pages * 4, i->vcpus,
			     state_of(i->flags),
			     (unsigned long long)i->cpu_time_ns);
	}
}

/*
 * The core builds every boot domain before any runs, so once ctld runs
 * they all exist or have finished. "ready" counts the ones that have not
 * crashed (running, waiting, or gone after a clean exit); "running" those
 * still alive.
 */
void domains_hello(struct reply *r)
{
	unsigned ready = 0, running = 0;
	unsigned total = have_manifest ? manifest.domain_count : 0;
	struct atoll_domctl op;

	for (unsigned i = 0; i < total; i++) {
		domid_t id = boot[i].domid;
		bool found = id != DOMID_INVALID &&
			     domctl(ATOLL_DOMCTL_getinfo, id, &op) == 0 &&
			     op.domain == id;

		if (found && alive(op.u.getinfo.flags))
			running++;
		if (!found || alive(op.u.getinfo.flags) ||
		    op.u.getinfo.shutdown_reason == SHUTDOWN_poweroff)
			ready++;
	}
	reply_printf(r, "atoll-mgmt %d", ATOLL_MGMT_PROTOCOL_VERSION);
	reply_append(r, "", 1);
	reply_printf(r,
		     "boot-domains %u\nready %u\nrunning %u\nctld-domid %u\n",
		     total, ready, running, self_id);
}

void domains_info(struct reply *r)
{
	long v = HC(__HYPERVISOR_xen_version, XENVER_version, 0, 0);
	struct atoll_domctl op;
	unsigned count = 0;

	for (domid_t d = 0; domctl(ATOLL_DOMCTL_getinfo, d, &op) == 0;
	     d = op.domain + 1)
		count++;
	reply_printf(r, "version %ld.%ld\ndomains %u\nuptime_ns %llu\n",
		     v >> 16, v & 0xffff, count,
		     (unsigned long long)rt_now_ns());
	reply_printf(r, "ctld_domid %u\nxenstore_domid %u\n", self_id,
		     store_domid);
}

/* ---- Restarts ---------------------------------------------------------- */

static bool wants_restart(enum manifest_restart policy, uint32_t reason)
{
	if (reason == SHUTDOWN_reboot)
		return policy != MANIFEST_RESTART_NEVER;
	if (policy == MANIFEST_RESTART_ALWAYS)
		return true;
	return policy == MANIFEST_RESTART_ON_CRASH &&
	       reason != SHUTDOWN_poweroff;
}

static void restart_boot_domain(unsigned i, uint32_t reason)
{
	const struct manifest_domain *m = boot[i].m;
	const struct atoll_boot_module *mod = &modules()->mods[m->module.index];
	struct build b = {m->name,	     m->memory_kib,
			  m->max_memory_kib, m->cpus,
			  m->sched_weight,   m->sched_cap,
			  m->caps,	     (const void *)mod->addr,
			  mod->size,	     m->bootargs};
	struct reply r = {0};
	struct atoll_domctl op;
	domid_t id;

	domctl(ATOLL_DOMCTL_destroy, boot[i].domid, &op);
	boot[i].domid = DOMID_INVALID;
	if ((m->caps & ~self_caps) != 0) {
		printf("ctld: cannot restart '%s': it holds capabilities ctld "
		       "lacks\n",
		       m->name);
		return;
	}
	if (build(&b, &id) || start(id, &r)) {
		printf("ctld: restarting '%s' failed\n", m->name);
		free(r.buf);
		return;
	}
	boot[i].domid = id;
	boot[i].restarts++;
	write_boot_domain(i);
	printf("ctld: restarted '%s' as d%u (shutdown reason %u, restart "
	       "%u)\n",
	       m->name, id, reason, boot[i].restarts);
}

static void check_boot_domains(void)
{
	struct atoll_domctl op;

	for (unsigned i = 0; have_manifest && i < manifest.domain_count; i++) {
		domid_t id = boot[i].domid;

		if (id == DOMID_INVALID || id == self_id ||
		    domctl(ATOLL_DOMCTL_getinfo, id, &op) || op.domain != id ||
		    !(op.u.getinfo.flags & ATOLL_DOMINFO_shutdown))
			continue;
		if (wants_restart(boot[i].m->restart,
				  op.u.getinfo.shutdown_reason))
			restart_boot_domain(i, op.u.getinfo.shutdown_reason);
	}
}

/* Created domains follow xl's defaults: reboot rebuilds, the rest go. */
static void check_created(void)
{
	struct atoll_domctl op;

	for (unsigned i = 0; i < MAX_CREATED; i++) {
		struct created *c = &created[i];
		struct reply r = {0};
		uint32_t reason;
		domid_t id;

		if (!c->used || domctl(ATOLL_DOMCTL_getinfo, c->domid, &op) ||
		    op.domain != c->domid ||
		    !(op.u.getinfo.flags & ATOLL_DOMINFO_shutdown))
			continue;
		reason = op.u.getinfo.shutdown_reason;
		domctl(ATOLL_DOMCTL_destroy, c->domid, &op);
		c->used = false;
		if (reason != SHUTDOWN_reboot)
			continue;
		if (build_from_config(&c->cfg, &id, &r) == 0) {
			write_created(id, &c->cfg);
			if (start(id, &r) == 0) {
				c->used = true;
				c->domid = id;
				printf("ctld: rebooted '%s' as d%u\n",
				       c->cfg.name, id);
			}
		}
		free(r.buf);
	}
}

void domains_rescan(void)
{
	check_boot_domains();
	check_created();
}

/* ---- Uploads ----------------------------------------------------------- */

int images_begin(const char *arg, struct reply *r)
{
	char name[64];
	unsigned long size;
	struct image *slot = NULL;

	if (sscanf(arg, "%63s %lu", name, &size) != 2 || !size ||
	    size > ATOLL_DOMCTL_MAX_IMAGE)
		return reply_error(r, "EINVAL",
				   "expected NAME SIZE (SIZE "
				   "1..%llu)",
				   (unsigned long long)ATOLL_DOMCTL_MAX_IMAGE);
	for (unsigned i = 0; i < MAX_IMAGES && !slot; i++) {
		if (!images[i].data || !strcmp(images[i].name, name))
			slot = &images[i];
	}
	if (!slot)
		return reply_error(r, "ENOSPC", "%d images kept at most",
				   MAX_IMAGES);
	free(slot->data);
	*slot = (struct image){0};
	slot->data = malloc(size);
	if (!slot->data)
		return reply_error(r, "ENOMEM", "no room for %lu bytes", size);
	snprintf(slot->name, sizeof(slot->name), "%s", name);
	slot->size = size;
	upload = slot;
	return 0;
}

int images_data(const void *data, size_t len, struct reply *r)
{
	if (!upload)
		return reply_error(r, "EINVAL", "no upload in progress");
	if (len > upload->size - upload->filled)
		return reply_error(r, "E2BIG", "more bytes than announced");
	memcpy(upload->data + upload->filled, data, len);
	upload->filled += len;
	return 0;
}

int images_end(struct reply *r)
{
	struct image *img = upload;

	upload = NULL;
	if (!img)
		return reply_error(r, "EINVAL", "no upload in progress");
	if (img->filled != img->size) {
		free(img->data);
		*img = (struct image){0};
		return reply_error(r, "EIO", "upload incomplete: dropped");
	}
	return 0;
}
